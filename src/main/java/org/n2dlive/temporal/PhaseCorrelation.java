package org.n2dlive.temporal;

import org.jtransforms.fft.FloatFFT_2D;

/**
 * Global translation between two images by phase correlation, sub-pixel. The cross-power spectrum is whitened
 * (half-way, see {@link #WHITEN}) and multiplied by a Gaussian low-pass; for a pure translation its inverse
 * transform is then close to a sampled Gaussian centred on the shift, so a 3-point fit of its logarithm along each axis locates the peak to a
 * fraction of a pixel. The low-pass also keeps the noise-dominated high frequencies of camera frames from
 * flattening the peak. Images are mean-subtracted and apodised with a Tukey window (a periodic FFT would
 * otherwise see the frame edges as strong structure that never moves).
 *
 * <p>Convention: {@code estimate(cur, ref)} returns (dx, dy) with {@code cur(x, y) ≈ ref(x − dx, y − dy)}: the
 * content moved by (dx, dy) from ref to cur.
 *
 * <p>Frames wider or taller than {@link #MAX_SIDE} are correlated on their central {@code MAX_SIDE} rows or
 * columns: the translation is global, and a 512² window of a camera frame holds ample structure to locate it, while
 * the transforms of a whole 2048² frame cost over a second a frame on a 2-core CPU and ~150 MB (docs/cost-curve.md).
 *
 * <p>Buffers are allocated per geometry and reused: no allocation per call. Threading: one thread at a time.
 */
public final class PhaseCorrelation {
    /** Spatial width (pixels) of the correlation peak the low-pass makes; 1.5 px fits 3 samples well. */
    private static final double PEAK_SIGMA = 3.0;
    /** Fraction of each border tapered by the window. */
    private static final double TAPER = 0.12;
    /** Shifts from this size (px, either axis) get a second, refining pass. */
    private static final double REFINE_PX = 0.5;
    /**
     * The cross-power spectrum is divided by its magnitude to this power: 1 is pure phase correlation, 0 plain
     * correlation. Half-way keeps the peak sharp and stops noise-only frequencies from counting fully (rms error on
     * dim 96² cell frames 0.112 → 0.083 px static, 0.227 → 0.189 px at (1, 0.5); on 256² 0.042 → 0.030 px).
     */
    private static final double WHITEN = 0.5;

    /** Largest side correlated; larger frames are correlated on a central window of this side. */
    static final int MAX_SIDE = 512;

    private final int frameWidth;
    private final int x0;
    private final int y0;
    /** The window correlated: the frame, or its centre. */
    private final int width;
    private final int height;
    private final FloatFFT_2D fft;
    private final float[] refWindow;
    private final float[] a;
    private final float[] b;
    private final float[] c;
    private final float[] scratch;
    private final float[] shifted;
    private final float[] windowX;
    private final float[] windowY;
    private final float[] lowPass;
    private double peakRatio;

    /** For frames of {@code frameWidth} × {@code frameHeight}. */
    public PhaseCorrelation(int frameWidth, int frameHeight) {
        if (frameWidth < 8 || frameHeight < 8) {
            throw new IllegalArgumentException("phase correlation needs at least 8x8 pixels, got " + frameWidth + "x" + frameHeight);
        }
        this.frameWidth = frameWidth;
        this.width = Math.min(frameWidth, MAX_SIDE);
        this.height = Math.min(frameHeight, MAX_SIDE);
        this.x0 = (frameWidth - width) / 2;
        this.y0 = (frameHeight - height) / 2;
        this.refWindow = x0 == 0 && y0 == 0 ? null : new float[width * height];
        this.fft = new FloatFFT_2D(height, width);
        this.a = new float[2 * width * height];
        this.b = new float[2 * width * height];
        this.c = new float[2 * width * height];
        this.scratch = new float[width * height];
        this.shifted = new float[width * height];
        this.windowX = tukey(width);
        this.windowY = tukey(height);
        this.lowPass = new float[width * height];
        double s = 2 * Math.PI * PEAK_SIGMA;
        for (int v = 0; v < height; v++) {
            double fy = (v <= height / 2 ? v : v - height) / (double) height;
            for (int u = 0; u < width; u++) {
                double fx = (u <= width / 2 ? u : u - width) / (double) width;
                lowPass[v * width + u] = (float) Math.exp(-0.5 * s * s * (fx * fx + fy * fy));
            }
        }
    }

    /**
     * @param cur, ref row-major frames of this geometry (any units)
     * @param out      receives {dx, dy}
     * @return out
     */
    public double[] estimate(float[] cur, float[] ref, double[] out) {
        load(cur, frameWidth, x0, y0, c);
        fft.complexForward(c);
        correlate(ref, frameWidth, x0, y0, out);
        if (Math.abs(out[0]) >= REFINE_PX || Math.abs(out[1]) >= REFINE_PX) {
            // the fixed window pulls the peak towards zero in proportion to the shift (−4 % at 2.7 px on 128²):
            // move ref by the first estimate and measure what is left, so the pull applies to the remainder only
            double sx = out[0], sy = out[1];
            double ratio = peakRatio;
            float[] window = ref;
            if (refWindow != null) { // the window moves, not the whole frame (its edges are tapered away)
                for (int y = 0; y < height; y++) System.arraycopy(ref, (y0 + y) * frameWidth + x0, refWindow, y * width, width);
                window = refWindow;
            }
            Resample.shift(window, width, height, -sx, -sy, scratch, shifted);
            correlate(shifted, width, 0, 0, out);
            out[0] += sx;
            out[1] += sy;
            peakRatio = ratio;
        }
        return out;
    }

    /** Correlates the spectrum in c (the current image) with ref's window; the peak's position into out. */
    private void correlate(float[] ref, int stride, int ox, int oy, double[] out) {
        load(ref, stride, ox, oy, b);
        fft.complexForward(b);
        int n = width * height;
        for (int i = 0; i < n; i++) {
            float ar = c[2 * i], ai = c[2 * i + 1];
            float br = b[2 * i], bi = b[2 * i + 1];
            // cur · conj(ref): its phase is −2π(u·dx/W + v·dy/H)
            float re = ar * br + ai * bi;
            float im = ai * br - ar * bi;
            float mag = (float) Math.sqrt(re * re + im * im);
            float k = mag > 1e-20f ? lowPass[i] / (float) Math.sqrt(mag) : 0f; // mag^WHITEN
            a[2 * i] = re * k;
            a[2 * i + 1] = im * k;
        }
        fft.complexInverse(a, true);
        int best = 0;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = a[2 * i];
            sum += Math.abs(v);
            if (v > max) {
                max = v;
                best = i;
            }
        }
        peakRatio = sum > 0 ? max / (sum / n) : 0;
        int px = best % width;
        int py = best / width;
        double fx = subPixel(at(px - 1, py), max, at(px + 1, py));
        double fy = subPixel(at(px, py - 1), max, at(px, py + 1));
        double dx = px + fx;
        double dy = py + fy;
        if (dx > width / 2.0) dx -= width;
        if (dy > height / 2.0) dy -= height;
        out[0] = dx;
        out[1] = dy;
    }

    /**
     * How far the last peak stood above the mean absolute correlation: large for a clear translation, near the
     * noise floor when the two images share no structure (a scene change, or featureless noise).
     */
    public double peakRatio() {
        return peakRatio;
    }

    private float at(int x, int y) {
        int xx = Math.floorMod(x, width);
        int yy = Math.floorMod(y, height);
        return a[2 * (yy * width + xx)];
    }

    /** Gaussian 3-point peak fit (exact for a sampled Gaussian); falls back to a parabola off positive values. */
    private static double subPixel(double l, double c, double r) {
        if (l > 0 && c > 0 && r > 0) {
            double ll = Math.log(l), lc = Math.log(c), lr = Math.log(r);
            double den = ll - 2 * lc + lr;
            if (den < 0) return clampHalf(0.5 * (ll - lr) / den);
        }
        double den = l - 2 * c + r;
        return den < 0 ? clampHalf(0.5 * (l - r) / den) : 0;
    }

    private static double clampHalf(double v) {
        return Math.max(-0.5, Math.min(0.5, v));
    }

    /** The window at (ox, oy) of an image {@code stride} wide, mean-subtracted and apodised, as complex values. */
    private void load(float[] img, int stride, int ox, int oy, float[] dst) {
        double mean = 0;
        for (int y = 0; y < height; y++) {
            int row = (oy + y) * stride + ox;
            for (int x = 0; x < width; x++) mean += img[row + x];
        }
        float m = (float) (mean / (width * height));
        for (int y = 0; y < height; y++) {
            float wy = windowY[y];
            int src = (oy + y) * stride + ox;
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int i = row + x;
                dst[2 * i] = (img[src + x] - m) * wy * windowX[x];
                dst[2 * i + 1] = 0f;
            }
        }
    }

    private static float[] tukey(int n) {
        float[] w = new float[n];
        int taper = Math.max(1, (int) Math.round(TAPER * n));
        for (int i = 0; i < n; i++) {
            int d = Math.min(i, n - 1 - i);
            w[i] = d >= taper ? 1f : (float) (0.5 - 0.5 * Math.cos(Math.PI * (d + 0.5) / taper));
        }
        return w;
    }
}
