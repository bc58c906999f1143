package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The temporal stage's per-pixel kernels, which are written for speed (row passes, ring buffers, sparse spans),
 * against plain per-pixel versions of the same arithmetic: the results must be the same floats, bit for bit, at
 * the frame's edges, on frames smaller than the kernels' reach, and for shifts beyond a pixel.
 */
class PixelKernelsTest {
    private static final int[][] SIZES = {{1, 1}, {2, 3}, {3, 2}, {5, 4}, {7, 9}, {16, 16}, {33, 17}, {64, 48}};

    private static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 200 - 50);
        return a;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : (v >= n ? n - 1 : v);
    }

    // ---- Resample.shift -------------------------------------------------------------------------------------------

    private static float w0(double t) {
        return (float) (-0.5 * t * t * t + t * t - 0.5 * t);
    }

    private static float w1(double t) {
        return (float) (1.5 * t * t * t - 2.5 * t * t + 1);
    }

    /** Catmull-Rom, horizontal then vertical, clamped taps, one pixel at a time. */
    private static float[] shiftReference(float[] src, int w, int h, double sx, double sy) {
        double tx = sx - Math.floor(sx), ty = sy - Math.floor(sy);
        float a0 = w0(tx), a1 = w1(tx), a2 = w1(1 - tx), a3 = w0(1 - tx);
        float b0 = w0(ty), b1 = w1(ty), b2 = w1(1 - ty), b3 = w0(1 - ty);
        int ox = (int) Math.floor(sx), oy = (int) Math.floor(sy);
        float[] tmp = new float[w * h], dst = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int b = x + ox, row = y * w;
                tmp[row + x] = a0 * src[row + clamp(b - 1, w)] + a1 * src[row + clamp(b, w)] + a2 * src[row + clamp(b + 1, w)]
                        + a3 * src[row + clamp(b + 2, w)];
            }
        }
        for (int y = 0; y < h; y++) {
            int b = y + oy;
            for (int x = 0; x < w; x++) {
                dst[y * w + x] = b0 * tmp[clamp(b - 1, h) * w + x] + b1 * tmp[clamp(b, h) * w + x]
                        + b2 * tmp[clamp(b + 1, h) * w + x] + b3 * tmp[clamp(b + 2, h) * w + x];
            }
        }
        return dst;
    }

    @Test
    void resampleShiftMatchesThePerPixelCubicExactly() {
        double[] shifts = {0, 0.3, -0.3, 0.5, -0.5, 1, -1, 0.999, -0.75, 2.4, -3.6, 7.25};
        for (int[] s : SIZES) {
            int w = s[0], h = s[1];
            float[] src = noise(w * h, 31L * w + h);
            for (double sx : shifts) {
                for (double sy : shifts) {
                    float[] tmp = new float[w * h], dst = new float[w * h];
                    Resample.shift(src, w, h, sx, sy, tmp, dst);
                    assertArrayEquals(shiftReference(src, w, h, sx, sy), dst, 0f, w + "x" + h + " shift " + sx + ", " + sy);
                }
            }
        }
    }

    // ---- TemporalFilter.boxMean -----------------------------------------------------------------------------------

    /** Each sum 0 + v(−r) + … + v(r) with clamped taps, horizontal then vertical, one pixel at a time. */
    private static float[] boxReference(float[] src, int w, int h, int r) {
        float norm = 1f / ((2 * r + 1) * (2 * r + 1));
        float[] tmp = new float[w * h], dst = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = 0;
                for (int k = -r; k <= r; k++) v += src[y * w + clamp(x + k, w)];
                tmp[y * w + x] = v;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = 0;
                for (int k = -r; k <= r; k++) v += tmp[clamp(y + k, h) * w + x];
                dst[y * w + x] = v * norm;
            }
        }
        return dst;
    }

    @Test
    void boxMeanMatchesThePerPixelSumExactly() {
        for (int[] s : SIZES) {
            int w = s[0], h = s[1];
            float[] src = noise(w * h, 17L * w + h);
            for (int r = 1; r <= 3; r++) {
                float[] ring = new float[w * h], dst = new float[w * h];
                TemporalFilter.boxMean(src, dst, w, h, r, ring);
                assertArrayEquals(boxReference(src, w, h, r), dst, 0f, w + "x" + h + " r " + r);
            }
        }
    }

    // ---- FreshRegions.dilate --------------------------------------------------------------------------------------

    private static float[] dilateReference(float[] a, int w, int h, int r) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = 0;
                for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) v = Math.max(v, a[yy * w + xx]);
                }
                out[y * w + x] = v;
            }
        }
        return out;
    }

    @Test
    void dilateMatchesThePerPixelMaximumOnSparseAndDenseFrames() {
        for (int[] s : SIZES) {
            int w = s[0], h = s[1];
            for (double density : new double[] {0, 0.01, 0.1, 1}) {
                SplittableRandom rnd = new SplittableRandom(w * 1000L + h + (long) (density * 100));
                float[] a = new float[w * h];
                for (int i = 0; i < a.length; i++) {
                    if (rnd.nextDouble() < density) a[i] = (float) rnd.nextDouble();
                }
                if (a.length > 3) a[3] = -0f; // a negative zero counts as none
                for (int r : new int[] {0, 2, 5}) {
                    float[] got = a.clone();
                    int above = FreshRegions.dilate(got, new float[w * h], new int[2 * h], w, h, r);
                    float[] want = dilateReference(a, w, h, r);
                    assertArrayEquals(want, got, 0f, w + "x" + h + " density " + density + " r " + r);
                    int count = 0;
                    for (float v : want) if (v > 0) count++;
                    assertEquals(count, above);
                    // into another array, whatever it held (the filter's rim, the fresh regions' reach)
                    float[] into = new float[w * h];
                    java.util.Arrays.fill(into, 7f);
                    float[] scratch = new float[w * h];
                    int[] span = new int[2 * h];
                    FreshRegions.dilateRows(a, scratch, span, w, r, 0, h);
                    assertEquals(count, FreshRegions.dilateColumns(into, scratch, span, w, h, r, 0, h, false));
                    assertArrayEquals(want, into, 0f, "out of place, " + w + "x" + h + " density " + density + " r " + r);
                }
            }
        }
    }
}
