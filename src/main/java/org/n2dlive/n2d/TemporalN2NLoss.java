package org.n2dlive.n2d;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.Supplier;
import org.n2dlive.engine.LossTerm;
import org.n2dlive.engine.NetFunction;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.frame.Normalization;

/**
 * The temporal Noise2Noise training term: the net denoises the current raw frame and is scored against a
 * low-noise target made of earlier frames of the same scene — the drift-aligned, motion-gated history of
 * {@link org.n2dlive.temporal.TemporalFilter}. The frame's noise and the history's are independent draws, so the
 * target is unbiased (E[loss] = MSE(prediction, clean) + var(target)), and averaging q frames cuts the gradient's
 * noise q-fold compared with one previous frame as target. Each pixel is weighted by how much the history can be
 * trusted there: agreement g times q/(q + 1) (zero where something moved: no target at all). Loss:
 * Σ m·(x − f(x) − t)² / Σ m on a crop of the same size as the step's input, at its own random position.
 *
 * <p>The arrays are set once per frame with {@link #setPair} (raw units, put in the denoiser's unit range); the term
 * ignores the step's input and target, which belong to the spatial term. Threading: the training thread only.
 */
public final class TemporalN2NLoss implements LossTerm {
    private final Random random;
    private float[] input = new float[0];
    private float[] target = new float[0];
    private float[] weight = new float[0];
    private float[] crop = new float[0];
    private float[] cropTarget = new float[0];
    private float[] cropWeight = new float[0];
    private int width;
    private int height;
    private boolean ready;

    /** The mapping the pair is put in unit range by: the denoiser's, read when the pair is set (null: no pair yet). */
    private final Supplier<Normalization> units;

    /** @param units the trained model's mapping to unit range (null before its first frame) */
    public TemporalN2NLoss(long seed, Supplier<Normalization> units) {
        this.random = new Random(seed);
        this.units = units;
    }

    /**
     * This frame's pair, in raw units: the raw frame against the aligned history, each pixel weighted by the
     * history's agreement {@code trust} times q / (q + 1) (q its aligned precision; no target where q = 0). No pair
     * while the model has no mapping yet.
     */
    public void setPair(float[] raw, float[] history, float[] precision, float[] trust, int w, int h) {
        Normalization norm = units.get();
        if (norm == null) {
            clear();
            return;
        }
        int n = w * h;
        if (input.length < n) {
            input = new float[n];
            target = new float[n];
            weight = new float[n];
        }
        float off = (float) norm.offset();
        float inv = (float) (1 / norm.scale());
        double sum = 0;
        for (int i = 0; i < n; i++) {
            input[i] = (raw[i] - off) * inv;
            target[i] = (history[i] - off) * inv;
            float q = precision[i];
            weight[i] = q > 0 ? trust[i] * q / (q + 1) : 0;
            sum += weight[i];
        }
        width = w;
        height = h;
        ready = sum > 0;
    }

    /** No pair this frame (first frame of a history, a scene change). */
    public void clear() {
        ready = false;
    }

    public boolean ready() {
        return ready;
    }

    @Override
    public NDArray compute(NetFunction net, NDArray stepInput, NDArray stepTarget) {
        NDManager m = stepInput.getManager();
        if (!ready) return TorchOps.constant(m, 0f);
        long[] s = stepInput.getShape().getShape();
        int ch = (int) Math.min(s[2], height);
        int cw = (int) Math.min(s[3], width);
        int n = ch * cw;
        if (crop.length < n) {
            crop = new float[n];
            cropTarget = new float[n];
            cropWeight = new float[n];
        }
        int r0 = random.nextInt(height - ch + 1);
        int c0 = random.nextInt(width - cw + 1);
        double wsum = 0;
        for (int y = 0; y < ch; y++) {
            int src = (r0 + y) * width + c0;
            System.arraycopy(input, src, crop, y * cw, cw);
            System.arraycopy(target, src, cropTarget, y * cw, cw);
            for (int x = 0; x < cw; x++) {
                cropWeight[y * cw + x] = weight[src + x];
                wsum += weight[src + x];
            }
        }
        if (!(wsum > 0)) return TorchOps.constant(m, 0f);
        Shape shape = new Shape(1, 1, ch, cw);
        NDArray x = TorchOps.tensor(m, crop, n, shape);
        NDArray t = TorchOps.tensor(m, cropTarget, n, shape);
        NDArray mask = TorchOps.tensor(m, cropWeight, n, shape);
        NDArray prediction = x.sub(net.apply(x));
        NDArray err = prediction.sub(t);
        return TorchOps.scale(err.mul(err).mul(mask).sum(), (float) (1.0 / wsum));
    }

    @Override
    public String name() {
        return "temporal-n2n";
    }
}
