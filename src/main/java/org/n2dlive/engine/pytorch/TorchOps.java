package org.n2dlive.engine.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.n2dlive.n2d.NetFunction;

/**
 * The tensor building blocks of Noise2Detail on DJL arrays. Every result attaches to the manager of its
 * first operand, so callers keep the per-step/per-frame sub-manager first. Stateless, thread-safe.
 */
public final class TorchOps {
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape TWO = new Shape(2, 2);
    private static final Shape ZERO = new Shape(0, 0);

    private TorchOps() {
    }

    /**
     * Splits [N,1,H,W] (H, W even) into the two diagonal averages of every 2×2 block:
     * D1 = (a + d)/2 with filter [[.5,0],[0,.5]], D2 = (b + c)/2 with filter [[0,.5],[.5,0]]; each [N,1,H/2,W/2].
     */
    public static NDList pairDownsample(NDArray x) {
        NDManager m = x.getManager();
        NDArray filters = m.create(new float[] {0.5f, 0f, 0f, 0.5f, 0f, 0.5f, 0.5f, 0f}, new Shape(2, 1, 2, 2))
                .toDevice(x.getDevice(), false);
        NDArray both = x.getNDArrayInternal().convolution(x, filters, null, TWO, ZERO, ONE, 1).singletonOrThrow();
        return both.split(2, 1);
    }

    /** Mean squared error over all elements (a scalar). */
    public static NDArray mse(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    /** clamp(x, 0, 1). */
    public static NDArray clamp01(NDArray x) {
        return x.clip(0f, 1f);
    }

    /** One stage-1 denoising pass: clamp(x − f(x), 0, 1). */
    public static NDArray denoise(NetFunction f, NDArray x) {
        return clamp01(x.sub(f.apply(x)));
    }

    /**
     * Pixel unshuffle of [1,1,H,W] into a batch [s²,1,H/s,W/s]: sub-image k = i·s + j holds x[i::s, j::s]
     * (PyTorch's pixel_unshuffle channel order, used as a batch of single-channel images).
     */
    public static NDArray unshuffle(NDArray x, int s) {
        Shape sh = x.getShape();
        long h = sh.get(2) / s;
        long w = sh.get(3) / s;
        return x.reshape(h, s, w, s).transpose(1, 3, 0, 2).reshape(s * s, 1, h, w);
    }

    /** Exact inverse of {@link #unshuffle}: [s²,1,h,w] back to [1,1,h·s,w·s]. */
    public static NDArray shuffle(NDArray x, int s) {
        Shape sh = x.getShape();
        long h = sh.get(2);
        long w = sh.get(3);
        return x.reshape(s, s, h, w).transpose(2, 0, 3, 1).reshape(1, 1, h * s, w * s);
    }

    /** Stage 2: mean of stage 1 and the s = 2 and s = 4 pixel-shuffle paths. */
    public static NDArray ensemble(NetFunction f, NDArray y, NDArray stage1) {
        NDArray sum = stage1;
        for (int s : new int[] {2, 4}) {
            NDArray sub = denoise(f, unshuffle(y, s));
            sum = sum.add(denoise(f, shuffle(sub, s)));
        }
        return sum.div(3f);
    }
}
