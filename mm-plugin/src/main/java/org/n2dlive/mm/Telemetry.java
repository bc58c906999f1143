package org.n2dlive.mm;

/**
 * Counters the configurator shows: frames in/out, dropped (LIVE skips), passed through, output rate,
 * latency and the recent adaptation losses. Written by the pipeline thread for every frame, read by the
 * Swing timer of the configurator; all methods synchronize on this object (uncontended almost always;
 * no allocation on the recording side).
 */
public final class Telemetry {
    private static final int RATE_WINDOW = 64;
    private static final int LOSS_HISTORY = 240;
    private static final int LATENCY_WINDOW = 31;

    private long framesIn;
    private long framesOut;
    private long dropped;
    private long passedThrough;
    private long unsupported;
    private final long[] latencies = new long[LATENCY_WINDOW];
    private int latencyCount;
    private int latencyNext;
    private int lastAdaptSteps;
    private final long[] outTimes = new long[RATE_WINDOW];
    private int outTimesCount;
    private int outTimesNext;
    private final double[] losses = new double[LOSS_HISTORY];
    private int lossCount;
    private int lossNext;

    public synchronized void frameIn() {
        framesIn++;
    }

    public synchronized void dropped(int n) {
        dropped += n;
    }

    public synchronized void unsupported() {
        unsupported++;
    }

    /** One denoised (or flagged pass-through) frame went out. */
    public synchronized void frameOut(long nowNanos, long latencyNanos, double adaptLoss, int adaptSteps, boolean passed) {
        framesOut++;
        if (passed) passedThrough++;
        outTimes[outTimesNext] = nowNanos;
        outTimesNext = (outTimesNext + 1) % RATE_WINDOW;
        if (outTimesCount < RATE_WINDOW) outTimesCount++;
        if (latencyNanos > 0) {
            latencies[latencyNext] = latencyNanos;
            latencyNext = (latencyNext + 1) % LATENCY_WINDOW;
            if (latencyCount < LATENCY_WINDOW) latencyCount++;
        }
        lastAdaptSteps = adaptSteps;
        if (!Double.isNaN(adaptLoss)) {
            losses[lossNext] = adaptLoss;
            lossNext = (lossNext + 1) % LOSS_HISTORY;
            if (lossCount < LOSS_HISTORY) lossCount++;
        }
    }

    /** An immutable copy for display (allocates; called a few times a second). */
    public synchronized Snapshot snapshot(long nowNanos) {
        double fps = 0;
        if (outTimesCount >= 2) {
            int newest = (outTimesNext - 1 + RATE_WINDOW) % RATE_WINDOW;
            int oldest = (outTimesNext - outTimesCount + RATE_WINDOW) % RATE_WINDOW;
            long span = outTimes[newest] - outTimes[oldest];
            // A stream that stopped shows 0, not the rate it had when it stopped.
            if (span > 0 && nowNanos - outTimes[newest] < 2_000_000_000L) {
                fps = (outTimesCount - 1) * 1e9 / span;
            }
        }
        double[] l = new double[lossCount];
        for (int k = 0; k < lossCount; k++) {
            l[k] = losses[(lossNext - lossCount + k + LOSS_HISTORY) % LOSS_HISTORY];
        }
        // Median of the recent frames: the first frame's wait for the initial fit must not linger in the figure.
        double latencyMs = Double.NaN;
        if (latencyCount > 0) {
            long[] recent = java.util.Arrays.copyOf(latencies, latencyCount);
            java.util.Arrays.sort(recent);
            latencyMs = recent[latencyCount / 2] / 1e6;
        }
        return new Snapshot(framesIn, framesOut, dropped, passedThrough, unsupported, fps, latencyMs, lastAdaptSteps, l);
    }

    /** Values at one instant. Immutable. */
    public static final class Snapshot {
        public final long framesIn;
        public final long framesOut;
        public final long dropped;
        public final long passedThrough;
        public final long unsupported;
        public final double framesPerSecond;
        /** Median publish-to-completion latency of the last 31 frames, ms; NaN before the first frame. */
        public final double latencyMs;
        public final int adaptSteps;
        /** Recent adaptation losses, oldest first. */
        public final double[] losses;

        Snapshot(long framesIn, long framesOut, long dropped, long passedThrough, long unsupported, double fps,
                 double latencyMs, int adaptSteps, double[] losses) {
            this.framesIn = framesIn;
            this.framesOut = framesOut;
            this.dropped = dropped;
            this.passedThrough = passedThrough;
            this.unsupported = unsupported;
            this.framesPerSecond = fps;
            this.latencyMs = latencyMs;
            this.adaptSteps = adaptSteps;
            this.losses = losses;
        }
    }
}
