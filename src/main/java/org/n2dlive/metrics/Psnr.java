package org.n2dlive.metrics;

/**
 * Peak signal-to-noise ratio for images in unit range: data range 1, {@code PSNR = 10·log10(1/MSE)} in dB,
 * the convention of the project's reference figures (8-bit images divided by 255) and of skimage's
 * {@code peak_signal_noise_ratio(clean, test, data_range=1)}. Stateless; thread-safe.
 */
public final class Psnr {
    private Psnr() {
    }

    /**
     * PSNR of test against clean over the first n values; {@code Double.POSITIVE_INFINITY} when they are
     * identical. Sums in double so large images do not lose precision.
     */
    public static double psnr(float[] clean, float[] test, int n) {
        return fromMse(mse(clean, test, n));
    }

    /** Mean squared error over the first n values. */
    public static double mse(float[] clean, float[] test, int n) {
        if (n <= 0) throw new IllegalArgumentException("need at least one pixel, got n=" + n);
        if (clean.length < n || test.length < n) {
            throw new IllegalArgumentException("arrays hold " + clean.length + " and " + test.length + " values, n=" + n);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) clean[i] - test[i];
            sum += d * d;
        }
        return sum / n;
    }

    /** 10·log10(1/mse); infinite for mse = 0. */
    public static double fromMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : -10.0 * Math.log10(mse);
    }
}
