package org.n2dlive.engine.pytorch;

import ai.djl.ndarray.NDArray;

/**
 * The nets a model is training, read by {@link TorchInference#onLiveNets} at every inference, so the PyTorch
 * backend runs on them in place instead of copying six arrays into new tensors per frame.
 *
 * <p>Threading: called on the thread that owns the nets (the model's worker), during {@code infer}.
 */
public interface LiveNets {
    /** Net f (stages 1–2); never null while inference runs. */
    TorchNet f();

    /** Net g (stage 3), or null when the model does not run stage 3. */
    TorchNet g();

    /**
     * The frame being inferred, already on the nets' device ([1, 1, H, W], the same pixels as the array given to
     * {@code infer}), or null: a model that trained on the frame hands it over so it is not uploaded twice.
     */
    default NDArray frameOnDevice() {
        return null;
    }
}
