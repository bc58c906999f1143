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
}
