package org.n2dlive.mm;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.n2d.WarmModel;
import org.n2dlive.n2d.WarmWeights;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * The model of one stream as the host sees it: it passes every frame through to the model on the stream's
 * worker and writes the weights' fingerprint into the frame's report, so provenance travels with the frame and
 * the pipeline thread never has to call into the model (which belongs to the worker) or wait for it.
 *
 * <p>Threading: denoise, weightsFingerprint and close on the worker (the model's own thread);
 * {@link #latestWeights()} and {@link #queueWeights} from any thread (the warm-start model's thread-safe
 * snapshot and load queue).
 */
final class ModelView implements FrameDenoiser {
    private final FrameDenoiser model;
    private final PluginSettings settings;

    ModelView(FrameDenoiser model, PluginSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    /** Denoises, then stamps the report with the weights that produced the frame (they adapt on every frame). */
    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        denoise(SeriesKey.SINGLE, src, dst, report);
    }

    /** The series goes through to the model (one model per series), not the series-blind overload. */
    @Override
    public void denoise(SeriesKey series, Frame src, Frame dst, DenoiseReport report) throws Exception {
        try {
            model.denoise(series, src, dst, report);
        } finally {
            report.weightsFingerprint = model.weightsFingerprint();
        }
    }

    @Override
    public boolean learns() {
        return model.learns();
    }

    @Override
    public void outputRejected(SeriesKey series, String reason) {
        model.outputRejected(series, reason);
    }

    @Override
    public String weightsFingerprint() {
        return model.weightsFingerprint();
    }

    PluginSettings settings() {
        return settings;
    }

    /** Why the model could not be built, or null. */
    String failure() {
        return model instanceof FailedModel ? ((FailedModel) model).message() : null;
    }

    boolean isWarmStart() {
        return model instanceof WarmModel;
    }

    /** The weights after the latest frame, or null (not a warm-start model, or no frame yet). */
    WarmWeights latestWeights() {
        return model instanceof WarmModel ? ((WarmModel) model).latestWeights() : null;
    }

    /** Installs weights before the model's next frame. */
    void queueWeights(WarmWeights w) {
        if (!(model instanceof WarmModel)) {
            throw new IllegalStateException("this model (" + model.getClass().getSimpleName() + ") cannot load weights");
        }
        ((WarmModel) model).loadWeights(w);
    }

    @Override
    public void close() {
        model.close();
    }
}
