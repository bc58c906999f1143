package org.n2dlive.stream;

/**
 * What happened to one frame inside the denoiser. Pre-allocated per ring slot and reset for every
 * frame, so reporting does not allocate. Written by the worker thread, read by the producer after
 * the slot is handed back through the ring (the ring's sequence barrier orders the accesses).
 */
public final class DenoiseReport {
    /** Adaptation (training) steps run on this frame, all nets together. */
    public int adaptationSteps;
    /** Mean adaptation loss on this frame; NaN when no step ran. */
    public double adaptationLoss = Double.NaN;
    /** True when the model was (re)fitted from scratch on this frame (first frame, scene or size change). */
    public boolean refitted;
    /** Nanoseconds spent adapting and inferring. */
    public long adaptNanos;
    public long inferNanos;

    // Temporal denoising (NaN / 0 when it is off): the content's drift since the previous frame (pixels), the
    // estimated PSNR of the previous output frame without ground truth (NaN: not estimable, e.g. motion), and the
    // nanoseconds the temporal filter and readout took.
    public double driftX = Double.NaN;
    public double driftY = Double.NaN;
    public double estimatedPsnrDb = Double.NaN;
    public long temporalNanos;

    public void reset() {
        adaptationSteps = 0;
        adaptationLoss = Double.NaN;
        refitted = false;
        adaptNanos = 0;
        inferNanos = 0;
        driftX = Double.NaN;
        driftY = Double.NaN;
        estimatedPsnrDb = Double.NaN;
        temporalNanos = 0;
    }

    public void copyFrom(DenoiseReport o) {
        adaptationSteps = o.adaptationSteps;
        adaptationLoss = o.adaptationLoss;
        refitted = o.refitted;
        adaptNanos = o.adaptNanos;
        inferNanos = o.inferNanos;
        driftX = o.driftX;
        driftY = o.driftY;
        estimatedPsnrDb = o.estimatedPsnrDb;
        temporalNanos = o.temporalNanos;
    }
}
