package org.n2dlive.engine.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.n2dlive.engine.DeviceTransfers;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.NetWeights;

/**
 * N2D inference on DJL's PyTorch engine (CPU or GPU). Either holds its own copies of f and g (installed by
 * {@link #setWeights}), or runs on a model's live nets ({@link #onLiveNets}): the warm-start worker infers
 * after every frame's adaptation, and reading the trained tensors in place saves building six new tensors
 * per frame. Every call runs in a per-call sub-manager with grad mode off for the calling thread, so nothing
 * accumulates across frames.
 * Threading: owned by one thread (with live nets, the thread that trains them).
 */
public final class TorchInference implements InferenceBackend {
    private final NDManager manager;
    private final Device device;
    private final LiveNets live; // null: own copies
    private TorchNet f;
    private TorchNet g;
    private String fingerprint = "";

    /** A backend with its own copies of the weights, in a sub-manager of {@code parent}. */
    public TorchInference(NDManager parent, Device device) {
        this(parent.newSubManager(device), device, null);
    }

    /** A backend with its own copies of the weights and its own base manager on {@code device}. */
    public TorchInference(Device device) {
        this(TorchRuntime.manager(device), device, null);
    }

    private TorchInference(NDManager manager, Device device, LiveNets live) {
        this.manager = manager;
        this.device = device;
        this.live = live;
    }

    /**
     * A backend that infers on {@code nets} as they are at each call. {@link #setWeights} then changes nothing:
     * the caller's weights are snapshots of those same nets. The nets stay the caller's (not closed here).
     */
    public static TorchInference onLiveNets(Device device, LiveNets nets) {
        if (nets == null) throw new IllegalArgumentException("live nets must not be null");
        return new TorchInference(TorchRuntime.manager(device), device, nets);
    }

    @Override
    public String name() {
        return "pytorch";
    }

    @Override
    public void setWeights(NetWeights fw, NetWeights gw) {
        if (live != null) return;
        String fp = fw.fingerprint() + (gw == null ? "" : gw.fingerprint());
        if (fp.equals(fingerprint)) return;
        f = install(f, fw);
        g = gw == null ? g : install(g, gw);
        fingerprint = fp;
    }

    private TorchNet install(TorchNet net, NetWeights w) {
        if (net != null) net.close();
        return new TorchNet(manager, device, w); // six small arrays: cheaper than any in-place copy path DJL offers
    }

    private static void run(NDManager parent, TorchNet f, TorchNet g, float[] y, int width, int height,
                           Pipeline pipeline, float[][] out) {
        check(y, width, height, pipeline, out);
        try (NDManager m = parent.newSubManager()) {
            run(m, f, g, TorchOps.tensor(m, y, width * height, new Shape(1, 1, height, width)), pipeline, out);
        }
    }

    /** Runs the given nets on a frame on their device ([1,1,H,W], H and W multiples of 4). */
    private static void run(NDManager parent, TorchNet f, TorchNet g, NDArray x, Pipeline pipeline, float[][] out) {
        Shape sh = x.getShape();
        int height = (int) sh.get(2);
        int width = (int) sh.get(3);
        check(null, width, height, pipeline, out, false);
        if (pipeline == Pipeline.FULL && g == null) throw new IllegalStateException("stage 3 needs the second net g");
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = parent.newSubManager()) {
            NDArray s1 = TorchOps.denoise(f, x);
            copyOut(s1, out, 0, width * height);
            if (pipeline.stages() < 2) return;
            NDArray s2 = TorchOps.ensemble(f, x, s1);
            copyOut(s2, out, 1, width * height);
            if (pipeline.stages() < 3) return;
            NDArray s3 = TorchOps.clamp01(g.apply(s2));
            copyOut(s3, out, 2, width * height);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    public void infer(float[] y, int width, int height, Pipeline pipeline, float[][] out) {
        TorchNet nf = live != null ? live.f() : f;
        TorchNet ng = live != null ? live.g() : g;
        if (nf == null) throw new IllegalStateException("no weights installed");
        run(manager, nf, ng, y, width, height, pipeline, out);
    }

    private static void copyOut(NDArray a, float[][] out, int k, int n) {
        if (out[k] == null) return;
        DeviceTransfers.record(DeviceTransfers.Kind.FRAME_DOWNLOAD, 4L * n);
        a.toDevice(Device.cpu(), false).toByteBuffer().asFloatBuffer().get(out[k], 0, n);
    }

    static void check(float[] y, int width, int height, Pipeline pipeline, float[][] out) {
        check(y, width, height, pipeline, out, true);
    }

    private static void check(float[] y, int width, int height, Pipeline pipeline, float[][] out, boolean checkInput) {
        if (width <= 0 || height <= 0 || width % 4 != 0 || height % 4 != 0) {
            throw new IllegalArgumentException("inference needs width and height that are positive multiples of 4, got "
                    + width + "x" + height + " (pad the frame first)");
        }
        if (checkInput && y.length < width * height) throw new IllegalArgumentException("image array shorter than " + width + "x" + height);
        if (out.length != pipeline.stages()) {
            throw new IllegalArgumentException("need " + pipeline.stages() + " output slots for " + pipeline + ", got " + out.length);
        }
        for (float[] o : out) {
            if (o != null && o.length < width * height) throw new IllegalArgumentException("output array shorter than the image");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
