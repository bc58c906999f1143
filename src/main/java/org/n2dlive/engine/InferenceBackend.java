package org.n2dlive.engine;

/**
 * One way to run N2D inference (stages 1–3, weights frozen) on a unit-range image.
 * Backends: PyTorch (DJL, CPU or GPU) and ONNX Runtime (DJL, CPU).
 *
 * <p>Threading: an instance belongs to one thread (the worker that owns the model); not thread-safe.
 */
public interface InferenceBackend extends AutoCloseable {

    /** Short name for reports: "pytorch" or "onnx". */
    String name();

    /**
     * Installs the weights used by {@link #infer}: f for stages 1–2, g for stage 3 (may be null unless
     * FULL is run). Values are copied; later changes to the arguments do not affect the backend. A backend
     * made on a model's live nets (PyTorch in the warm-start worker) always infers with those nets as they
     * are, of which the arguments are snapshots: for it this call changes nothing.
     */
    void setWeights(NetWeights f, NetWeights g);

    /**
     * Runs the pipeline on {@code y} (row-major, {@code width × height}, both multiples of 4, values in
     * unit range). {@code out[k]}, when not null, receives stage k+1's image (length ≥ width·height);
     * {@code out.length} must equal {@code pipeline.stages()}.
     */
    void infer(float[] y, int width, int height, Pipeline pipeline, float[][] out);

    @Override
    void close();
}
