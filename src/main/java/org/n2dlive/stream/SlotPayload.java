package org.n2dlive.stream;

import java.util.concurrent.atomic.AtomicInteger;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;

/**
 * Everything one frame carries through the ring: its input and output buffers, report, tag and outcome.
 *
 * <p>Threading: owned by whichever side holds its slot's sequence. The producer fills it and publishes; the
 * worker reads the input, writes output/report/flags and advances its completion sequence; the producer then
 * reads it (drain) and releases the slot. Disruptor's sequences order these accesses. A completed payload may
 * be moved out of its slot by the producer ({@link FrameStream} "parks" it) and replaced with a spare one, so
 * that buffers change hands without copying pixels.
 *
 * <p>{@link #state} settles the one race of the design: LIVE lets the producer overwrite the newest published
 * frame while the worker has not taken it yet (latest wins even when the ring is full). The producer moves
 * READY → WRITING → READY around its copy; the worker moves READY → TAKEN before reading the input. Whoever
 * wins the compare-and-set owns the pixels.
 */
final class SlotPayload {
    static final int READY = 1;
    static final int WRITING = 2;
    static final int TAKEN = 3;

    final AtomicInteger state = new AtomicInteger(READY);
    Frame input;
    Frame output;
    final DenoiseReport report = new DenoiseReport();
    long tag;
    /** The producer's opaque context for this frame ({@link FrameStream#publish}); null once released. */
    Object context;
    /** The series the frame belongs to (never null; a plain stream has one). */
    SeriesKey series = SeriesKey.SINGLE;
    long sequence;
    long publishedNanos;
    long completedNanos;
    /** LIVE: the worker skipped this frame for a newer one; it never comes out. */
    boolean skipped;
    boolean passedThrough;
    /** RECORD: passed through without the model because the source could not wait (not an error). */
    boolean behind;
    String error;
    Throwable failure;

    /**
     * Producer: copies the camera pixels in (reusing the buffer when type and size match) and resets the
     * outcome. The caller owns the payload (an unpublished slot, or state WRITING) and sets the state after.
     */
    void fill(PixelType type, int width, int height, Object pixels, long tag, long sequence, Object context) {
        if (input == null) {
            input = Frame.allocate(type, width, height);
        }
        input.copyFrom(type, width, height, pixels);
        this.tag = tag;
        this.context = context;
        this.sequence = sequence;
        skipped = false;
        passedThrough = false;
        behind = false;
        error = null;
        failure = null;
        completedNanos = 0;
        publishedNanos = System.nanoTime();
    }
}
