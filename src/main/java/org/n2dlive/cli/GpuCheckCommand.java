package org.n2dlive.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.n2dlive.engine.pytorch.TorchRuntime;
import org.n2dlive.engine.DeviceTransfers;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.pytorch.TorchInference;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.ReflectPad;
import org.n2dlive.n2d.CompositeLoss;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.n2d.WarmStartDenoiser;
import org.n2dlive.n2d.ZeroShotN2NLoss;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code n2d gpu-check}: the checks that only a GPU can answer, each against the same computation on the
 * reference device (the CPU):
 * <ol>
 *   <li>training: from the same weights and image, the loss of step 1 within 1e-4 and the loss curve over
 *       {@code --steps} steps within 1e-3;</li>
 *   <li>inference: the trained weights give the same stage images on both devices within 1e-4 per pixel, for
 *       every pipeline and every size in {@code --sizes};</li>
 *   <li>hygiene, on the warm-started streaming model over {@code --frames} frames: device memory and host RSS
 *       stay within ±5 % of their value after the warm-up, and each frame crosses to the device once and back
 *       once, no more bytes than its (padded) pixels each way ({@link DeviceTransfers}).</li>
 * </ol>
 * Exit code 0 when every check passes, 1 when one fails, 2 when the device is missing (e.g. no GPU).
 * {@code --device cpu} runs the same code CPU against CPU, to test the command itself where no GPU exists.
 * Threading: everything on the calling thread (grad mode and managers belong to it).
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "GPU against CPU: same output (1e-4), same training loss (1e-4, curve 1e-3), flat device memory "
                + "and host RSS, one host-device copy per frame each way. Needs a usable GPU unless --device cpu.")
final class GpuCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--device", defaultValue = "gpu", description = "Device under test. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--reference", defaultValue = "cpu", description = "Reference device. Default: ${DEFAULT-VALUE}.")
    String reference;

    @Option(names = "--sizes", split = ",", defaultValue = "256,2048", paramLabel = "N",
            description = "Square image sizes for the inference check. Default: ${DEFAULT-VALUE}.")
    int[] sizes;

    @Option(names = "--train-size", defaultValue = "256", description = "Image size for the training checks. Default: ${DEFAULT-VALUE}.")
    int trainSize;

    @Option(names = "--steps", defaultValue = "100", description = "Training steps of the loss-curve check. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--channels", defaultValue = "48", description = "Feature channels. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--source", defaultValue = "cells-256", description = "Stream for the hygiene check. Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--profile", defaultValue = "balanced", description = "Profile for the hygiene check. Default: ${DEFAULT-VALUE}.")
    String profileName;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key of the hygiene check's profile (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--frames", defaultValue = "2000", description = "Frames of the hygiene check. Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--warmup-frames", defaultValue = "200",
            description = "Frames before the memory baseline (allocator pools and JIT settle). Default: ${DEFAULT-VALUE}.")
    int warmupFrames;

    @Option(names = "--sample-every", defaultValue = "100", description = "Memory sample interval in frames. Default: ${DEFAULT-VALUE}.")
    int sampleEvery;

    @Option(names = "--infer-tolerance", defaultValue = "1e-4", description = "Per-pixel limit, inference. Default: ${DEFAULT-VALUE}.")
    double inferTolerance;

    @Option(names = "--step-tolerance", defaultValue = "1e-4", description = "Loss limit, first step. Default: ${DEFAULT-VALUE}.")
    double stepTolerance;

    @Option(names = "--curve-tolerance", defaultValue = "1e-3", description = "Loss limit, every step of the curve. Default: ${DEFAULT-VALUE}.")
    double curveTolerance;

    @Option(names = "--memory-tolerance", defaultValue = "0.05", description = "Relative memory drift allowed. Default: ${DEFAULT-VALUE}.")
    double memoryTolerance;

    @Option(names = "--throughput-source", defaultValue = "cells-2048",
            description = "Stream for the worker throughput figures. Default: ${DEFAULT-VALUE}.")
    String throughputSource;

    @Option(names = "--throughput-profiles", split = ",", defaultValue = "live-fast,balanced",
            description = "Profiles timed on that stream; 'none' skips the figures. Default: ${DEFAULT-VALUE}.")
    List<String> throughputProfiles;

    @Option(names = "--throughput-frames", defaultValue = "100", description = "Timed frames per profile. Default: ${DEFAULT-VALUE}.")
    int throughputFrames;

    @Option(names = "--throughput-distinct", defaultValue = "8",
            description = "Distinct frames drawn beforehand and cycled (drawing a 2048² frame takes longer than "
                    + "denoising it on a GPU). Default: ${DEFAULT-VALUE}.")
    int throughputDistinct;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--probe", description = "Only report what DJL loaded and whether --device resolves; run no check.")
    boolean probe;

    private final List<Map<String, Object>> checks = new ArrayList<>();
    private final Map<String, Object> info = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        validate();
        if (probe) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("engine: " + Devices.describeEngine());
            out.println("usable GPUs: " + Devices.gpuCount());
            out.println("--device " + device + ": " + Devices.resolve(device));
            out.flush();
            return 0;
        }
        Device dev = Devices.resolve(device);
        Device ref = Devices.resolve(reference);
        info.put("device", dev.toString());
        info.put("reference", ref.toString());
        info.put("self_comparison", dev.equals(ref));
        info.put("engine", Devices.describeEngine());
        info.put("nvidia_tf32_override", System.getenv("NVIDIA_TF32_OVERRIDE"));
        NetWeights trained = training(dev, ref);
        inference(dev, ref, trained);
        hygiene(dev);
        throughput(dev);
        boolean all = checks.stream().allMatch(c -> Boolean.TRUE.equals(c.get("passed")));
        print(all);
        return all ? 0 : 1;
    }

    private void validate() {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1");
        if (frames < 2) throw new IllegalArgumentException("--frames must be at least 2");
        if (sampleEvery < 1) throw new IllegalArgumentException("--sample-every must be at least 1");
        if (warmupFrames < 0 || warmupFrames >= frames) {
            throw new IllegalArgumentException("--warmup-frames must be in [0, --frames), got " + warmupFrames);
        }
        if (trainSize < 8 || trainSize % 4 != 0) throw new IllegalArgumentException("--train-size must be a multiple of 4, at least 8");
        for (int n : sizes) {
            if (n < 8 || n % 4 != 0) throw new IllegalArgumentException("--sizes must be multiples of 4, at least 8, got " + n);
        }
    }

    /** Same weights and image on both devices, {@code steps} Adam steps each; returns the reference's trained f. */
    private NetWeights training(Device dev, Device ref) {
        NetWeights w0 = NetWeights.initialise(channels, 5);
        float[] y = BenchCommand.image(trainSize);
        double[] lossDev = new double[steps];
        double[] lossRef = new double[steps];
        NetWeights trainedDev = train(dev, w0, y, lossDev);
        NetWeights trainedRef = train(ref, w0, y, lossRef);
        double first = Math.abs(lossDev[0] - lossRef[0]);
        Map<String, Object> d1 = new LinkedHashMap<>();
        d1.put("loss_device", lossDev[0]);
        d1.put("loss_reference", lossRef[0]);
        check("train_step_loss", first <= stepTolerance, first, stepTolerance, d1);

        double worst = 0;
        int worstAt = 0;
        for (int i = 0; i < steps; i++) {
            double d = Math.abs(lossDev[i] - lossRef[i]);
            if (!(d <= worst)) {
                worst = d;
                worstAt = i + 1;
            }
        }
        Map<String, Object> d2 = new LinkedHashMap<>();
        d2.put("steps", steps);
        d2.put("worst_step", worstAt);
        d2.put("loss_first_last_device", new double[] {lossDev[0], lossDev[steps - 1]});
        d2.put("loss_first_last_reference", new double[] {lossRef[0], lossRef[steps - 1]});
        d2.put("weights_max_abs_diff_after", maxAbsDiff(trainedDev, trainedRef));
        check("train_loss_curve", worst <= curveTolerance, worst, curveTolerance, d2);
        return trainedRef;
    }

    private NetWeights train(Device d, NetWeights w0, float[] y, double[] losses) {
        int n = trainSize;
        try (NDManager m = TorchRuntime.manager(d)) {
            NDArray x = TorchOps.tensor(m, y, n * n, new Shape(1, 1, n, n));
            TorchNet net = new TorchNet(m, d, w0);
            try (TorchTrainer t = new TorchTrainer(net, CompositeLoss.of(ZeroShotN2NLoss.residual()), 1e-3, 1000)) {
                for (int i = 0; i < losses.length; i++) losses[i] = t.step(m, x, x);
            }
            NetWeights out = net.snapshot();
            net.close();
            return out;
        }
    }

    private static double maxAbsDiff(NetWeights a, NetWeights b) {
        double worst = 0;
        float[][] x = a.arrays();
        float[][] y = b.arrays();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) worst = Math.max(worst, Math.abs(x[i][j] - y[i][j]));
        }
        return worst;
    }

    /** Every pipeline, every size: stage images on both devices from the same weights. */
    private void inference(Device dev, Device ref, NetWeights f) {
        NetWeights g = NetWeights.initialise(channels, 6);
        for (int n : sizes) {
            float[] y = BenchCommand.image(n);
            for (Pipeline p : Pipeline.values()) {
                float[][] a = run(dev, f, g, y, n, p);
                float[][] b = run(ref, f, g, y, n, p);
                double worst = 0;
                double[] perStage = new double[p.stages()];
                for (int k = 0; k < p.stages(); k++) {
                    for (int i = 0; i < n * n; i++) perStage[k] = Math.max(perStage[k], Math.abs(a[k][i] - b[k][i]));
                    worst = Math.max(worst, perStage[k]);
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("size", n);
                d.put("max_abs_diff_per_stage", perStage);
                check("inference." + p.name().toLowerCase(Locale.ROOT) + "." + n, worst <= inferTolerance, worst, inferTolerance, d);
            }
        }
    }

    private static float[][] run(Device d, NetWeights f, NetWeights g, float[] y, int n, Pipeline p) {
        float[][] out = new float[p.stages()][n * n];
        try (NDManager m = TorchRuntime.manager(d);
             TorchInference inf = new TorchInference(m, d)) {
            inf.setWeights(f, g);
            inf.infer(y, n, n, p, out);
        }
        return out;
    }

    /**
     * The streaming model on the device under test, frame after frame: memory samples every {@code sampleEvery}
     * frames, transfer counts around every frame.
     */
    private void hygiene(Device dev) throws java.io.IOException, org.n2dlive.stream.GuardedFrameException {
        // engine=pytorch: the path under test, the model's own PyTorch nets inferring on the device
        Profile profile = ProfileArgs.resolve(profileName, overrides, "device=" + (dev.isGpu() ? "gpu" : "cpu"), "engine=pytorch");
        info.put("hygiene_profile", profile.name());
        FrameSource src = Sources.open(source, null, 10).source;
        Frame first = src.frame(0);
        long padded = (long) ReflectPad.paddedSize(first.width(), 4) * ReflectPad.paddedSize(first.height(), 4);
        long frameBytes = 4 * padded;
        List<double[]> samples = new ArrayList<>(); // {frame, rss MB, device MB used, device MB after emptying the cache}
        long maxUpBytes = 0;
        long maxUpCount = 0;
        long maxDownBytes = 0;
        long maxDownCount = 0;
        long minUpCount = Long.MAX_VALUE;
        long minDownCount = Long.MAX_VALUE;
        long weightsBytes = 0;
        long scalarUploads = 0;
        long t0 = System.nanoTime();
        try (WarmStartDenoiser model = LiveModels.n2d(profile)) {
            Frame dst = Frame.allocate(first.type(), first.width(), first.height());
            DenoiseReport report = new DenoiseReport();
            for (int i = 0; i < frames; i++) {
                Frame f = src.frame(i);
                report.reset();
                DeviceTransfers.Snapshot before = DeviceTransfers.snapshot();
                model.denoise(f, dst, report);
                DeviceTransfers.Snapshot moved = DeviceTransfers.snapshot().since(before);
                long upB = moved.bytes(DeviceTransfers.Kind.FRAME_UPLOAD);
                long upC = moved.count(DeviceTransfers.Kind.FRAME_UPLOAD);
                long dnB = moved.bytes(DeviceTransfers.Kind.FRAME_DOWNLOAD);
                long dnC = moved.count(DeviceTransfers.Kind.FRAME_DOWNLOAD);
                maxUpBytes = Math.max(maxUpBytes, upB);
                maxUpCount = Math.max(maxUpCount, upC);
                maxDownBytes = Math.max(maxDownBytes, dnB);
                maxDownCount = Math.max(maxDownCount, dnC);
                minUpCount = Math.min(minUpCount, upC);
                minDownCount = Math.min(minDownCount, dnC);
                if (i > 0) {
                    weightsBytes += moved.bytes(DeviceTransfers.Kind.WEIGHTS_DOWNLOAD) + moved.bytes(DeviceTransfers.Kind.WEIGHTS_UPLOAD);
                    scalarUploads += moved.count(DeviceTransfers.Kind.SCALAR_UPLOAD);
                }
                if (i >= warmupFrames && ((i - warmupFrames) % sampleEvery == 0 || i == frames - 1)) {
                    samples.add(sample(dev, i));
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        info.put("hygiene_frames", frames);
        info.put("hygiene_seconds", Math.round(seconds * 100) / 100.0);
        info.put("hygiene_frame", first.width() + "x" + first.height() + " " + first.type());

        Map<String, Object> t = new LinkedHashMap<>();
        t.put("padded_pixels", padded);
        t.put("frame_bytes", frameBytes);
        t.put("max_upload_bytes_per_frame", maxUpBytes);
        t.put("upload_copies_per_frame_min_max", new long[] {minUpCount, maxUpCount});
        t.put("max_download_bytes_per_frame", maxDownBytes);
        t.put("download_copies_per_frame_min_max", new long[] {minDownCount, maxDownCount});
        t.put("weights_bytes_per_frame_mean", frames > 1 ? weightsBytes / (double) (frames - 1) : 0);
        t.put("scalar_uploads_per_frame_mean", frames > 1 ? scalarUploads / (double) (frames - 1) : 0);
        boolean onceEachWay = maxUpCount == 1 && minUpCount == 1 && maxDownCount == 1 && minDownCount == 1
                && maxUpBytes <= frameBytes && maxDownBytes <= frameBytes;
        check("frame_transfers_once_each_way", onceEachWay, Math.max(maxUpBytes, maxDownBytes), frameBytes, t);

        memoryCheck("host_rss_flat", samples, 1);
        if (dev.isGpu()) {
            memoryCheck("device_memory_flat", samples, 2);
            memoryCheck("device_memory_flat_after_empty_cache", samples, 3);
        }
        List<List<Double>> rows = new ArrayList<>();
        for (double[] r : samples) {
            List<Double> row = new ArrayList<>();
            for (double v : r) row.add(Double.isFinite(v) ? round(v) : null);
            rows.add(row);
        }
        info.put("memory_samples_frame_rss_device_devicecleared_mb", rows);
    }

    /**
     * Worker throughput, full frame: the streaming model (fit on the first frame, then adaptation and inference
     * per frame, as the profile says) on frames drawn beforehand, so the figure is the worker's alone. Reported,
     * not checked: speed is a benchmark figure.
     */
    private void throughput(Device dev) throws java.io.IOException, org.n2dlive.stream.GuardedFrameException {
        if (throughputProfiles.size() == 1 && throughputProfiles.get(0).equalsIgnoreCase("none")) return;
        if (throughputFrames < 1 || throughputDistinct < 1) {
            throw new IllegalArgumentException("--throughput-frames and --throughput-distinct must be at least 1");
        }
        FrameSource src = Sources.open(throughputSource, null, 10).source;
        Frame[] pool = new Frame[throughputDistinct];
        for (int i = 0; i < pool.length; i++) pool[i] = src.frame(i).copy();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : throughputProfiles) {
            Profile profile = ProfileArgs.resolve(name.trim(), overrides, "device=" + (dev.isGpu() ? "gpu" : "cpu"));
            double[] ms = new double[throughputFrames];
            double fitMs;
            try (WarmStartDenoiser model = LiveModels.n2d(profile)) {
                Frame dst = Frame.allocate(pool[0].type(), pool[0].width(), pool[0].height());
                DenoiseReport report = new DenoiseReport();
                long t = System.nanoTime();
                model.denoise(pool[0], dst, report);
                fitMs = (System.nanoTime() - t) / 1e6;
                for (int i = 0; i < ms.length; i++) {
                    report.reset();
                    t = System.nanoTime();
                    model.denoise(pool[(i + 1) % pool.length], dst, report);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
            }
            double[] sorted = ms.clone();
            java.util.Arrays.sort(sorted);
            double mean = java.util.Arrays.stream(ms).average().orElse(Double.NaN);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("profile", profile.name());
            r.put("frame", pool[0].width() + "x" + pool[0].height());
            r.put("first_frame_fit_ms", round(fitMs));
            r.put("ms_per_frame_p50", round(sorted[sorted.length / 2]));
            r.put("ms_per_frame_p99", round(sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)]));
            r.put("ms_per_frame_mean", round(mean));
            r.put("frames_per_s", round(1000 / mean));
            rows.add(r);
        }
        info.put("throughput", rows);
    }

    private static double[] sample(Device dev, int frame) {
        double rss = Rss.megabytes();
        double used = Double.NaN;
        double cleared = Double.NaN;
        if (dev.isGpu()) {
            try { // cudaMemGetInfo through DJL (JNA, libcudart): the whole device's used memory
                used = ai.djl.util.cuda.CudaUtils.getGpuMemory(dev).getUsed() / 1048576.0;
                ai.djl.pytorch.jni.JniUtils.emptyCudaCache(); // PyTorch's cached free blocks back to the driver
                cleared = ai.djl.util.cuda.CudaUtils.getGpuMemory(dev).getUsed() / 1048576.0;
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                used = Double.NaN; // no libcudart for JNA: the check reports "no reading"; nvidia-smi still logs it
            }
        }
        return new double[] {frame, rss, used, cleared};
    }

    /** Every sample after the baseline (the first) within ±tolerance of it. */
    private void memoryCheck(String name, List<double[]> samples, int column) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (samples.size() < 2 || !Double.isFinite(samples.get(0)[column])) {
            d.put("reason", samples.size() < 2 ? "fewer than two samples" : "no reading on this machine");
            check(name, false, Double.NaN, memoryTolerance, d);
            return;
        }
        double base = samples.get(0)[column];
        double worst = 0;
        double last = base;
        for (double[] s : samples) {
            worst = Math.max(worst, Math.abs(s[column] - base) / base);
            last = s[column];
        }
        d.put("baseline_mb", round(base));
        d.put("last_mb", round(last));
        d.put("baseline_frame", (int) samples.get(0)[0]);
        d.put("last_frame", (int) samples.get(samples.size() - 1)[0]);
        check(name, worst <= memoryTolerance, worst, memoryTolerance, d);
    }

    private void check(String name, boolean passed, double measured, double limit, Map<String, Object> details) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("passed", passed);
        c.put("measured", Double.isFinite(measured) ? measured : null);
        c.put("limit", limit);
        c.put("details", details);
        checks.add(c);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private void print(boolean all) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>(info);
            o.put("all_passed", all);
            o.put("checks", checks);
            out.println(new GsonBuilder().serializeNulls().create().toJson(o));
        } else {
            for (Map.Entry<String, Object> e : info.entrySet()) {
                if (!(e.getValue() instanceof List)) out.printf(Locale.ROOT, "%-24s %s%n", e.getKey(), e.getValue());
            }
            Object tp = info.get("throughput");
            if (tp instanceof List) for (Object r : (List<?>) tp) out.println("throughput " + r);
            for (Map<String, Object> c : checks) {
                out.printf(Locale.ROOT, "%s %-40s measured %-12s limit %s%n", Boolean.TRUE.equals(c.get("passed")) ? "PASS" : "FAIL",
                        c.get("name"), c.get("measured"), c.get("limit"));
            }
            out.println(all ? "all checks passed" : "SOME CHECKS FAILED");
        }
        out.flush();
    }
}
