package org.n2dlive.stream;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.util.Util;

/**
 * One Disruptor ring with its sequences. A stream has one at a time; RECORD replaces it when a frame-size
 * change calls for another slot count (after the worker has finished everything in the old one).
 *
 * <p>Sequences: the ring's cursor is the last frame published (producer); {@link #completed} the last one the
 * worker finished or skipped; {@link #released} the last one the producer handed back (drained or parked). The
 * ring is gated on {@code released}, so a slot is refilled only once its result has left it.
 *
 * <p>Threading: the producer publishes and releases, the worker waits on {@link #barrier} and advances
 * {@code completed}.
 */
final class RingGeneration {
    final RingBuffer<FrameSlot> ring;
    final SequenceBarrier barrier;
    final Sequence completed = new Sequence(-1);
    final Sequence released = new Sequence(-1);
    /** Frames allowed in the ring at once (≤ ring size, which Disruptor needs to be a power of two). */
    final int capacity;

    RingGeneration(int capacity) {
        this.capacity = capacity;
        // Blocking (not spinning): the worker sleeps while the camera is idle, which matters on a shared PC.
        this.ring = RingBuffer.createSingleProducer(FrameSlot::new, powerOfTwoAtLeast(capacity), new BlockingWaitStrategy());
        this.ring.addGatingSequences(released);
        this.barrier = ring.newBarrier();
        // Disruptor loads this class only when the ring first wraps, a few frames into live mode: 0.5-0.7 ms of CPU
        // in that frame's publish on Micro-Manager's Swing thread (measured), 0.1 ms once loaded. Load it here.
        Util.getMinimumSequence(new Sequence[0], 0);
    }

    static int powerOfTwoAtLeast(int n) {
        int p = Integer.highestOneBit(Math.max(2, n));
        return p == n ? p : p << 1;
    }

    long published() {
        return ring.getCursor();
    }

    boolean hasRoom() {
        return ring.getCursor() - released.get() < capacity;
    }

    /** True when the worker has finished (or skipped) every published frame. */
    boolean allCompleted() {
        return completed.get() >= ring.getCursor();
    }
}
