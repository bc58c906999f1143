package org.n2dlive.stream;

/**
 * What happened to one frame inside the denoiser. Pre-allocated per ring slot and reset for every
 * frame, so reporting does not allocate. Written by the worker thread, read by the producer after
 * the slot is handed back through the ring (the ring's sequence barrier orders the accesses).
 */
public final class DenoiseReport {
    /**
     * Input, set by the stream before the call: frames that arrive while the worker is busy are dropped (LIVE). A
     * model may then spend less of each frame on slow work that only pays off later (see the temporal stage's
     * warm-up), since every frame it takes longer over is a frame nobody sees.
     */
    public boolean liveView;
    /** Adaptation (training) steps run on this frame, all nets together. */
    public int adaptationSteps;
    /** Mean adaptation loss on this frame; NaN when no step ran. */
    public double adaptationLoss = Double.NaN;
    /**
     * True when a warm-up started on this frame: the first frame, a scene change, a size or bit-depth change
     * (not after loaded weights). {@link #refitReason} says which.
     */
    public boolean refitted;
    /** Why the warm-up started (a constant or a short message made only then); null unless {@link #refitted}. */
    public String refitReason;
    /** True while the model is warming up (the frames from a (re)start until the warm-up steps are done). */
    public boolean warmingUp;
    /** Re-fits so far in this denoiser: warm-ups after the first one (scene, size or bit-depth changes). */
    public int refits;
    /**
     * The scene-change statistic of this frame: the noise-corrected correlation of its block means with the
     * previous frame's (1 = same scene, 0 = unrelated); NaN when it could not be measured (first frame, a frame
     * with no structure above the noise).
     */
    public double sceneCorrelation = Double.NaN;
    /** Nanoseconds spent adapting and inferring. */
    public long adaptNanos;
    public long inferNanos;
    /** Fingerprint of the weights that produced this frame (for provenance); "" when the denoiser has none. */
    public String weightsFingerprint = "";
    /** Output pixels clipped at the top of the range on this frame where the input was not saturated. */
    public int clippedPixels;

    // Temporal denoising (NaN / 0 when it is off): the content's drift since the previous frame (pixels), the
    // estimated PSNR of the previous output frame without ground truth (NaN: not estimable, e.g. motion), and the
    // nanoseconds the temporal stage took: temporalNanos its own per-pixel work (filter, fresh-region bookkeeping,
    // blend, readout), of which temporalFilterNanos the filter and the conversion to float; temporalInferNanos the
    // fresh-pixel pass's net inference, kept apart because it is the net's cost, not the filter's.
    public double driftX = Double.NaN;
    public double driftY = Double.NaN;
    public double estimatedPsnrDb = Double.NaN;
    public long temporalNanos;
    public long temporalFilterNanos;
    public long temporalInferNanos;

    public void reset() {
        liveView = false;
        adaptationSteps = 0;
        adaptationLoss = Double.NaN;
        refitted = false;
        refitReason = null;
        warmingUp = false;
        refits = 0;
        sceneCorrelation = Double.NaN;
        adaptNanos = 0;
        inferNanos = 0;
        weightsFingerprint = "";
        clippedPixels = 0;
        driftX = Double.NaN;
        driftY = Double.NaN;
        estimatedPsnrDb = Double.NaN;
        temporalNanos = 0;
        temporalFilterNanos = 0;
        temporalInferNanos = 0;
    }

    public void copyFrom(DenoiseReport o) {
        liveView = o.liveView;
        adaptationSteps = o.adaptationSteps;
        adaptationLoss = o.adaptationLoss;
        refitted = o.refitted;
        refitReason = o.refitReason;
        warmingUp = o.warmingUp;
        refits = o.refits;
        sceneCorrelation = o.sceneCorrelation;
        adaptNanos = o.adaptNanos;
        inferNanos = o.inferNanos;
        weightsFingerprint = o.weightsFingerprint;
        clippedPixels = o.clippedPixels;
        driftX = o.driftX;
        driftY = o.driftY;
        estimatedPsnrDb = o.estimatedPsnrDb;
        temporalNanos = o.temporalNanos;
        temporalFilterNanos = o.temporalFilterNanos;
        temporalInferNanos = o.temporalInferNanos;
    }
}
