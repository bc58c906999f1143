package org.n2dlive.temporal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the temporal stage's per-pixel passes over horizontal bands of a frame, one band per thread: the calling
 * thread takes the first band, this pool's own threads ({@code threads − 1}, made once and parked between passes) the
 * others, and {@link #run} returns when every band is done. A pass writes only its own band's rows and reads nothing
 * another band writes, so its output is the same floats whatever the thread count. Sums whose order of additions
 * matters (double accumulators) are taken per row in the bands and added row by row on the caller, in row order, or
 * stay out of the bands.
 *
 * <p>Why: at camera size the stage's passes are memory-bound loops over tens of MB a frame, and on one core they
 * were most of a 2048² live frame's time while the inference threads sat idle (docs/cost-curve.md).
 *
 * <p>No allocation per pass: a pass is a {@link Rows} its owner makes once. Threading: one caller at a time (the
 * stream's worker); a closed pool runs every pass on the caller.
 */
public final class RowPool implements AutoCloseable {
    /** One pass over rows [y0, y1) of the frame: band {@code band} of {@link #bands} (0 for the whole frame). */
    public interface Rows {
        void rows(int band, int y0, int y1);
    }

    /** Frames below this run on the caller alone: waking a thread would cost more than the pass saves. */
    static final int MIN_PARALLEL_PIXELS = 1 << 15;
    /**
     * Rows a band needs at least: the banded kernels keep a ring of up to 7 rows per band in a frame-sized scratch
     * buffer ({@link Resample#shift}, {@link TemporalFilter#boxMean}).
     */
    static final int MIN_BAND_ROWS = 16;

    /** One thread: every pass on the caller. */
    public static final RowPool SEQUENTIAL = new RowPool(1);

    private final int threads;
    private final Thread[] helpers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    // the current pass, published by the volatile write of generation
    private Rows task;
    private int taskRows;
    private Thread caller;
    private volatile Throwable failure;

    /** @param threads bands per pass (the caller's and {@code threads − 1} daemon threads), at least 1 */
    public RowPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.helpers = new Thread[threads - 1];
        for (int k = 1; k < threads; k++) {
            int band = k;
            Thread t = new Thread(() -> help(band), "n2d-temporal-band-" + k);
            t.setDaemon(true);
            helpers[k - 1] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** How many bands a {@code width × height} frame is cut into (1: the caller runs the pass alone). */
    public int bands(int width, int height) {
        if (threads == 1 || (long) width * height < MIN_PARALLEL_PIXELS || height < MIN_BAND_ROWS * threads) return 1;
        return threads;
    }

    /** First row of band {@code b} of {@code bands} over {@code height} rows. */
    public static int bandStart(int b, int bands, int height) {
        return (int) ((long) height * b / bands);
    }

    /** {@code pass} over every row of a {@code width × height} frame, in bands; returns when all are done. */
    public void run(int width, int height, Rows pass) {
        int bands = bands(width, height);
        if (bands == 1) {
            pass.rows(0, 0, height);
            return;
        }
        if (closed) { // the same bands, one after another
            for (int b = 0; b < bands; b++) pass.rows(b, bandStart(b, bands, height), bandStart(b + 1, bands, height));
            return;
        }
        task = pass;
        taskRows = height;
        caller = Thread.currentThread();
        failure = null;
        pending.set(bands - 1);
        generation++; // publishes the pass to the helpers
        for (Thread t : helpers) LockSupport.unpark(t);
        Throwable mine = null;
        try {
            pass.rows(0, 0, bandStart(1, bands, height));
        } catch (RuntimeException | Error e) {
            mine = e;
        }
        // every band must be done before the caller reads or reuses what they write, even after a failure
        while (pending.get() > 0) LockSupport.park(this);
        task = null;
        Throwable t = mine != null ? mine : failure;
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
    }

    private void help(int band) {
        int seen = 0;
        while (true) {
            int g = generation;
            if (g == seen) {
                if (closed) return; // only between passes: a pass published before close is still done
                LockSupport.park(this);
                continue;
            }
            seen = g;
            int rows = taskRows;
            try {
                task.rows(band, bandStart(band, threads, rows), bandStart(band + 1, threads, rows));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    /** Ends the pool's threads; later passes run on the caller. */
    @Override
    public void close() {
        if (this == SEQUENTIAL) return;
        closed = true;
        for (Thread t : helpers) LockSupport.unpark(t);
    }
}
