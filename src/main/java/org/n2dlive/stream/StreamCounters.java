package org.n2dlive.stream;

/**
 * The live figures of one stream. Every field has exactly one writing thread (named beside it), so plain
 * volatile increments are safe; {@link FrameStream#stats()} reads them from any thread.
 */
final class StreamCounters {
    // producer thread
    volatile long framesIn;
    volatile long droppedAtPublish;
    volatile long replaced;
    volatile long framesOut;
    volatile long ringRebuilds;

    // worker thread
    volatile long processed;
    volatile long skipped;
    volatile long failed;
    /** Frames whose output the guard (or the model's own checks) refused: passed through raw, flagged. */
    volatile long guarded;
    volatile String firstGuardReason;
    /** RECORD: frames passed through raw because their source could not wait for the model. */
    volatile long behind;
    volatile long workerNanos;
    volatile double lastAdaptationLoss = Double.NaN;
    volatile long maxWorkerNanos;
    volatile long maxWorkerNanosAfterFirst;
    volatile long refits;
    volatile String lastRefitReason;
    volatile long warmupFrames;
    volatile String firstError;
    volatile long errorCount;
    final LatencyHistogram latency = new LatencyHistogram();

    /** Worker: one frame finished (denoised or passed through); {@code r} is what the denoiser reported. */
    void frameDone(long workerNanosThisFrame, DenoiseReport r, long latencyNanos) {
        processed = processed + 1;
        workerNanos = workerNanos + workerNanosThisFrame;
        if (workerNanosThisFrame > maxWorkerNanos) maxWorkerNanos = workerNanosThisFrame;
        if (processed > 1 && workerNanosThisFrame > maxWorkerNanosAfterFirst) maxWorkerNanosAfterFirst = workerNanosThisFrame;
        if (!Double.isNaN(r.adaptationLoss)) lastAdaptationLoss = r.adaptationLoss;
        if (r.refits > refits) {
            lastRefitReason = r.refitReason;
            refits = r.refits;
        }
        if (r.warmingUp) warmupFrames = warmupFrames + 1;
        latency.record(latencyNanos / 1000);
    }

    /** Worker: a frame the guard refused; the first reason is kept (logged once, not per frame). */
    void guarded(String reason) {
        if (firstGuardReason == null) firstGuardReason = reason;
        guarded = guarded + 1;
    }

    /** Worker: an error; the first message is kept, later ones only counted (reported once, not per frame). */
    void error(String message) {
        if (firstError == null) firstError = message;
        errorCount = errorCount + 1;
    }
}
