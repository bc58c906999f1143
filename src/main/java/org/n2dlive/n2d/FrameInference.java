package org.n2dlive.n2d;

import ai.djl.Device;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.engine.pytorch.LiveNets;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.ReflectPad;

/**
 * The inference path of a {@link WarmStartDenoiser}: the configured pipeline on the full padded frame with the weights
 * just adapted, and, for the temporal stage, another frame of the same geometry denoised again with those weights
 * ({@link #denoiseAgain}: the whole frame, or tiles of it). PyTorch runs on the trainer's live nets, ONNX Runtime on
 * snapshots of them.
 *
 * <p>Threading: the worker's.
 */
final class FrameInference implements AutoCloseable {
    private final Pipeline pipeline;
    private final InferenceBackend backend;
    private float[][] stageOut; // per padded size, made on first use; the last stage is outputBuffer
    /** The padded output of the last inference, per padded size. */
    private float[] output;
    /** The full pipeline while g is still warming up: stages 1-2 into the same output buffer. */
    private float[][] warmupStageOut;
    /** {@link #denoiseAgain}'s stage outputs per pipeline (their last stage: {@link #outputBuffer}). */
    private final float[][][] againOut = new float[Pipeline.values().length][][];

    FrameInference(WarmStartSettings settings, Device device, BudgetedTrainer nets) {
        this.pipeline = settings.pipeline();
        this.backend = Backends.create(settings.engine().name(), device, new LiveNets() { // read on this thread
            @Override
            public TorchNet f() {
                return nets.f();
            }

            @Override
            public TorchNet g() {
                return nets.g();
            }
        });
    }

    /** One inference of the pipeline on a crop-sized test pattern: the engine's first-use cost, paid before a frame. */
    void prewarm(WarmWeights weights, float[] y, int size) {
        float[][] out = new float[pipeline.stages()][];
        out[out.length - 1] = new float[y.length];
        backend.setWeights(weights.f, weights.g);
        backend.infer(y, size, size, pipeline, out);
    }

    /**
     * The configured pipeline on the padded frame with
     * {@code weights}; while warming up, the full pipeline stops at stage 2: g starts untrained (it maps the stage-2
     * image to the noisy halves, no residual) and its early output is no image.
     *
     * @return the padded output, unit range (this object's buffer, valid until the next frame)
     */
    float[] infer(float[] padded, int paddedWidth, int paddedHeight, WarmWeights weights, boolean warmingUp) {
        float[] result = outputBuffer(padded.length);
        if (stageOut == null || stageOut[stageOut.length - 1] != result) {
            stageOut = new float[pipeline.stages()][];
            stageOut[stageOut.length - 1] = result;
            warmupStageOut = new float[Pipeline.ENSEMBLE.stages()][];
            warmupStageOut[warmupStageOut.length - 1] = result;
        }
        boolean stopAtStage2 = warmingUp && pipeline == Pipeline.FULL;
        backend.setWeights(weights.f, weights.g); // changes nothing for PyTorch on the live nets
        backend.infer(padded, paddedWidth, paddedHeight, stopAtStage2 ? Pipeline.ENSEMBLE : pipeline,
                stopAtStage2 ? warmupStageOut : stageOut);
        return stageOut[stageOut.length - 1];
    }

    /**
     * {@code other} (checked to have the series' last geometry and type) denoised by {@code pipeline} with the weights
     * of the last frame, into {@code out} in raw units, unrounded: the whole frame, or for non-null {@code tiles}
     * (laid on the padded frame) only inside them, where {@code out} gets exactly the whole-frame values. {@code unit}
     * and {@code padded} are the caller's work buffers for the geometry (free between frames); the padded result
     * goes into the frame inference's own output buffer, free once a frame's output is cropped: no frame-sized buffer
     * of its own (at 2048² each is 16.8 MB).
     */
    void denoiseAgain(SeriesState series, Frame other, Pipeline pipeline, TileMosaic tiles, float[] out, float[] unit,
                      float[] padded) {
        int w = series.width, h = series.height, pw = WarmStartDenoiser.paddedSize(w), ph = WarmStartDenoiser.paddedSize(h);
        if (tiles != null && (tiles.width() != pw || tiles.height() != ph)) {
            throw new IllegalArgumentException("the tiles are laid on " + tiles.width() + "x" + tiles.height()
                    + ", the padded frame is " + pw + "x" + ph);
        }
        series.normalization.toUnit(other, unit);
        ReflectPad.pad(unit, w, h, padded, pw, ph);
        float[] result = outputBuffer(pw * ph);
        int k = pipeline.ordinal();
        if (againOut[k] == null) againOut[k] = new float[pipeline.stages()][];
        againOut[k][pipeline.stages() - 1] = result;
        if (tiles == null) backend.infer(padded, pw, ph, pipeline, againOut[k]); // the weights of the last frame
        else tiles.run(backend, padded, result);
        ReflectPad.crop(result, pw, unit, w, h);
        float s = (float) series.normalization.scale(), off = (float) series.normalization.offset();
        for (int i = 0; i < w * h; i++) out[i] = unit[i] * s + off;
    }

    private float[] outputBuffer(int paddedPixels) {
        if (output == null || output.length != paddedPixels) output = new float[paddedPixels];
        return output;
    }

    @Override
    public void close() {
        backend.close();
    }
}
