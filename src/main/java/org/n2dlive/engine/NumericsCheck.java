package org.n2dlive.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The known-answer check of native kernels, backend-free: a fixed seeded case, the {@link ReferenceNet} answers
 * for it, the error measures, and the process-wide record of every check that ran (for logs, {@code --json}
 * reports and the plugin's configurator).
 *
 * <p>Why: native math libraries pick their kernels by CPU. libtorch 2.7.1's oneDNN gives wrong convolutions (black
 * or NaN frames) for some channel counts on AMD Zen 5's AVX-512 path and is right on others; only running the
 * kernels on this machine tells. The case is a batch of two 32² images: a batch above one sends every layer
 * through the same oneDNN convolutions as frame-sized inputs do.
 *
 * <p>Threading: the record is synchronized; everything else is stateless.
 */
public final class NumericsCheck {
    /** Images in the check's batch, and their size. */
    public static final int BATCH = 2;
    public static final int SIZE = 32;
    /**
     * Largest error accepted, relative to the largest reference value of the array compared. float32 against
     * double sums of a few hundred terms differ by ~1e-6 relative; a wrong kernel is off by order 1.
     */
    public static final double TOLERANCE = 2e-3;
    /** Largest error of one optimiser step accepted, in units of its learning rate (Adam's first step is ±lr). */
    public static final double STEP_TOLERANCE = 0.05;

    private static final List<Result> RESULTS = new ArrayList<>();

    private NumericsCheck() {
    }

    /** The seeded case for a {@code channels}-wide net: input, target and weights, the same on every run. */
    public static final class Case {
        public final float[] input;
        public final float[] target;
        public final NetWeights weights;

        public final int batch;
        public final int size;

        Case(int channels, int batch, int size) {
            this.batch = batch;
            this.size = size;
            Random r = new Random(0x5EEDL + channels);
            int n = batch * size * size;
            input = new float[n];
            target = new float[n];
            for (int i = 0; i < n; i++) {
                int x = i % size;
                int y = (i / size) % size;
                double clean = 0.45 + 0.3 * Math.sin(x * 0.4 + y * 0.1) * Math.cos(y * 0.3);
                input[i] = (float) (clean + 0.1 * r.nextGaussian());
                target[i] = (float) (clean + 0.1 * r.nextGaussian());
            }
            weights = NetWeights.initialise(channels, 17 + channels);
        }
    }

    public static Case testCase(int channels) {
        return new Case(channels, BATCH, SIZE);
    }

    /** A case of another geometry: {@code batch} images of {@code size}². */
    public static Case testCase(int channels, int batch, int size) {
        return new Case(channels, batch, size);
    }

    /** Largest |got − want| over the largest |want| (and 1e-12, so an all-zero reference does not divide by 0). */
    public static double relativeError(float[] got, double[] want) {
        if (got.length != want.length) return Double.POSITIVE_INFINITY;
        double scale = 1e-12;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - want[i]);
            if (!(e <= worst)) worst = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e; // NaN counts as worst
        }
        return worst / scale;
    }

    /** One check's outcome: which kernels, at which width, for which net, with which errors. */
    public static final class Result {
        public final String kernels;
        public final int channels;
        public final int width;
        public final double forwardError;
        public final double gradientError;
        public final double stepError;
        public final double millis;

        public Result(String kernels, int channels, int width, double forwardError, double gradientError,
                      double stepError, double millis) {
            this.kernels = kernels;
            this.channels = channels;
            this.width = width;
            this.forwardError = forwardError;
            this.gradientError = gradientError;
            this.stepError = stepError;
            this.millis = millis;
        }

        public boolean passed() {
            return forwardError <= TOLERANCE && gradientError <= TOLERANCE && stepError <= STEP_TOLERANCE;
        }

        @Override
        public String toString() {
            String at = width == channels ? channels + " channels" : channels + " channels at width " + width;
            return String.format(Locale.ROOT, "%s %s: %s (forward error %.1e, gradient error %.1e, step error %.1e lr,"
                    + " %.0f ms)", kernels, at, passed() ? "right" : "WRONG", forwardError, gradientError, stepError, millis);
        }
    }

    public static synchronized void record(Result r) {
        RESULTS.add(r);
    }

    /**
     * One line for reports: per channel count, the width it runs at and the total check time, e.g.
     * "24→32 (24 wrong here), 48; 412 ms"; "not run" before any check.
     */
    public static synchronized String summary() {
        if (RESULTS.isEmpty()) return "not run";
        StringBuilder sb = new StringBuilder();
        double ms = 0;
        List<Integer> done = new ArrayList<>();
        for (Result r : RESULTS) {
            ms += r.millis;
            if (!r.passed() || done.contains(r.channels)) continue;
            done.add(r.channels);
            if (sb.length() > 0) sb.append(", ");
            sb.append(r.channels);
            if (r.width != r.channels) sb.append("→").append(r.width).append(" (").append(r.channels).append(" wrong here)");
        }
        for (Result r : RESULTS) {
            if (!done.contains(r.channels)) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(r.channels).append(" refused");
                done.add(r.channels);
            }
        }
        return sb.append(String.format(Locale.ROOT, "; %.0f ms", ms)).toString();
    }

    /** Total milliseconds spent checking in this process. */
    public static synchronized double totalMillis() {
        double ms = 0;
        for (Result r : RESULTS) ms += r.millis;
        return ms;
    }
}
