package org.n2dlive.temporal;

import java.util.Arrays;

/**
 * The camera's noise variance as a function of the signal level, in raw units: a table over level bins, learnt
 * from the differences between each frame and the aligned history of the same scene (independent noise draws,
 * so E[d²] = σ²(level)·(1 + 1/q) for a history averaged over q frames' worth of noise). No parametric form: a
 * PMT, an sCMOS with offset and an 8-bit camera clipping at 0 all bend the Poisson–Gaussian line differently.
 * Bins forget old frames geometrically, so the table follows slow changes (gain, temperature).
 *
 * <p>Threading: one thread. No allocation after construction.
 */
public final class NoiseModel {
    static final int BINS = 32;
    /** Each frame's sums decay by this factor: ~10 frames of memory. */
    private static final double FORGET = 0.9;

    private final double[] sum = new double[BINS];
    private final double[] count = new double[BINS];
    private final double[] frameSum = new double[BINS];
    private final double[] frameCount = new double[BINS];
    private final float[] table = new float[BINS];
    private float lo;
    private float invWidth;
    private float floor;
    private boolean known;

    /**
     * Forgets everything and spans the level range [lo, hi] (levels outside fall into the end bins).
     *
     * @param floor the smallest variance reported (e.g. 1/12 LSB² for integer frames: rounding alone)
     */
    public void reset(float lo, float hi, float floor) {
        this.lo = lo;
        this.invWidth = hi > lo ? BINS / (hi - lo) : 1f;
        this.floor = floor;
        Arrays.fill(sum, 0);
        Arrays.fill(count, 0);
        Arrays.fill(table, floor);
        known = false;
    }

    /** True once a frame pair has been seen. */
    public boolean isKnown() {
        return known;
    }

    public void beginFrame() {
        Arrays.fill(frameSum, 0);
        Arrays.fill(frameCount, 0);
    }

    /** One sample: a pixel at {@code level} whose noise draw had variance estimate {@code var}. */
    public void add(float level, float var) {
        int b = bin(level);
        frameSum[b] += var;
        frameCount[b]++;
    }

    /**
     * This frame's samples already summed per bin ({@link #bin}): {@code BINS} sums from {@code offset} of
     * {@code binned}, then {@code BINS} counts.
     */
    void addBins(double[] binned, int offset) {
        for (int b = 0; b < BINS; b++) {
            frameSum[b] += binned[offset + b];
            frameCount[b] += binned[offset + BINS + b];
        }
    }

    /** Folds this frame's samples in and rebuilds the table (empty bins interpolate their neighbours). */
    public void endFrame() {
        boolean any = false;
        for (int b = 0; b < BINS; b++) {
            sum[b] = FORGET * sum[b] + frameSum[b];
            count[b] = FORGET * count[b] + frameCount[b];
            any |= count[b] >= 8;
        }
        if (!any) return;
        int last = -1;
        for (int b = 0; b < BINS; b++) {
            if (count[b] < 8) continue;
            float v = (float) Math.max(floor, sum[b] / count[b]);
            table[b] = v;
            if (last < 0) {
                for (int k = 0; k < b; k++) table[k] = v;
            } else {
                for (int k = last + 1; k < b; k++) table[k] = table[last] + (v - table[last]) * (k - last) / (b - last);
            }
            last = b;
        }
        for (int k = last + 1; k < BINS; k++) table[k] = table[last];
        known = true;
    }

    /** σ² at this level (linear between bin centres). */
    public float variance(float level) {
        float p = (level - lo) * invWidth - 0.5f;
        if (p <= 0) return table[0];
        if (p >= BINS - 1) return table[BINS - 1];
        int b = (int) p;
        float f = p - b;
        return table[b] + f * (table[b + 1] - table[b]);
    }

    /** The bin a sample at {@code level} counts in. */
    int bin(float level) {
        int b = (int) ((level - lo) * invWidth);
        return b < 0 ? 0 : (b >= BINS ? BINS - 1 : b);
    }
}
