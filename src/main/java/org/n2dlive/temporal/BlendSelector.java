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
 * <p>Buffers per geometry; no allocation per frame. Threading: one caller thread; the per-pixel passes over row bands
 * on a {@link RowPool} (the same floats), each row's residual sums in pixel order and the rows added in order on the
 * caller (the same doubles whatever the thread count).
 */
public final class BlendSelector {
    private static final float[] CLASS_EDGES = {1.5f, 3, 6, 12, 24, 48};
    private static final int CLASSES = CLASS_EDGES.length + 1;
    /** Sums decay by this per frame (~5 frames of memory): the net adapts, its best α moves. */
    private static final double FORGET = 0.8;
    private static final double MIN_PIXELS = 200;

    /** The series' state this blend works on. */
    private State st = new State();
    private final StageBuffers shifted; // the frame's work buffers, shared (see StageBuffers)
    private final RowPool pool;
    private final Resample.Banded shifter;
    private final RowPool.Rows blendPass = this::blendRows;
    private final RowPool.Rows learnPass = this::learnRows;
    /** {@link #learnRows}' sums, {@value #ROW_SUMS} per row and class (per geometry). */
    private double[] rowSums;
    private static final int ROW_SUMS = 4;
    // the frame being learnt from, during the pass
    private float[] learnRaw;
    private float[] learnPrecision;
    private float[] learnD;
    private float[] learnF;
    private int learnMargin;
    // the frame being blended, during the pass
    private float[] fused;
    private float[] denoised;
    private float[] precision;
    private float[] out;
    private int width;

    public BlendSelector() {
        this(RowPool.SEQUENTIAL, new StageBuffers());
    }

    /**
     * @param pool    runs the per-pixel passes over row bands (not owned)
     * @param shifted the frame's work buffers (the shift buffers are this blend's), shared with the stage's other parts
     */
    public BlendSelector(RowPool pool, StageBuffers shifted) {
        this.pool = pool;
        this.shifted = shifted;
        this.shifter = new Resample.Banded(pool);
    }

    /** Forgets the previous frame and the learnt weights (a new scene, a new geometry). */
    public void reset() {
        st.hasPrev = false;
        Arrays.fill(st.alpha, 1f);
        Arrays.fill(st.taught, false);
        Arrays.fill(st.sDD, 0);
        Arrays.fill(st.sFF, 0);
        Arrays.fill(st.sDF, 0);
        Arrays.fill(st.count, 0);
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
        if (st.hasPrev && staticScene) learn(raw, precision, dx, dy);
        this.fused = fused;
        this.denoised = denoised;
        this.precision = precision;
        this.out = out;
        this.width = w;
        try {
            pool.run(w, h, blendPass);
        } finally {
            this.fused = null;
            this.denoised = null;
            this.precision = null;
            this.out = null;
        }
        st.hasPrev = true;
    }

    /** This frame's candidates mixed per class, and kept for the next frame. */
    private void blendRows(int band, int y0, int y1) {
        int from = y0 * width, to = y1 * width;
        float[] alpha = st.alpha;
        byte[] prevClass = st.prevClass;
        for (int i = from; i < to; i++) {
            byte c = classOf(precision[i]);
            float a = alpha[c];
            out[i] = a * denoised[i] + (1 - a) * fused[i];
            prevClass[i] = c;
        }
        System.arraycopy(denoised, from, st.prevD, from, to - from);
        System.arraycopy(fused, from, st.prevF, from, to - from);
    }

    private void learn(float[] raw, float[] precision, double dx, double dy) {
        float[] d = st.prevD;
        float[] f = st.prevF;
        if (dx != 0 || dy != 0) {
            // the previous frame's content moved by (dx, dy): read it at x − d
            shifted.size(st.width * st.height);
            d = shifted.floats(StageBuffers.Floats.SHIFT_FIRST);
            f = shifted.floats(StageBuffers.Floats.SHIFT_SECOND);
            shifter.shift(st.prevD, st.width, st.height, -dx, -dy, shifted.floats(StageBuffers.Floats.SHIFT_INTERMEDIATE), d);
            shifter.shift(st.prevF, st.width, st.height, -dx, -dy, shifted.floats(StageBuffers.Floats.SHIFT_INTERMEDIATE), f);
        }
        for (int c = 0; c < CLASSES; c++) {
            st.sDD[c] *= FORGET;
            st.sFF[c] *= FORGET;
            st.sDF[c] *= FORGET;
            st.count[c] *= FORGET;
        }
        int margin = 2 + (int) Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)));
        learnRaw = raw;
        learnPrecision = precision;
        learnD = d;
        learnF = f;
        learnMargin = margin;
        try {
            pool.run(st.width, st.height, learnPass);
        } finally {
            learnRaw = null;
            learnPrecision = null;
            learnD = null;
            learnF = null;
        }
        // the rows' sums added in row order: the same doubles whatever the number of bands
        for (int y = margin; y < st.height - margin; y++) {
            for (int c = 1; c < CLASSES; c++) {
                int k = ROW_SUMS * (y * CLASSES + c);
                st.sDD[c] += rowSums[k];
                st.sFF[c] += rowSums[k + 1];
                st.sDF[c] += rowSums[k + 2];
                st.count[c] += rowSums[k + 3];
            }
        }
        for (int c = 1; c < CLASSES; c++) { // class 0 (fresh pixels: the raw frame) always takes the denoiser
            if (st.count[c] < MIN_PIXELS) continue;
            double den = st.sDD[c] + st.sFF[c] - 2 * st.sDF[c];
            if (!(den > 0)) continue;
            st.alpha[c] = (float) Math.max(0, Math.min(1, (st.sFF[c] - st.sDF[c]) / den));
            st.taught[c] = true;
        }
        borrowUntaught();
    }

    /**
     * Per row of the learning window and class: the residual sums Σr_D², Σr_F², Σr_D·r_F and the pixels, in pixel
     * order. The premise (same scene in both frames) holds only where the pixel kept integrating: a pixel that changed
     * now or on the previous frame says nothing about the blend.
     */
    private void learnRows(int band, int y0, int y1) {
        float[] raw = learnRaw, precision = learnPrecision, d = learnD, f = learnF;
        byte[] prevClass = st.prevClass;
        int w = st.width, margin = learnMargin;
        for (int y = Math.max(y0, margin); y < Math.min(y1, st.height - margin); y++) {
            int row = ROW_SUMS * y * CLASSES;
            Arrays.fill(rowSums, row, row + ROW_SUMS * CLASSES, 0);
            for (int i = y * w + margin, end = y * w + w - margin; i < end; i++) {
                int c = prevClass[i];
                if (c == 0 || precision[i] < CLASS_EDGES[0]) continue;
                double rd = raw[i] - d[i];
                double rf = raw[i] - f[i];
                int k = row + ROW_SUMS * c;
                rowSums[k] += rd * rd;
                rowSums[k + 1] += rf * rf;
                rowSums[k + 2] += rd * rf;
                rowSums[k + 3]++;
            }
        }
    }

    /** Gives each untaught class (not 0) the α of its nearest taught class; midway between two, their mean. */
    private void borrowUntaught() {
        for (int c = 1; c < CLASSES; c++) {
            if (st.taught[c]) continue;
            for (int dist = 1; dist < CLASSES; dist++) {
                int lo = c - dist;
                int hi = c + dist;
                boolean hasLo = lo >= 1 && st.taught[lo];
                boolean hasHi = hi < CLASSES && st.taught[hi];
                if (!hasLo && !hasHi) continue;
                st.alpha[c] = hasLo && hasHi ? (st.alpha[lo] + st.alpha[hi]) / 2 : st.alpha[hasLo ? lo : hi];
                break;
            }
        }
    }

    /** Buffers for a w×h geometry; true when they were (re)made. */
    private boolean allocate(int w, int h) {
        int n = w * h;
        if (rowSums == null || rowSums.length != ROW_SUMS * CLASSES * h) rowSums = new double[ROW_SUMS * CLASSES * h];
        if (st.prevD != null && w == st.width && h == st.height) return false;
        st.width = w;
        st.height = h;
        st.prevD = new float[n];
        st.prevF = new float[n];
        st.prevClass = new byte[n];
        return true;
    }

    /**
     * What one series' blend carries from frame to frame: the residual sums and weights it learnt, and the previous
     * frame's candidates. The blend works on the state it is handed ({@link #use}); a parked series keeps its own.
     */
    public static final class State {
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
        private int width;
        private int height;
        private boolean hasPrev;

        public State() {
            Arrays.fill(alpha, 1f);
        }

        public long bytes() {
            return prevD == null ? 512 : 9L * prevD.length + 512;
        }
    }

    /** The state the next frame updates. */
    public State state() {
        return st;
    }

    /** Works on {@code s} from the next frame on (null: a new one). */
    public void use(State s) {
        st = s == null ? new State() : s;
    }

    private static byte classOf(float q) {
        byte c = 0;
        while (c < CLASS_EDGES.length && q >= CLASS_EDGES[c]) c++;
        return c;
    }

    /** Whether a precision class's weight was learnt from its own pixels rather than borrowed (tests). */
    boolean taught(int precisionClass) {
        return st.taught[precisionClass];
    }

    /** The weight of the denoised frame per precision class (for logs and tests). */
    public float alpha(int precisionClass) {
        return st.alpha[precisionClass];
    }
}
