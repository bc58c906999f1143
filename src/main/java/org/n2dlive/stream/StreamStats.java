package org.n2dlive.stream;

import java.util.Locale;

/**
 * A snapshot of a stream's figures (immutable). Counting rules: every {@link FrameStream#publish} that did
 * not throw is one frame in; once the stream is flushed, {@code framesIn == framesOut + dropped} (LIVE) and
 * {@code framesIn == framesOut} (RECORD). Frames passed through raw after an engine error count as out and
 * as {@code failed}; those passed through because their source could not wait, as out and as {@code behind}.
 */
public final class StreamStats {
    private final StreamPolicy policy;
    private final long framesIn;
    private final long framesOut;
    private final long dropped;
    private final long droppedAtPublish;
    private final long replaced;
    private final long failed;
    private final long guarded;
    private final String firstGuardReason;
    private final long behind;
    private final long pending;
    private final long processed;
    private final long latencyP50Micros;
    private final long latencyP99Micros;
    private final double workerNanosPerFrame;
    private final double lastAdaptationLoss;
    private final long maxWorkerNanos;
    private final long maxWorkerNanosAfterFirst;
    private final long refits;
    private final String lastRefitReason;
    private final long warmupFrames;
    private final String firstError;
    private final long errorCount;
    private final int ringSlots;
    private final long ringRebuilds;
    private final boolean closed;

    StreamStats(StreamPolicy policy, StreamCounters c, long pending, int ringSlots, boolean closed) {
        this.policy = policy;
        // Worker-side figures first, then producer-side: a racing snapshot then undercounts "in", never "out".
        this.processed = c.processed;
        this.failed = c.failed;
        this.guarded = c.guarded;
        this.firstGuardReason = c.firstGuardReason;
        this.behind = c.behind;
        long skipped = c.skipped;
        this.workerNanosPerFrame = processed == 0 ? Double.NaN : (double) c.workerNanos / processed;
        this.lastAdaptationLoss = c.lastAdaptationLoss;
        this.maxWorkerNanos = c.maxWorkerNanos;
        this.maxWorkerNanosAfterFirst = c.maxWorkerNanosAfterFirst;
        this.refits = c.refits;
        this.lastRefitReason = c.lastRefitReason;
        this.warmupFrames = c.warmupFrames;
        this.firstError = c.firstError;
        this.errorCount = c.errorCount;
        this.latencyP50Micros = c.latency.percentile(0.50);
        this.latencyP99Micros = c.latency.percentile(0.99);
        this.droppedAtPublish = c.droppedAtPublish;
        this.replaced = c.replaced;
        this.dropped = droppedAtPublish + replaced + skipped;
        this.framesOut = c.framesOut;
        this.framesIn = c.framesIn;
        this.ringRebuilds = c.ringRebuilds;
        this.pending = pending;
        this.ringSlots = ringSlots;
        this.closed = closed;
    }

    public StreamPolicy policy() {
        return policy;
    }

    /** Frames offered to {@link FrameStream#publish} (accepted or dropped). */
    public long framesIn() {
        return framesIn;
    }

    /** Frames handed to a consumer by drain/flush. */
    public long framesOut() {
        return framesOut;
    }

    /** LIVE: frames that never came out: skipped by the worker or replaced by a newer one while waiting. */
    public long dropped() {
        return dropped;
    }

    /** LIVE: the part of {@link #dropped()} that a newer frame overwrote while it waited in a full ring. */
    public long replaced() {
        return replaced;
    }

    /** LIVE: the part of {@link #dropped()} refused by publish (returned false). */
    public long droppedAtPublish() {
        return droppedAtPublish;
    }

    /** Frames passed through raw because the denoiser failed (they also count as out). */
    public long failed() {
        return failed;
    }

    /**
     * Frames whose denoised output the guard refused ({@link OutputGuard}, or the model's own checks): they left as
     * the raw frame, flagged, and count as out.
     */
    public long guarded() {
        return guarded;
    }

    /** Why the first guarded frame was refused; null when none was. */
    /** RECORD: frames passed through raw, flagged, because their source could not wait (a camera sequence). */
    public long behind() {
        return behind;
    }

    public String firstGuardReason() {
        return firstGuardReason;
    }

    /** Frames published and not yet finished by the worker (after close: abandoned). */
    public long pending() {
        return pending;
    }

    /** Frames the worker finished (denoised or passed through). */
    public long processed() {
        return processed;
    }

    /** Median latency publish → completion, µs (about 3 % resolution); -1 before the first frame. */
    public long latencyP50Micros() {
        return latencyP50Micros;
    }

    public long latencyP99Micros() {
        return latencyP99Micros;
    }

    /** Mean worker time per finished frame, ns; NaN before the first. */
    public double workerNanosPerFrame() {
        return workerNanosPerFrame;
    }

    /** The adaptation loss of the latest frame that adapted; NaN if none did. */
    public double lastAdaptationLoss() {
        return lastAdaptationLoss;
    }

    /** The longest worker time of one frame, ns (0 before the first). */
    public long maxWorkerNanos() {
        return maxWorkerNanos;
    }

    /** The longest worker time of one frame after the first frame, ns (0 before the second). */
    public long maxWorkerNanosAfterFirst() {
        return maxWorkerNanosAfterFirst;
    }

    /** Re-fits the denoiser reported (warm-ups after the first: scene, size or bit-depth changes). */
    public long refits() {
        return refits;
    }

    /** Why the latest re-fit happened, or null if none did. */
    public String lastRefitReason() {
        return lastRefitReason;
    }

    /** Frames the worker finished while the model was warming up (first warm-up and re-fits together). */
    public long warmupFrames() {
        return warmupFrames;
    }

    /** The first error of this stream (engine failure, factory failure), or null. Later ones are only counted. */
    public String firstError() {
        return firstError;
    }

    public long errorCount() {
        return errorCount;
    }

    /** How many frames the ring holds at once now. */
    public int ringSlots() {
        return ringSlots;
    }

    /** RECORD: how often a frame-size change rebuilt the ring. */
    public long ringRebuilds() {
        return ringRebuilds;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%s in=%d out=%d dropped=%d failed=%d guarded=%d pending=%d latency p50=%.1fms p99=%.1fms worker=%.1fms/frame"
                        + " (max %.1fms) loss=%.5f refits=%d%s%s",
                policy, framesIn, framesOut, dropped, failed, guarded, pending, latencyP50Micros / 1e3, latencyP99Micros / 1e3,
                workerNanosPerFrame / 1e6, maxWorkerNanos / 1e6, lastAdaptationLoss, refits,
                behind == 0 ? "" : " behind=" + behind, firstError == null ? "" : " error(" + errorCount + "x)=" + firstError);
    }
}
