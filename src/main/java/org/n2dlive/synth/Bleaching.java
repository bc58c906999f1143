package org.n2dlive.synth;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Photobleaching of a synthetic scene with a known answer: frame i's fluorescence at pixel k is the clean scene's
 * times (1 − r_k)^i, where the per-frame loss r_k lies between {@code minRate} and {@code maxRate} and varies
 * smoothly across the field (value noise on a grid {@code scale} px apart, smoothstep-interpolated, stretched so
 * that the field spans both ends exactly). Real fluorophores fade at rates that differ from structure to
 * structure (FMD field 3 dims 16 % over 50 frames on the whole), and a uniform fade would hide what one global
 * brightness gain cannot follow. Only the fluorescence fades: the camera's offset is added after this (see
 * {@link CameraModel}). The rate field is tied to the scene, not to the frame, so a drifting scene carries it along.
 * Immutable; thread-safe.
 */
public final class Bleaching {
    private final int width;
    private final int height;
    private final double minRate;
    private final double maxRate;
    private final double scale;
    private final float[] rate;
    /** ln(1 − r_k): the fade of frame i is exp(i · logKeep). */
    private final double[] logKeep;

    /**
     * @param minRate, maxRate  fraction of the fluorescence lost per frame, 0 ≤ minRate ≤ maxRate &lt; 1
     * @param scale             the rate field's grid spacing, px (&gt; 0): about the size of a region fading alike
     * @param seed              which field
     */
    public Bleaching(int width, int height, double minRate, double maxRate, double scale, long seed) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("bleaching needs a field of at least 1x1 pixels");
        if (!(minRate >= 0) || !(maxRate < 1) || !(minRate <= maxRate)) {
            throw new IllegalArgumentException("bleaching rates must satisfy 0 <= min <= max < 1 (fraction lost per frame), got min "
                    + minRate + ", max " + maxRate);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("bleaching scale must be > 0 px, got " + scale);
        this.width = width;
        this.height = height;
        this.minRate = minRate;
        this.maxRate = maxRate;
        this.scale = scale;
        int n = width * height;
        float[] field = smoothField(width, height, scale, seed);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : field) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        rate = new float[n];
        logKeep = new double[n];
        for (int k = 0; k < n; k++) {
            double u = hi > lo ? (field[k] - lo) / (double) (hi - lo) : 0.5;
            double r = minRate + (maxRate - minRate) * u;
            rate[k] = (float) r;
            logKeep[k] = Math.log1p(-r);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The fraction of pixel k's fluorescence lost per frame. */
    public double rate(int k) {
        return rate[k];
    }

    /** out = clean faded to frame i: clean_k · (1 − r_k)^i. {@code out} may be {@code clean}. */
    public void apply(float[] clean, int i, float[] out) {
        int n = width * height;
        if (clean.length < n || out.length < n) throw new IllegalArgumentException("bleaching needs planes of " + n + " pixels");
        for (int k = 0; k < n; k++) out[k] = (float) (clean[k] * Math.exp(i * logKeep[k]));
    }

    /**
     * Uniform random values on a grid {@code scale} px apart (one node beyond each edge), smoothstep-interpolated in
     * x and y: smooth within a cell, continuous with a continuous gradient across cells. Hand-written because it is
     * twelve lines and needs nothing a library adds.
     */
    private static float[] smoothField(int w, int h, double scale, long seed) {
        int gw = (int) Math.ceil((w - 1) / scale) + 2;
        int gh = (int) Math.ceil((h - 1) / scale) + 2;
        SplittableRandom r = new SplittableRandom(seed ^ 0x626C65616368L);
        double[] grid = new double[gw * gh];
        for (int k = 0; k < grid.length; k++) grid[k] = r.nextDouble();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double gy = y / scale;
            int y0 = (int) Math.floor(gy);
            double ty = smoothstep(gy - y0);
            for (int x = 0; x < w; x++) {
                double gx = x / scale;
                int x0 = (int) Math.floor(gx);
                double tx = smoothstep(gx - x0);
                double top = grid[y0 * gw + x0] + tx * (grid[y0 * gw + x0 + 1] - grid[y0 * gw + x0]);
                double bottom = grid[(y0 + 1) * gw + x0] + tx * (grid[(y0 + 1) * gw + x0 + 1] - grid[(y0 + 1) * gw + x0]);
                out[y * w + x] = (float) (top + ty * (bottom - top));
            }
        }
        return out;
    }

    private static double smoothstep(double t) {
        return t * t * (3 - 2 * t);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "bleaching %.2f-%.2f %% a frame (%.0f px field)", 100 * minRate, 100 * maxRate, scale);
    }
}
