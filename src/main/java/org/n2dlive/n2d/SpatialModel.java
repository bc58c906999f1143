package org.n2dlive.n2d;

import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;

/**
 * What the temporal stage ({@link TemporalDenoiser}) asks of the spatial model behind it: one call per frame, in
 * floats and raw units, so that the frame is rounded once, at the end; and, for {@link FreshPixelPass}, the raw
 * frame's own denoising with that frame's weights. Implemented by {@link WarmStartDenoiser}.
 *
 * <p>Threading: the worker's, like the stage.
 */
public interface SpatialModel extends WarmModel {

    /**
     * Adapts to {@code input} and denoises it.
     *
     * @param input    the frame to adapt to and denoise (the fused frame, or the raw one), raw units, unrounded
     * @param raw      the camera frame behind it: its type and geometry are the input's
     * @param rawShare share (0..1) of this frame's training steps that crop {@code raw} instead of the input
     * @param out      receives the denoised frame, raw units, unrounded (length ≥ the pixel count)
     * @return false when the model vouches for nothing yet and passed its input through (warming up in live view:
     *         the caller shows what it has), true when {@code out} is its denoising
     */
    boolean denoise(SeriesKey series, float[] input, Frame raw, double rawShare, float[] out, DenoiseReport report)
            throws Exception;

    /**
     * Denoises {@code raw} with the weights of the last {@link #denoise}: no training, no scene detection, no change
     * of the mapping. Writes raw units, unrounded.
     */
    void denoiseAgain(Frame raw, Pipeline pipeline, float[] out);

    /** As {@link #denoiseAgain(Frame, Pipeline, float[])}, inside {@code tiles} only (laid on the padded frame). */
    void denoiseAgain(Frame raw, TileMosaic tiles, float[] out);
}
