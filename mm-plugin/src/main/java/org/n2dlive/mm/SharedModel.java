package org.n2dlive.mm;

import org.n2dlive.frame.Frame;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * The warm model as every stream sees it. One model serves successive streams (live, then an
 * acquisition, then live again), so closing a stream must not close the model: {@link #close()} does
 * nothing and the host ends the model with {@link #retire()}.
 *
 * <p>Threading: {@link #denoise} runs on the worker of whichever stream is open; saving or loading
 * weights runs on the configurator's thread. Both hold this object's lock, so the model is never used by
 * two threads at once and each sees the other's writes. Only one stream is open at a time, so the lock
 * is uncontended on the frame path. {@link #fingerprint()} is a volatile read, safe from any thread
 * without waiting for a frame in progress.
 */
final class SharedModel implements FrameDenoiser {
    /** What the configurator can do with the model. */
    interface WeightsAction {
        void run(FrameDenoiser model) throws Exception;
    }

    private final FrameDenoiser model;
    private final String description;
    private volatile String fingerprint = "";
    private boolean retired;

    SharedModel(FrameDenoiser model, String description) {
        this.model = model;
        this.description = description;
    }

    @Override
    public synchronized void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        if (retired) {
            throw new IllegalStateException("the model was replaced (settings changed); frame passed through");
        }
        model.denoise(src, dst, report);
        fingerprint = model.weightsFingerprint();
    }

    @Override
    public String weightsFingerprint() {
        return fingerprint;
    }

    /** Fingerprint of the weights after the latest frame (volatile read, never waits). */
    String fingerprint() {
        return fingerprint;
    }

    String description() {
        return description;
    }

    FrameDenoiser model() {
        return model;
    }

    /** Runs an action on the model between frames. */
    synchronized void withModel(WeightsAction action) throws Exception {
        if (retired) throw new IllegalStateException("the model was replaced (settings changed)");
        action.run(model);
        fingerprint = model.weightsFingerprint();
    }

    /** A stream closing its view of the model: the model stays warm for the next stream. */
    @Override
    public void close() {
    }

    /** Ends the model for good (new settings, or the host closing). */
    synchronized void retire() {
        if (!retired) {
            retired = true;
            model.close();
        }
    }
}
