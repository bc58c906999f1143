package org.n2dlive.temporal;

/**
 * Sub-pixel shifts of an image with the Catmull-Rom cubic (edges clamped). Cubic rather than bilinear because
 * the history is resampled by a fraction of a pixel on every frame of a drifting stream: bilinear at half a pixel
 * halves the noise variance and blurs detail with a 0.5 px kernel; Catmull-Rom keeps both nearly intact.
 * Stateless apart from the caller's buffers; no allocation.
 */
public final class Resample {
    private Resample() {
    }

    /**
     * dst(x, y) = src(x + sx, y + sy), |sx|, |sy| ≤ 1.
     *
     * @param tmp scratch of w·h floats
     */
    public static void shift(float[] src, int w, int h, double sx, double sy, float[] tmp, float[] dst) {
        double tx = sx - Math.floor(sx);
        float a0 = w0(tx), a1 = w1(tx), a2 = w1(1 - tx), a3 = w0(1 - tx);
        int ox = (int) Math.floor(sx);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int base = x + ox;
                tmp[row + x] = a0 * src[row + clamp(base - 1, w)] + a1 * src[row + clamp(base, w)]
                        + a2 * src[row + clamp(base + 1, w)] + a3 * src[row + clamp(base + 2, w)];
            }
        }
        double ty = sy - Math.floor(sy);
        float b0 = w0(ty), b1 = w1(ty), b2 = w1(1 - ty), b3 = w0(1 - ty);
        int oy = (int) Math.floor(sy);
        for (int y = 0; y < h; y++) {
            int base = y + oy;
            int r0 = clamp(base - 1, h) * w, r1 = clamp(base, h) * w, r2 = clamp(base + 1, h) * w, r3 = clamp(base + 2, h) * w;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                dst[row + x] = b0 * tmp[r0 + x] + b1 * tmp[r1 + x] + b2 * tmp[r2 + x] + b3 * tmp[r3 + x];
            }
        }
    }

    /**
     * How much a shift by s (px, one axis) scales the variance of independent pixel noise: Σ w_k² of the taps
     * (1 at whole pixels, 0.66 at half a pixel).
     */
    public static double noiseGain(double s) {
        double t = s - Math.floor(s);
        double a = w0(t), b = w1(t), c = w1(1 - t), d = w0(1 - t);
        return a * a + b * b + c * c + d * d;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : (v >= n ? n - 1 : v);
    }

    /** Catmull-Rom weight of the outer tap at distance 1 + t (t in [0,1]): −½t³ + t² − ½t. */
    private static float w0(double t) {
        return (float) (-0.5 * t * t * t + t * t - 0.5 * t);
    }

    /** Catmull-Rom weight of the inner tap at distance t: 1.5t³ − 2.5t² + 1. */
    private static float w1(double t) {
        return (float) (1.5 * t * t * t - 2.5 * t * t + 1);
    }
}
