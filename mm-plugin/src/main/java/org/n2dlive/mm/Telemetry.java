package org.n2dlive.mm;

/**
 * The plugin's own counts, across pipelines and streams: images in; out (denoised, or passed through flagged);
 * dropped (LIVE: superseded by a newer frame, refused by the ring, or still in the model when its pipeline
 * ended); unsupported (RGB, 32-bit: passed through unchanged). Once every pipeline has been cleaned up,
 * {@code in == out + dropped + unsupported}. Also the output rate, the recent adaptation losses for the plot and the
 * recent frames' estimated PSNR.
 * Per-stream figures (latency, ring, worker time) are the stream's own ({@link DenoiserHost#latencyMs()}).
 *
 * <p>Written by pipeline threads, read by the configurator's Swing timer; all methods synchronize on this
 * object (uncontended almost always; no allocation on the recording side).
 */
public final class Telemetry {
    private static final int RATE_WINDOW = 64;
    private static final int LOSS_HISTORY = 240;
    /** Denoised frames the quality figure averages over: one frame's estimate is noisy on small frames. */
    public static final int QUALITY_WINDOW = 16;

    private long framesIn;
    private long framesOut;
    private long dropped;
    private long passedThrough;
    private long unsupported;
    private int lastAdaptSteps;
    private final long[] outTimes = new long[RATE_WINDOW];
    private int outTimesCount;
    private int outTimesNext;
    private final double[] losses = new double[LOSS_HISTORY];
    private int lossCount;
    private int lossNext;
    private long firstInNanos = -1;
    private long firstDenoisedNanos = -1;
    private int refits;
    private String lastRefitReason = "";
    private boolean warmingUp;
    private long clippedPixels;
    /** The estimated PSNR of the last {@link #QUALITY_WINDOW} denoised frames (NaN where none could be made). */
    private final double[] quality = new double[QUALITY_WINDOW];
    private int qualityCount;
    private int qualityNext;

    public synchronized void frameIn() {
        if (framesIn == 0) firstInNanos = System.nanoTime();
        framesIn++;
    }

    /**
     * What the model reported with a frame that came out denoised: its re-fit count and last reason (the stream's
     * model counts them), whether it is still warming up, and output pixels that clipped.
     */
    public synchronized void model(long nowNanos, int modelRefits, String refitReason, boolean warmingUp, int clipped) {
        if (firstDenoisedNanos < 0 && firstInNanos > 0) firstDenoisedNanos = nowNanos;
        if (modelRefits > refits) {
            refits = modelRefits;
            if (refitReason != null) lastRefitReason = refitReason;
        }
        this.warmingUp = warmingUp;
        clippedPixels += clipped;
    }

    /**
     * The denoiser's PSNR estimate for a denoised frame, without ground truth ({@code DenoiseReport.estimatedPsnrDb});
     * NaN when it could make none (temporal denoising off, the first frames, a moving scene).
     */
    public synchronized void estimatedPsnr(double db) {
        quality[qualityNext] = db;
        qualityNext = (qualityNext + 1) % QUALITY_WINDOW;
        if (qualityCount < QUALITY_WINDOW) qualityCount++;
    }

    public synchronized void dropped(long n) {
        dropped += n;
    }

    public synchronized void unsupported() {
        unsupported++;
    }

    /** One denoised (or flagged pass-through) frame went out. */
    public synchronized void frameOut(long nowNanos, double adaptLoss, int adaptSteps, boolean passed) {
        framesOut++;
        if (passed) passedThrough++;
        outTimes[outTimesNext] = nowNanos;
        outTimesNext = (outTimesNext + 1) % RATE_WINDOW;
        if (outTimesCount < RATE_WINDOW) outTimesCount++;
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
        Snapshot snap = new Snapshot(framesIn, framesOut, dropped, passedThrough, unsupported, fps, lastAdaptSteps, l);
        snap.firstOutputMs = firstDenoisedNanos < 0 ? Double.NaN : (firstDenoisedNanos - firstInNanos) / 1e6;
        snap.refits = refits;
        snap.lastRefitReason = lastRefitReason;
        snap.warmingUp = warmingUp;
        snap.clippedPixels = clippedPixels;
        double sum = 0;
        int n = 0;
        for (int k = 0; k < qualityCount; k++) {
            if (Double.isFinite(quality[k])) {
                sum += quality[k];
                n++;
            }
        }
        snap.estimatedPsnrDb = n == 0 ? Double.NaN : sum / n;
        snap.estimatedPsnrFrames = n;
        return snap;
    }

    /** Values at one instant. Immutable. */
    public static final class Snapshot {
        public final long framesIn;
        public final long framesOut;
        public final long dropped;
        public final long passedThrough;
        public final long unsupported;
        public final double framesPerSecond;
        public final int adaptSteps;
        /** Recent adaptation losses, oldest first. */
        public final double[] losses;
        /** From the first image in to the first denoised image out, ms; NaN before it. */
        public double firstOutputMs;
        /** Re-fits (warm-ups after a scene, size or bit-depth change) of the model, and the last one's reason. */
        public int refits;
        public String lastRefitReason;
        public boolean warmingUp;
        /** Denoised pixels clipped where the camera's were not saturated. */
        public long clippedPixels;
        /**
         * Mean estimated PSNR (dB, no ground truth) over the recent denoised frames that had an estimate
         * ({@link #estimatedPsnrFrames} of the last {@value Telemetry#QUALITY_WINDOW}); NaN when none had one.
         */
        public double estimatedPsnrDb = Double.NaN;
        public int estimatedPsnrFrames;

        Snapshot(long framesIn, long framesOut, long dropped, long passedThrough, long unsupported, double fps,
                 int adaptSteps, double[] losses) {
            this.framesIn = framesIn;
            this.framesOut = framesOut;
            this.dropped = dropped;
            this.passedThrough = passedThrough;
            this.unsupported = unsupported;
            this.framesPerSecond = fps;
            this.adaptSteps = adaptSteps;
            this.losses = losses;
        }

        /** Images not yet accounted for: in a model whose pipeline is still running. */
        public long inFlight() {
            return framesIn - framesOut - dropped - unsupported;
        }
    }
}
