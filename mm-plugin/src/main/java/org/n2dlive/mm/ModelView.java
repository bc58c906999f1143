package org.n2dlive.mm;

import org.n2dlive.frame.Frame;
import org.n2dlive.n2d.WarmModel;
import org.n2dlive.n2d.WarmWeights;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * The model of one stream as the host sees it: it passes every call through to the model on the stream's
 * worker and, after each frame, publishes the weights' fingerprint for provenance, so the pipeline thread
 * never has to call into the model (which belongs to the worker) or wait for it.
 *
 * <p>Threading: denoise and close on the worker (the model's own thread); the fingerprint getters,
 * {@link #latestWeights()} and {@link #queueWeights} from any thread (the latter two use the warm-start
 * model's thread-safe snapshot and load queue).
 */
final class ModelView implements FrameDenoiser {
    /** Fingerprints kept per call: more than a RECORD ring's frames in flight (at most 16384 slots). */
    private static final int HISTORY = 1 << 15;

    private final FrameDenoiser model;
    private final PluginSettings settings;
    private volatile String fingerprint = "";
    // Written by the worker before the frame is handed back (the stream's completion orders the reads).
    private final String[] history = new String[HISTORY];
    private volatile long calls;

    ModelView(FrameDenoiser model, PluginSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        try {
            model.denoise(src, dst, report);
        } finally {
            String fp = model.weightsFingerprint();
            fingerprint = fp;
            long k = calls;
            history[(int) (k & (HISTORY - 1))] = fp;
            calls = k + 1;
        }
    }

    @Override
    public String weightsFingerprint() {
        return fingerprint;
    }

    String fingerprint() {
        return fingerprint;
    }

    /**
     * The fingerprint after the model's {@code call}-th frame (from 0). In RECORD every frame of a stream
     * is denoised, in order, so a completed frame's sequence number is that call; falls back to the latest
     * fingerprint when the call is not (or no longer) known.
     */
    String fingerprintAfterCall(long call) {
        long n = calls;
        if (call >= 0 && call < n && n - call <= HISTORY) {
            String fp = history[(int) (call & (HISTORY - 1))];
            if (fp != null) return fp;
        }
        return fingerprint;
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
