package org.n2dlive.engine.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.n2dlive.engine.DeviceTransfers;
import org.n2dlive.engine.NetFunction;
import org.n2dlive.engine.NetWeights;

/**
 * One N2D network's parameters as live DJL PyTorch arrays on a device, with gradients attached.
 *
 * <p>Conv3×3 1→C (pad 1), LeakyReLU 0.2, Conv3×3 C→C (pad 1), LeakyReLU 0.2, Conv1×1 C→1.
 * The arrays live in their own manager for the net's whole life and are updated in place by the optimiser.
 * To install other weights, {@link #load} them (in place) or build a new TorchNet (DJL's {@code NDArray.set(Buffer)}
 * would re-point a tensor at Java memory it does not own).
 * <p>On the CPU the tensors may be wider than the net ({@link #kernelWidth()} ≥ {@link #channels()}): the extra
 * channels are zero and stay zero (see {@link NetWeights#widenedTo}), and the width is the one
 * {@link CpuKernelCheck} found to compute right on this machine. Callers see only the net's own channels.
 * Threading: owned by one thread (the trainer's); not thread-safe.
 */
public final class TorchNet implements NetFunction, AutoCloseable {
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape PAD1 = new Shape(1, 1);
    private static final Shape PAD0 = new Shape(0, 0);
    static final ai.djl.ndarray.index.NDIndex ALL = new ai.djl.ndarray.index.NDIndex("...");

    private final NDManager manager;
    private final int channels;
    private final int width;
    private final NDArray[] params;

    public TorchNet(NDManager parent, Device device, NetWeights initial) {
        this(parent, device, initial, CpuKernelCheck.widthFor(device, initial.channels));
    }

    /** A net whose tensors are {@code width} channels wide (the kernel check itself picks it). */
    TorchNet(NDManager parent, Device device, NetWeights initial, int width) {
        this.manager = parent.newSubManager(device);
        this.channels = initial.channels;
        this.width = width;
        NetWeights laid = initial.widenedTo(width);
        float[][] arrays = laid.arrays();
        long[][] shapes = laid.shapes();
        params = new NDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            params[i] = TorchOps.weights(manager, arrays[i], arrays[i].length, new Shape(shapes[i]));
            params[i].setRequiresGradient(true);
        }
    }

    public int channels() {
        return channels;
    }

    /** The channels the tensors hold (≥ {@link #channels()}; the extra ones are zero). */
    public int kernelWidth() {
        return width;
    }

    /** The six parameter arrays (w1, b1, w2, b2, w3, b3), {@link #kernelWidth()} channels wide; live, do not close. */
    public NDArray[] parameters() {
        return params;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray h = conv(x, params[0], params[1], PAD1);
        h = h.getNDArrayInternal().leakyRelu(NetWeights.LEAKY_SLOPE);
        h = conv(h, params[2], params[3], PAD1);
        h = h.getNDArrayInternal().leakyRelu(NetWeights.LEAKY_SLOPE);
        return conv(h, params[4], params[5], PAD0);
    }

    private static NDArray conv(NDArray x, NDArray w, NDArray b, Shape pad) {
        return x.getNDArrayInternal().convolution(x, w, b, ONE, pad, ONE, 1).singletonOrThrow();
    }

    /** A snapshot of the current weights. */
    public NetWeights snapshot() {
        NetWeights w = new NetWeights(width);
        float[][] arrays = w.arrays();
        for (int i = 0; i < params.length; i++) {
            float[] v = params[i].toFloatArray();
            DeviceTransfers.record(DeviceTransfers.Kind.WEIGHTS_DOWNLOAD, 4L * v.length);
            System.arraycopy(v, 0, arrays[i], 0, v.length);
        }
        return width == channels ? w : w.narrowedTo(channels);
    }

    /**
     * Adapts the net to an input mapping scaled by {@code factor} (a wider normalization: unit values × factor)
     * so that it denoises exactly as before, in raw units: every layer is a convolution plus a bias and LeakyReLU
     * is positively homogeneous, so with each bias × factor, f(factor·y) = factor·f(y). No re-fit is needed.
     */
    public void rescaleInput(float factor) {
        if (!(factor > 0) || !Float.isFinite(factor)) {
            throw new IllegalArgumentException("input scale factor must be positive and finite, got " + factor);
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 1; i < params.length; i += 2) params[i].muli(factor); // in place: b1, b2, b3
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * Installs other weights of the same shape in place: the parameter tensors (and their gradients) stay where they
     * are, so a model that switches between series allocates nothing native that outlives the call. NDIndex "..."
     * copies into the existing tensor (PyTorch's index_put_), unlike {@code NDArray.set(Buffer)}.
     */
    public void load(NetWeights w) {
        if (w.channels != channels) {
            throw new IllegalArgumentException("weights with " + w.channels + " channels cannot go into a net with " + channels);
        }
        float[][] arrays = (width == channels ? w : w.widenedTo(width)).arrays();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < params.length; i++) {
                params[i].set(ALL, TorchOps.weights(scratch, arrays[i], arrays[i].length, params[i].getShape()));
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** Clears accumulated gradients (PyTorch adds into .grad on every backward). */
    public void zeroGradients() {
        for (NDArray p : params) JniUtils.zeroGrad((PtNDArray) p);
    }

    @Override
    public void close() {
        manager.close();
    }
}
