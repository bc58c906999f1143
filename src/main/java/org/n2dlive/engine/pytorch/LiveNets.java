package org.n2dlive.engine.pytorch;

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

}
