package org.n2dlive.n2d;

import org.n2dlive.stream.FrameDenoiser;

/**
 * What a host needs of a model whose weights carry over from frame to frame: the weights after the latest
 * frame (to save them), a way to start from saved ones, and (from {@link FrameDenoiser}) their fingerprint.
 *
 * <p>Threading: {@link #latestWeights} and {@link #loadWeights} are safe from any thread; everything else
 * belongs to the worker, as for any {@link FrameDenoiser}.
 */
public interface WarmModel extends FrameDenoiser {

    /** The weights after the latest frame, or null before the first. */
    WarmWeights latestWeights();

    /**
     * Queues weights to install before the next frame, which then adapts instead of fitting from scratch.
     *
     * @throws IllegalArgumentException when they do not fit the model (channel count, missing stage-3 net)
     */
    void loadWeights(WarmWeights weights);

    /**
     * Starts from weights made on another scene of the same kind (another stage position or z-slice of the
     * channel): installed like {@link #loadWeights}, then warmed up on this scene as after a scene change, rather
     * than taken as already adapted. By default the same as {@link #loadWeights}.
     */
    default void warmUpFrom(WarmWeights weights) {
        loadWeights(weights);
    }

    /**
     * The warm-start model inside, which {@link SeriesDenoiser} can recycle for another series (suspend, resume) and
     * share between series; null for a model that can only be started from weights.
     */
    default WarmStartDenoiser core() {
        return null;
    }
}
