package org.n2dlive.engine.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.n2dlive.engine.DeviceTransfers;
import org.n2dlive.engine.NetFunction;

/**
 * The tensor building blocks of Noise2Detail on DJL arrays. Every result attaches to the manager of its
 * first operand, so callers keep the per-step/per-frame sub-manager first. Stateless, thread-safe.
 */
public final class TorchOps {
    private TorchOps() {
    }

    /**
     * Splits [N,1,H,W] (H, W even) into the two diagonal averages of every 2×2 block [[a,b],[c,d]]:
     * D1 = (a + d)/2 (the filter [[.5,0],[0,.5]], stride 2) and D2 = (b + c)/2 (the filter [[0,.5],[.5,0]]);
     * each [N,1,H/2,W/2]. Strided slices rather than a convolution with a constant filter: nothing in the
     * autograd graph is backed by Java memory.
     */
    public static NDList pairDownsample(NDArray x) {
        NDArray a = x.get(":, :, 0::2, 0::2");
        NDArray b = x.get(":, :, 0::2, 1::2");
        NDArray c = x.get(":, :, 1::2, 0::2");
        NDArray d = x.get(":, :, 1::2, 1::2");
        return new NDList(scale(a.add(d), 0.5f), scale(b.add(c), 0.5f));
    }

    /**
     * A tensor holding a copy of {@code data}, in memory PyTorch owns. DJL's {@code create} wraps a Java direct
     * buffer (from_blob); copying once keeps tensor lifetimes independent of the Java garbage collector.
     */
    public static NDArray tensor(NDManager m, float[] data, int length, Shape shape) {
        DeviceTransfers.record(DeviceTransfers.Kind.FRAME_UPLOAD, 4L * length);
        return copyIn(m, data, length, shape);
    }

    /** {@link #tensor}, counted as a training crop rather than a frame. */
    public static NDArray crop(NDManager m, float[] data, int length, Shape shape) {
        DeviceTransfers.record(DeviceTransfers.Kind.CROP_UPLOAD, 4L * length);
        return copyIn(m, data, length, shape);
    }

    /** {@link #tensor}, counted as network parameters rather than image data. */
    static NDArray weights(NDManager m, float[] data, int length, Shape shape) {
        DeviceTransfers.record(DeviceTransfers.Kind.WEIGHTS_UPLOAD, 4L * length);
        return copyIn(m, data, length, shape);
    }

    private static NDArray copyIn(NDManager m, float[] data, int length, Shape shape) {
        try (NDArray staged = m.create(java.nio.FloatBuffer.wrap(data, 0, length), shape)) {
            return staged.duplicate();
        }
    }

    /**
     * {@code x · factor}, the factor held in PyTorch-owned memory. DJL's {@code mul(Number)} wraps the scalar in a
     * 0-d tensor over a Java direct buffer (from_blob) and closes it after the op; autograd keeps that tensor for
     * the backward pass, and once the garbage collector frees the buffer the gradients read garbage (measured:
     * training diverged or went NaN within 10 steps while another thread churned the heap). Use this, never
     * {@code mul(Number)}, on anything a loss is computed from.
     */
    public static NDArray scale(NDArray x, float factor) {
        return x.mul(constant(x.getManager(), factor));
    }

    /** A 0-d float tensor in PyTorch-owned memory, attached to {@code m}. */
    public static NDArray constant(NDManager m, float value) {
        DeviceTransfers.record(DeviceTransfers.Kind.SCALAR_UPLOAD, 4L);
        return copyIn(m, new float[] {value}, 1, new Shape());
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
        return sum.div(constant(sum.getManager(), 3f));
    }
}
