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
     * <p>Separable: a horizontal pass per source row, then a vertical one per output row. The horizontal rows are
     * kept in a ring of four (the vertical taps span four consecutive rows), so the intermediate stays in cache
     * instead of making a round trip through a whole frame.
     *
     * @param tmp scratch of w·h floats
     * @param dst neither {@code src} nor {@code tmp}
     */
    public static void shift(float[] src, int w, int h, double sx, double sy, float[] tmp, float[] dst) {
        shiftRows(src, w, h, sx, sy, tmp, dst, 0, h);
    }

    /**
     * Rows [y0, y1) of {@link #shift}: the same floats as the whole-frame pass. Its ring of four rows sits at rows
     * y0 .. y0 + 3 of {@code tmp}, inside the band, so bands of at least four rows can run at once on one scratch.
     */
    static void shiftRows(float[] src, int w, int h, double sx, double sy, float[] tmp, float[] dst, int y0, int y1) {
        double tx = sx - Math.floor(sx);
        float a0 = w0(tx), a1 = w1(tx), a2 = w1(1 - tx), a3 = w0(1 - tx);
        int ox = (int) Math.floor(sx);
        double ty = sy - Math.floor(sy);
        float b0 = w0(ty), b1 = w1(ty), b2 = w1(1 - ty), b3 = w0(1 - ty);
        int oy = (int) Math.floor(sy);
        int ring = y0 * w;
        // ring slot (row & 3) holds source row `row` after the horizontal pass. The four rows an output row reads are
        // consecutive (or repeat at the edges) and advance by at most one per output row, so the rows are passed in
        // order, each once, and none is overwritten while still read; with h < 4 the slots stay below h.
        int done = clamp(y0 + oy - 1, h) - 1; // the last source row passed
        for (int y = y0; y < y1; y++) {
            int base = y + oy;
            int r0 = clamp(base - 1, h), r1 = clamp(base, h), r2 = clamp(base + 1, h), r3 = clamp(base + 2, h);
            for (; done < r3; done++) horizontalRow(src, w, done + 1, ox, a0, a1, a2, a3, tmp, ring);
            int s0 = ring + (r0 & 3) * w, s1 = ring + (r1 & 3) * w, s2 = ring + (r2 & 3) * w, s3 = ring + (r3 & 3) * w;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                dst[row + x] = b0 * tmp[s0 + x] + b1 * tmp[s1 + x] + b2 * tmp[s2 + x] + b3 * tmp[s3 + x];
            }
        }
    }

    /**
     * {@link #shift} over a {@link RowPool}'s bands: the same floats. One per caller, made once and reused (a frame
     * allocates nothing); not for concurrent use.
     */
    public static final class Banded implements RowPool.Rows {
        private final RowPool pool;
        private float[] src;
        private float[] tmp;
        private float[] dst;
        private int w;
        private int h;
        private double sx;
        private double sy;

        public Banded(RowPool pool) {
            this.pool = pool;
        }

        /** As {@link Resample#shift}. */
        public void shift(float[] src, int w, int h, double sx, double sy, float[] tmp, float[] dst) {
            this.src = src;
            this.w = w;
            this.h = h;
            this.sx = sx;
            this.sy = sy;
            this.tmp = tmp;
            this.dst = dst;
            try {
                pool.run(w, h, this);
            } finally {
                this.src = null;
                this.tmp = null;
                this.dst = null;
            }
        }

        @Override
        public void rows(int band, int y0, int y1) {
            shiftRows(src, w, h, sx, sy, tmp, dst, y0, y1);
        }
    }

    /** Source row {@code r} through the horizontal taps into its ring slot. */
    private static void horizontalRow(float[] src, int w, int r, int ox, float a0, float a1, float a2, float a3, float[] ring,
                                      int ringStart) {
        int out = ringStart + (r & 3) * w;
        int row = r * w;
        // taps x + ox − 1 .. x + ox + 2 lie inside the row for x in [x0, x1): there no clamping, so the loop vectorises
        int x0 = Math.min(w, Math.max(0, 1 - ox)), x1 = Math.max(x0, Math.min(w, w - 2 - ox));
        for (int x = 0; x < x0; x++) ring[out + x] = horizontal(src, row, x + ox, w, a0, a1, a2, a3);
        for (int x = x0, i = row + x0 + ox; x < x1; x++, i++) {
            ring[out + x] = a0 * src[i - 1] + a1 * src[i] + a2 * src[i + 1] + a3 * src[i + 2];
        }
        for (int x = x1; x < w; x++) ring[out + x] = horizontal(src, row, x + ox, w, a0, a1, a2, a3);
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

    /** One output of the horizontal pass at the row's edges (clamped taps around {@code base}). */
    private static float horizontal(float[] src, int row, int base, int w, float a0, float a1, float a2, float a3) {
        return a0 * src[row + clamp(base - 1, w)] + a1 * src[row + clamp(base, w)]
                + a2 * src[row + clamp(base + 1, w)] + a3 * src[row + clamp(base + 2, w)];
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
