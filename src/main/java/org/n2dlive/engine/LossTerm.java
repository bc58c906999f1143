package org.n2dlive.engine;

import ai.djl.ndarray.NDArray;

/**
 * One piece of the training objective. Terms are summed by {@link CompositeLoss}, so new evidence
 * (e.g. a temporal Noise2Noise term pairing two frames of the same scene) joins without touching the
 * spatial Zero-Shot Noise2Noise term.
 *
 * <p>Arrays are [1,1,H,W] (H, W even) in the caller's per-step NDManager; the result is a scalar.
 */
public interface LossTerm {

    /**
     * @param net    the net being trained
     * @param input  what the net sees (the noisy frame in stage 1, the stage-2 image in stage 3)
     * @param target the noisy observation the prediction must explain
     */
    NDArray compute(NetFunction net, NDArray input, NDArray target);

    /** A short name for logs. */
    String name();
}
