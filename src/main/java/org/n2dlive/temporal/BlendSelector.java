package org.n2dlive.temporal;

import java.util.Arrays;

/**
 * How much of the spatial denoiser's output to keep on top of the fused frame, learnt without ground truth. The
 * spatial net sees the fused frame, whose noise falls with the frames a pixel has averaged (q); where q is large the
 * net's bias (lost detail) can cost more than the little noise it removes. Per class of q, the output is
 * α·denoised + (1 − α)·fused with the α the next frame prefers: the next raw frame y is an independent noise draw of
 * the same (static) scene, so E[(y − α·D − (1 − α)·F)²] = σ² + MSE(α) is minimised by
 * α = (S_FF − S_DF) / (S_DD + S_FF − 2·S_DF) over the residuals r_D = y − D, r_F = y − F of the previous frame's
 * candidates (aligned by the drift). Learnt only on static frames and on pixels that kept integrating; held
 * otherwise. A class no frame has taught yet takes the α of its nearest taught class: on a static scene nearly every
 * pixel crosses into the next class on the same frame (q = 12 at frame 11, 24 at 23, 48 at 47), where the net's loss
 * of detail costs the most, so an untaught α = 1 made that one frame 2–7 dB worse than both neighbours, while the
 * class below was within 0.2 of the α the new class then learnt (cells-256, FMD field 1; docs/blink.md). With no
 * class taught, 1 (the denoiser alone). Fresh pixels (moved or changed: the fused frame is the raw frame there)
 * always take the denoiser.
 * (Measured on fmd-bpae-field1-256: N2D on the fused frame alone scored 0.3 dB below the fused frame itself.)
 *
 * <p>Buffers per geometry; no allocation per frame. Threading: one thread.
 */
public final class BlendSelector {
    private static final float[] CLASS_EDGES = {1.5f, 3, 6, 12, 24, 48};
    private static final int CLASSES = CLASS_EDGES.length + 1;
    /** Sums decay by this per frame (~5 frames of memory): the net adapts, its best α moves. */
    private static final double FORGET = 0.8;
    private static final double MIN_PIXELS = 200;

    private final double[] sDD = new double[CLASSES];
    private final double[] sFF = new double[CLASSES];
    private final double[] sDF = new double[CLASSES];
    private final double[] count = new double[CLASSES];
    private final float[] alpha = new float[CLASSES];
    /** Whether the class's α comes from its own residuals (otherwise it is borrowed from a neighbour). */
    private final boolean[] taught = new boolean[CLASSES];
    private float[] prevD;
    private float[] prevF;
    private byte[] prevClass;
    private float[] alignedD;
    private float[] alignedF;
    private float[] tmp;
    private int width;
    private int height;
    private boolean hasPrev;

    public BlendSelector() {
        Arrays.fill(alpha, 1f);
    }

    /** Forgets the previous frame and the learnt weights (a new scene, a new geometry). */
    public void reset() {
        hasPrev = false;
        Arrays.fill(alpha, 1f);
        Arrays.fill(taught, false);
        Arrays.fill(sDD, 0);
        Arrays.fill(sFF, 0);
        Arrays.fill(sDF, 0);
        Arrays.fill(count, 0);
    }

    /**
     * Learns from this raw frame against the previous frame's candidates (when {@code staticScene}), then blends
     * this frame's candidates into {@code out} and keeps them for the next frame.
     *
     * @param raw       this raw frame (raw units)
     * @param fused     this frame's fused frame
     * @param denoised  the spatial denoiser's output on it
     * @param precision q per pixel after fusing this frame
     * @param dx, dy    the content's drift since the previous frame (px)
     */
    public void blend(float[] raw, float[] fused, float[] denoised, float[] precision, int w, int h, double dx, double dy,
                      boolean staticScene, float[] out) {
        int n = w * h;
        if (allocate(w, h)) reset();
        if (hasPrev && staticScene) learn(raw, precision, dx, dy);
        for (int i = 0; i < n; i++) {
            byte c = classOf(precision[i]);
            float a = alpha[c];
            out[i] = a * denoised[i] + (1 - a) * fused[i];
            prevClass[i] = c;
        }
        System.arraycopy(denoised, 0, prevD, 0, n);
        System.arraycopy(fused, 0, prevF, 0, n);
        hasPrev = true;
    }

    private void learn(float[] raw, float[] precision, double dx, double dy) {
        float[] d = prevD;
        float[] f = prevF;
        if (dx != 0 || dy != 0) {
            // the previous frame's content moved by (dx, dy): read it at x − d
            Resample.shift(prevD, width, height, -dx, -dy, tmp, alignedD);
            Resample.shift(prevF, width, height, -dx, -dy, tmp, alignedF);
            d = alignedD;
            f = alignedF;
        }
        for (int c = 0; c < CLASSES; c++) {
            sDD[c] *= FORGET;
            sFF[c] *= FORGET;
            sDF[c] *= FORGET;
            count[c] *= FORGET;
        }
        int margin = 2 + (int) Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)));
        for (int y = margin; y < height - margin; y++) {
            for (int x = margin; x < width - margin; x++) {
                int i = y * width + x;
                int c = prevClass[i];
                // the premise (same scene in both frames) holds only where the pixel kept integrating: a pixel that
                // changed now or on the previous frame says nothing about the blend
                if (c == 0 || precision[i] < CLASS_EDGES[0]) continue;
                double rd = raw[i] - d[i];
                double rf = raw[i] - f[i];
                sDD[c] += rd * rd;
                sFF[c] += rf * rf;
                sDF[c] += rd * rf;
                count[c]++;
            }
        }
        for (int c = 1; c < CLASSES; c++) { // class 0 (fresh pixels: the raw frame) always takes the denoiser
            if (count[c] < MIN_PIXELS) continue;
            double den = sDD[c] + sFF[c] - 2 * sDF[c];
            if (!(den > 0)) continue;
            alpha[c] = (float) Math.max(0, Math.min(1, (sFF[c] - sDF[c]) / den));
            taught[c] = true;
        }
        borrowUntaught();
    }

    /** Gives each untaught class (not 0) the α of its nearest taught class; midway between two, their mean. */
    private void borrowUntaught() {
        for (int c = 1; c < CLASSES; c++) {
            if (taught[c]) continue;
            for (int dist = 1; dist < CLASSES; dist++) {
                int lo = c - dist;
                int hi = c + dist;
                boolean hasLo = lo >= 1 && taught[lo];
                boolean hasHi = hi < CLASSES && taught[hi];
                if (!hasLo && !hasHi) continue;
                alpha[c] = hasLo && hasHi ? (alpha[lo] + alpha[hi]) / 2 : alpha[hasLo ? lo : hi];
                break;
            }
        }
    }

    /** Buffers for a w×h geometry; true when they were (re)made. */
    private boolean allocate(int w, int h) {
        if (prevD != null && w == width && h == height) return false;
        int n = w * h;
        width = w;
        height = h;
        prevD = new float[n];
        prevF = new float[n];
        prevClass = new byte[n];
        alignedD = new float[n];
        alignedF = new float[n];
        tmp = new float[n];
        return true;
    }

    /** A copy of what the blend has learnt and its previous frame's candidates, for a parked series. */
    public Snapshot save() {
        if (prevD == null) return null;
        return new Snapshot(width, height, hasPrev, alpha.clone(), taught.clone(), sDD.clone(), sFF.clone(),
                sDF.clone(), count.clone(), hasPrev ? prevD.clone() : null, hasPrev ? prevF.clone() : null,
                hasPrev ? prevClass.clone() : null);
    }

    /** Puts back what {@link #save} copied (null: as new). */
    public void restore(Snapshot s) {
        if (s == null) {
            reset();
            return;
        }
        int n = s.width * s.height;
        allocate(s.width, s.height);
        System.arraycopy(s.alpha, 0, alpha, 0, CLASSES);
        System.arraycopy(s.taught, 0, taught, 0, CLASSES);
        System.arraycopy(s.sDD, 0, sDD, 0, CLASSES);
        System.arraycopy(s.sFF, 0, sFF, 0, CLASSES);
        System.arraycopy(s.sDF, 0, sDF, 0, CLASSES);
        System.arraycopy(s.count, 0, count, 0, CLASSES);
        hasPrev = s.hasPrev;
        if (hasPrev) {
            System.arraycopy(s.prevD, 0, prevD, 0, n);
            System.arraycopy(s.prevF, 0, prevF, 0, n);
            System.arraycopy(s.prevClass, 0, prevClass, 0, n);
        }
    }

    /** The blend's state between frames, in Java memory. Immutable by convention. */
    public static final class Snapshot {
        final int width;
        final int height;
        final boolean hasPrev;
        final float[] alpha;
        final boolean[] taught;
        final double[] sDD;
        final double[] sFF;
        final double[] sDF;
        final double[] count;
        final float[] prevD;
        final float[] prevF;
        final byte[] prevClass;

        Snapshot(int width, int height, boolean hasPrev, float[] alpha, boolean[] taught, double[] sDD, double[] sFF,
                 double[] sDF, double[] count, float[] prevD, float[] prevF, byte[] prevClass) {
            this.width = width;
            this.height = height;
            this.hasPrev = hasPrev;
            this.alpha = alpha;
            this.taught = taught;
            this.sDD = sDD;
            this.sFF = sFF;
            this.sDF = sDF;
            this.count = count;
            this.prevD = prevD;
            this.prevF = prevF;
            this.prevClass = prevClass;
        }

        public long bytes() {
            return prevD == null ? 512 : 9L * prevD.length + 512;
        }
    }

    private static byte classOf(float q) {
        byte c = 0;
        while (c < CLASS_EDGES.length && q >= CLASS_EDGES[c]) c++;
        return c;
    }

    /** Whether a precision class's weight was learnt from its own pixels rather than borrowed (tests). */
    boolean taught(int precisionClass) {
        return taught[precisionClass];
    }

    /** The weight of the denoised frame per precision class (for logs and tests). */
    public float alpha(int precisionClass) {
        return alpha[precisionClass];
    }
}
