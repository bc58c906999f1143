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
    /** Fingerprint of the weights that produced this frame (for provenance); "" when the denoiser has none. */
    public String weightsFingerprint = "";

    public void reset() {
        adaptationSteps = 0;
        adaptationLoss = Double.NaN;
        refitted = false;
        adaptNanos = 0;
        inferNanos = 0;
        weightsFingerprint = "";
    }

    public void copyFrom(DenoiseReport o) {
        adaptationSteps = o.adaptationSteps;
        adaptationLoss = o.adaptationLoss;
        refitted = o.refitted;
        adaptNanos = o.adaptNanos;
        inferNanos = o.inferNanos;
        weightsFingerprint = o.weightsFingerprint;
    }
}
