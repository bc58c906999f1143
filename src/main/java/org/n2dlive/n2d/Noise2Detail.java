package org.n2dlive.n2d;

import org.n2dlive.engine.pytorch.TorchRuntime;
import org.n2dlive.engine.NetWeights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;
import org.n2dlive.frame.ReflectPad;

/**
 * Noise2Detail on one image, "full" mode: the published three-stage method.
 * <ol>
 *   <li>fit f with the Zero-Shot Noise2Noise loss (residual); stage 1 = clamp(y − f(y), 0, 1)</li>
 *   <li>f frozen: mean of stage 1 and the pixel-shuffle paths s = 2, 4 (see {@code TorchOps.ensemble})</li>
 *   <li>fit a fresh g mapping the stage-2 image to the noisy halves; stage 3 = clamp(g(stage2), 0, 1)</li>
 * </ol>
 * Training runs on DJL's PyTorch engine; inference on the given backend.
 * Any image size: the image is reflect-padded to a multiple of 4 and every stage is cropped back.
 * Threading: one run at a time, on the calling thread.
 */
public final class Noise2Detail implements AutoCloseable {

    /** Progress of a long run (called on the running thread, every step). */
    public interface Progress {
        void step(int stage, int step, int total, double loss);
    }

    /** Stage images (unit range, the input's size) and the fitted weights. */
    public static final class Result {
        public final int width;
        public final int height;
        public final float[] stage1;
        public final float[] stage2;
        public final float[] stage3;
        public final NetWeights f;
        public final NetWeights g;
        public final double lastLoss1;
        public final double lastLoss3;

        Result(int width, int height, float[] s1, float[] s2, float[] s3, NetWeights f, NetWeights g, double l1, double l3) {
            this.width = width;
            this.height = height;
            this.stage1 = s1;
            this.stage2 = s2;
            this.stage3 = s3;
            this.f = f;
            this.g = g;
            this.lastLoss1 = l1;
            this.lastLoss3 = l3;
        }
    }

    private final NDManager base;
    private final Device device;
    private final InferenceBackend inference;

    /**
     * @param inference backend for the frozen-weight passes (from {@link Backends}); owned (closed) by this object
     */
    public Noise2Detail(Device device, InferenceBackend inference) {
        if (inference == null) throw new IllegalArgumentException("an inference backend is required (see Backends.create)");
        this.device = device;
        this.inference = inference;
        this.base = TorchRuntime.manager(device);
    }

    /** Full mode with an engine and a device by name ({@link Backends}: "pytorch", "onnx", "auto"; "auto", "cpu", "gpu"). */
    public static Noise2Detail create(String engine, String device) {
        Device d = Backends.device(device);
        return new Noise2Detail(d, Backends.create(engine, d));
    }

    public Result run(float[] y, int width, int height, N2dConfig cfg, Progress progress) {
        if (y.length < width * height) throw new IllegalArgumentException("image array shorter than " + width + "x" + height);
        for (int i = 0; i < width * height; i++) {
            if (!Float.isFinite(y[i])) {
                throw new IllegalArgumentException("pixel (" + (i % width) + "," + (i / width) + ") is not a finite number");
            }
        }
        int pw = ReflectPad.paddedSize(width, 4);
        int ph = ReflectPad.paddedSize(height, 4);
        float[] yp = new float[pw * ph];
        ReflectPad.pad(y, width, height, yp, pw, ph);
        Progress p = progress != null ? progress : (s, i, n, l) -> { };

        try (NDManager run = base.newSubManager(device)) {
            NDArray x = TorchOps.tensor(run, yp, yp.length, new Shape(1, 1, ph, pw));

            // Stage 1: fit f on the noisy image.
            TorchNet f = new TorchNet(run, device, NetWeights.initialise(cfg.channels(), cfg.seedF()));
            double loss1 = Double.NaN;
            try (TorchTrainer tf = new TorchTrainer(f, CompositeLoss.of(ZeroShotN2NLoss.residual()),
                    cfg.learningRate(), cfg.halvingSteps())) {
                for (int i = 0; i < cfg.stage1Steps(); i++) {
                    loss1 = tf.step(run, x, x);
                    p.step(1, i + 1, cfg.stage1Steps(), loss1);
                }
            }
            NetWeights fw = f.snapshot();

            // Stage 2: frozen f, ensemble over shuffle factors.
            float[] s1p = new float[pw * ph];
            float[] s2p = new float[pw * ph];
            inference.setWeights(fw, null);
            inference.infer(yp, pw, ph, Pipeline.ENSEMBLE, new float[][] {s1p, s2p});

            // Stage 3: a fresh g from the stage-2 image to the noisy halves.
            TorchNet g = new TorchNet(run, device, NetWeights.initialise(cfg.channels(), cfg.seedG()));
            NDArray z = TorchOps.tensor(run, s2p, s2p.length, new Shape(1, 1, ph, pw));
            double loss3 = Double.NaN;
            try (TorchTrainer tg = new TorchTrainer(g, CompositeLoss.of(ZeroShotN2NLoss.direct()),
                    cfg.learningRate(), cfg.halvingSteps())) {
                for (int i = 0; i < cfg.stage3Steps(); i++) {
                    loss3 = tg.step(run, z, x);
                    p.step(3, i + 1, cfg.stage3Steps(), loss3);
                }
            }
            NetWeights gw = g.snapshot();
            float[] s3p = new float[pw * ph];
            inference.setWeights(fw, gw);
            inference.infer(yp, pw, ph, Pipeline.FULL, new float[][] {null, null, s3p});

            return new Result(width, height, crop(s1p, pw, width, height), crop(s2p, pw, width, height),
                    crop(s3p, pw, width, height), fw, gw, loss1, loss3);
        }
    }

    private static float[] crop(float[] src, int pw, int w, int h) {
        float[] out = new float[w * h];
        ReflectPad.crop(src, pw, out, w, h);
        return out;
    }

    public Device device() {
        return device;
    }

    @Override
    public void close() {
        inference.close();
        base.close();
    }
}
