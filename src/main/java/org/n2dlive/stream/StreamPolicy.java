package org.n2dlive.stream;

/** How a {@link FrameStream} treats frames when the worker is slower than the camera. */
public enum StreamPolicy {
    /**
     * Display: the producer never blocks. When the worker is busy, frames are skipped so that it always takes
     * the newest one (latest wins); skipped frames are counted as dropped and never come out.
     */
    LIVE,
    /**
     * Acquisition: lossless. Every frame in yields exactly one frame out, in order. Bursts are absorbed by a
     * ring sized from a memory budget; only when it is full does the producer wait (back-pressure).
     */
    RECORD
}
