package org.n2dlive.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.n2dlive.engine.pytorch.TorchRuntime;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.onnx.OnnxInference;
import org.n2dlive.engine.pytorch.TorchInference;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchTrainer;
import org.n2dlive.n2d.CompositeLoss;
import org.n2dlive.n2d.N2dConfig;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.n2d.Noise2Detail;
import org.n2dlive.n2d.ZeroShotN2NLoss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code n2d bench}: forward-pass and training-step timings per engine, a full N2D run with its memory
 * curve, and the machine's core count. Figures are medians after warm-up; run on an otherwise idle machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time forward passes (per engine, 256² and 512²), training steps, and a full N2D run at 256².")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--quick", description = "Skip the full N2D run (and its memory curve).")
    boolean quick;

    @Option(names = "--repeats", defaultValue = "10", description = "Timed repetitions per figure (median reported).")
    int repeats;

    @Option(names = "--channels", defaultValue = "48", description = "Feature channels.")
    int channels;

    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu or gpu (PyTorch figures; on a GPU also 2048² forward passes and pipelines). Default: ${DEFAULT-VALUE}.")
    String device;

    private final Map<String, Object> results = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (repeats < 1) throw new IllegalArgumentException("--repeats must be at least 1");
        Device dev = org.n2dlive.n2d.Backends.device(device);
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("device", dev.toString());
        if (dev.isGpu()) results.put("engine", org.n2dlive.engine.Devices.describeEngine());
        results.put("channels", channels);
        NetWeights f = NetWeights.initialise(channels, 1);
        NetWeights g = NetWeights.initialise(channels, 2);
        try (NDManager manager = TorchRuntime.manager(dev)) {
            try (InferenceBackend onnx = new OnnxInference()) {
                forward("onnx", onnx, f, g, CPU_SIZES);
            }
            try (InferenceBackend torch = new TorchInference(manager, dev)) {
                forward("pytorch", torch, f, g, dev.isGpu() ? GPU_SIZES : CPU_SIZES);
                if (dev.isGpu()) largeFramePipelines(torch);
            }
            trainStep(manager, dev, 256);
        }
        if (!quick) fullRun(dev);
        print();
        return 0;
    }

    private static final int[] CPU_SIZES = {256, 512};
    /** On a GPU also the sCMOS frame size, 2048², where the targets are set. */
    private static final int[] GPU_SIZES = {256, 512, 2048};

    private void forward(String name, InferenceBackend backend, NetWeights f, NetWeights g, int[] sizes) {
        backend.setWeights(f, g);
        for (int n : sizes) {
            float[] y = image(n);
            double ms = time(() -> backend.infer(y, n, n, Pipeline.STAGE1, new float[][] {new float[n * n]}));
            results.put("forward_ms." + name + "." + n, ms);
            results.put("forward_tflops." + name + "." + n, round(forwardFlops(n, n) / (ms * 1e-3) / 1e12));
        }
        float[] y = image(256);
        float[][] out = {null, null, new float[256 * 256]};
        results.put("pipeline_full_ms." + name + ".256", time(() -> backend.infer(y, 256, 256, Pipeline.FULL, out)));
    }

    /** 2048² frames through the live-fast (stage 1) and balanced (stages 1-2) pipelines, end to end from Java. */
    private void largeFramePipelines(InferenceBackend backend) {
        int n = 2048;
        float[] y = image(n);
        float[][] one = {new float[n * n]};
        float[][] two = {null, new float[n * n]};
        results.put("pipeline_stage1_ms.pytorch." + n, time(() -> backend.infer(y, n, n, Pipeline.STAGE1, one)));
        results.put("pipeline_ensemble_ms.pytorch." + n, time(() -> backend.infer(y, n, n, Pipeline.ENSEMBLE, two)));
    }

    /**
     * Floating-point operations of one forward pass of the N2D net on a w × h image (two per multiply-add):
     * conv 3×3 1→C, conv 3×3 C→C, conv 1×1 C→1, i.e. (9C + 9C² + C) multiply-adds per pixel; 0.18 TFLOP at
     * 2048² with 48 channels. Biases and activations are left out (under 0.5 %).
     */
    double forwardFlops(int w, int h) {
        double c = channels;
        return 2.0 * (9 * c + 9 * c * c + c) * w * h;
    }

    private void trainStep(NDManager manager, Device dev, int n) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = org.n2dlive.engine.pytorch.TorchOps.tensor(m, image(n), n * n, new Shape(1, 1, n, n));
            TorchNet net = new TorchNet(m, dev, NetWeights.initialise(channels, 3));
            try (TorchTrainer t = new TorchTrainer(net, CompositeLoss.of(ZeroShotN2NLoss.residual()), 1e-3, 1000)) {
                results.put("train_step_ms." + n, time(() -> t.step(m, x, x)));
            }
        }
    }

    private void fullRun(Device dev) {
        int n = 256;
        float[] y = image(n);
        double[] rss = new double[2];
        long t0 = System.nanoTime();
        try (Noise2Detail n2d = new Noise2Detail(dev, org.n2dlive.n2d.Backends.create("pytorch", dev))) {
            N2dConfig cfg = N2dConfig.PAPER.withChannels(channels);
            n2d.run(y, n, n, cfg, (stage, i, total, loss) -> {
                if (stage == 1 && i == 100) rss[0] = Rss.megabytes();
                if (stage == 1 && i == total) rss[1] = Rss.megabytes();
                if (!json && i % 500 == 0) System.err.printf(Locale.ROOT, "full run: stage %d step %d/%d%n", stage, i, total);
            });
        }
        results.put("full_n2d_s." + n, round((System.nanoTime() - t0) / 1e9));
        results.put("rss_mb.stage1_step100", round(rss[0]));
        results.put("rss_mb.stage1_step2000", round(rss[1]));
    }

    private double time(Runnable r) {
        for (int i = 0; i < 3; i++) r.run();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return round(ms[repeats / 2]);
    }

    /** A reproducible cell-like test image with noise, in unit range. */
    static float[] image(int n) {
        Random r = new Random(n);
        float[] y = new float[n * n];
        for (int i = 0; i < y.length; i++) {
            int x = i % n;
            int yy = i / n;
            double clean = 0.3 + 0.25 * Math.sin(x * 0.07) * Math.cos(yy * 0.05) + 0.2 * Math.exp(-((x - n / 2.0) * (x - n / 2.0) + (yy - n / 3.0) * (yy - n / 3.0)) / (n * 2.0));
            y[i] = (float) Math.min(1, Math.max(0, clean + 0.1 * r.nextGaussian()));
        }
        return y;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private void print() {
        results.put("cpu_kernel_path", org.n2dlive.engine.CpuKernelPath.describe());
        results.put("cpu_kernel_check", org.n2dlive.engine.NumericsCheck.summary());
        results.put("cpu_kernel_check_ms", round(org.n2dlive.engine.NumericsCheck.totalMillis()));
        if (json) {
            System.out.println(Json.object(results));
        } else {
            for (Map.Entry<String, Object> e : results.entrySet()) {
                System.out.printf(Locale.ROOT, "%-32s %s%n", e.getKey(), e.getValue());
            }
        }
    }
}
