package org.n2dlive.stream;

/**
 * Receives completed frames from {@link FrameStream#drain} and {@link FrameStream#flush}, on the producer's
 * thread. The frame is a view of a reused ring slot: copy what you need before returning.
 */
@FunctionalInterface
public interface CompletedFrameConsumer {
    void accept(CompletedFrame frame);
}
