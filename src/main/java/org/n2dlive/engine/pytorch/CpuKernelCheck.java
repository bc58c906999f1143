package org.n2dlive.engine.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.NumericsCheck;
import org.n2dlive.engine.ReferenceNet;

/**
 * Decides, once per channel count and process, at which tensor width libtorch's CPU kernels compute an N2D net right
 * on this machine: the net's own width when they do, else the first of the next multiples of 8 and 16 that does (a
 * zero-padded net computes the same function, {@link NetWeights#widenedTo}). Each candidate runs the known-answer
 * check of {@link NumericsCheck}: a forward pass, the gradients of a loss and one Adam step, against
 * {@link ReferenceNet}. When no width is right the engine refuses with a message that says what to try.
 *
 * <p>Why widths: oneDNN's blocked convolutions work on 16 channels at a time on AVX-512 (8 on AVX2); the remainder
 * kernels are the ones measured wrong on AMD Zen 5, while full blocks were right and are the fast path there. A
 * process-wide ISA cap (the environment variable ONEDNN_MAX_CPU_ISA=AVX2, read when libtorch loads) is the user's
 * fallback; this check then verifies the capped kernels the same way.
 *
 * <p>Threading: any thread; the first caller for a channel count runs its check, others wait for the answer.
 */
public final class CpuKernelCheck {
    /** What the check is run as in reports. */
    static final String KERNELS = "pytorch-cpu";
    /** Written under the WIDTHS lock; read without it by {@link #settled}. */
    private static final Map<Integer, Integer> WIDTHS = new ConcurrentHashMap<>();
    /**
     * The batches and sizes a width must be right at: the engine trains on single crops and pairs of half-size
     * images and infers on batches of 4 and 16 sub-images. Zen 5's wrong kernels were wrong at some of these and
     * not others, and not on every run, so a width passes only when all of them are right.
     */
    private static final int[][] GEOMETRIES = {{NumericsCheck.BATCH, NumericsCheck.SIZE}, {1, 64}, {16, 8}};
    private static final Map<Integer, String> REFUSALS = new ConcurrentHashMap<>();

    private CpuKernelCheck() {
    }

    /**
     * The tensor width for a {@code channels}-wide net on {@code device}: {@code channels} on a GPU (cuDNN, not these
     * kernels) and wherever the CPU kernels are right.
     *
     * @throws IllegalStateException when no width computes right on this CPU, saying why and what to try
     */
    public static int widthFor(Device device, int channels) {
        if (device.isGpu()) return channels;
        synchronized (WIDTHS) {
            Integer known = WIDTHS.get(channels);
            if (known != null) return known;
            String refused = REFUSALS.get(channels);
            if (refused != null) throw new IllegalStateException(refused);
            Set<Integer> candidates = new LinkedHashSet<>();
            candidates.add(channels);
            candidates.add(roundUp(channels, 8));
            candidates.add(roundUp(channels, 16));
            StringBuilder tried = new StringBuilder();
            for (int width : candidates) {
                NumericsCheck.Result r = null;
                for (int[] g : GEOMETRIES) {
                    r = run(NumericsCheck.testCase(channels, g[0], g[1]), width);
                    NumericsCheck.record(r);
                    if (!r.passed()) break;
                }
                if (r.passed()) {
                    WIDTHS.put(channels, width);
                    if (width != channels) {
                        org.slf4j.LoggerFactory.getLogger(CpuKernelCheck.class).warn(
                                "libtorch's CPU kernels are wrong for {} channels on this CPU; running them at width {}"
                                        + " (same results, exact): {}", channels, width, tried);
                    }
                    return width;
                }
                if (tried.length() > 0) tried.append("; ");
                tried.append(r);
            }
            String message = String.format(Locale.ROOT,
                    "libtorch's CPU kernels compute a %d-channel N2D net wrong on this CPU (%s), at every width tried: %s."
                            + " Nothing was denoised with them. Try: start with the environment variable"
                            + " ONEDNN_MAX_CPU_ISA=AVX2 (set before the program, or Micro-Manager, starts), or another"
                            + " 'channels' value (16, 32 and 48 are the common ones), or engine=onnx / a GPU.",
                    channels, cpuName(), tried);
            REFUSALS.put(channels, message);
            throw new IllegalStateException(message);
        }
    }

    /**
     * Whether {@link #widthFor} would answer at once for this net: on a GPU, or once the check for {@code channels}
     * has run in this process (passed or refused). Never waits for a check in progress.
     */
    public static boolean settled(Device device, int channels) {
        return device.isGpu() || WIDTHS.containsKey(channels) || REFUSALS.containsKey(channels);
    }

    /** The check of a {@code channels}-wide net run at {@code width} on this CPU. */
    public static NumericsCheck.Result run(int channels, int width) {
        return run(NumericsCheck.testCase(channels), width);
    }

    static NumericsCheck.Result run(NumericsCheck.Case c, int width) {
        long t0 = System.nanoTime();
        int channels = c.weights.channels;
        int n = c.batch;
        int s = c.size;
        ReferenceNet.Forward ref = ReferenceNet.forward(c.weights, c.input, n, s, s);
        double[][] refGrad = ReferenceNet.gradients(c.weights, c.input, c.target, ref);
        NetWeights wide = c.weights.widenedTo(width);
        double[][] wideGrad = widen(refGrad, channels, width);
        double lr = 1e-3;
        double forwardError;
        double gradientError = 0;
        double stepError = 0;
        try (NDManager m = TorchRuntime.manager(Device.cpu());
             TorchNet net = new TorchNet(m, Device.cpu(), wide, width);
             TorchAdam adam = new TorchAdam(net, lr, 1000)) {
            boolean grad = JniUtils.isGradMode(); // grad mode is per thread: restored for the caller
            Shape shape = new Shape(n, 1, s, s);
            NDArray x = TorchOps.tensor(m, c.input, c.input.length, shape);
            NDArray t = TorchOps.tensor(m, c.target, c.target.length, shape);
            NDArray out;
            JniUtils.setGradMode(true);
            try {
                out = net.apply(x);
                NDArray loss = TorchOps.mse(out, t);
                JniUtils.backward((PtNDArray) loss, (PtNDArray) m.ones(loss.getShape()), false, false);
            } finally {
                JniUtils.setGradMode(grad);
            }
            forwardError = NumericsCheck.relativeError(out.toFloatArray(), ref.out);
            NDArray[] params = net.parameters();
            float[][] before = new float[params.length][];
            for (int i = 0; i < params.length; i++) {
                before[i] = params[i].toFloatArray();
                float[] g = JniUtils.getGradient((PtNDArray) params[i]).toFloatArray();
                gradientError = Math.max(gradientError, NumericsCheck.relativeError(g, wideGrad[i]));
            }
            adam.update(m);
            for (int i = 0; i < params.length; i++) {
                stepError = Math.max(stepError, adamStepError(before[i], params[i].toFloatArray(), wideGrad[i], lr));
            }
        }
        return new NumericsCheck.Result(KERNELS, channels, width, forwardError, gradientError, stepError,
                (System.nanoTime() - t0) / 1e6);
    }

    /**
     * Adam's first step moves each weight by lr·g/(|g| + ε), i.e. ±lr; the error of the step taken, in units of lr.
     * Weights whose reference gradient is tiny but not zero are skipped: there the sign is rounding noise. Zero
     * gradients (the padding) must leave the weight exactly where it was.
     */
    private static double adamStepError(float[] before, float[] after, double[] g, double lr) {
        double big = 0;
        for (double v : g) big = Math.max(big, Math.abs(v));
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            if (g[i] != 0 && Math.abs(g[i]) < 1e-3 * big) continue;
            double want = -lr * g[i] / (Math.abs(g[i]) + 1e-8);
            double e = Math.abs((after[i] - before[i]) - want) / lr;
            if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
        }
        return worst;
    }

    /** The reference gradients laid out as a net of {@code width} channels (zero in the extra channels). */
    private static double[][] widen(double[][] g, int channels, int width) {
        if (width == channels) return g;
        NetWeights shape = new NetWeights(width);
        double[][] out = new double[6][];
        float[][] sizes = shape.arrays();
        for (int i = 0; i < 6; i++) out[i] = new double[sizes[i].length];
        System.arraycopy(g[0], 0, out[0], 0, g[0].length);
        System.arraycopy(g[1], 0, out[1], 0, channels);
        for (int k = 0; k < channels; k++) System.arraycopy(g[2], k * channels * 9, out[2], k * width * 9, channels * 9);
        System.arraycopy(g[3], 0, out[3], 0, channels);
        System.arraycopy(g[4], 0, out[4], 0, channels);
        out[5][0] = g[5][0];
        return out;
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** The CPU's model name where the OS says it (Linux), else the architecture. */
    public static String cpuName() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
