package org.n2dlive.temporal;

/**
 * PSNR of the denoised output without ground truth. On a static scene consecutive frames are independent noise
 * draws of the same clean image c, so for the previous output o and this raw frame y (whose noise o never saw):
 * <pre>
 *   E[(y − o)²]           = σ² + MSE(o, c)
 *   E[(y − y_prev)²] / 2  = σ²
 * </pre>
 * and MSE(o, c) is the difference. Both means run over the whole frame. The error term is this frame's alone (it
 * falls while the output converges: smoothed, it lagged by 4–6 dB on a converging synthetic stream); the noise term
 * is a running mean over about two frames: σ² follows the brightness, which bleaching changes, and a running mean
 * over ~8 frames lags it (it read FMD field 3, which dims by 16 % over 50 frames, 1.2 dB high, and field 2 0.8 dB
 * low; on each frame alone −0.2 and +0.1 dB, but then too noisy to give a figure on small frames). Even over two
 * frames it lags: the running mean is σ² at the mean level of the frames it holds, about 1.5 frames back. So it is
 * carried to this frame's level along the noise's slope against the level, σ² + B·(L − L̄), where L is this frame's
 * mean, L̄ the same running mean of the pair levels, and B the least-squares slope of the per-pixel squared
 * difference against the previous output, pooled over ~16 frames (the camera's property; used only when it is
 * significant, at 2 standard errors). On the synthetic cells-256-bleach (exact truth, 0.1–0.6 % a frame) the
 * uncarried term read +0.62 dB high over outputs 10–40, carried +0.20 dB (static control: +0.02 / +0.03). Per frame the
 * figure is noisy where the output is far better than the raw frame (~0.5 % of σ² per 256² frame). The estimate
 * is of the previous output (it needs the next frame's noise) and is NaN where the premise fails: the first frame
 * after a reset, more than {@link #MAX_MOTION} of the pixels moving, drift above {@link #MAX_DRIFT}, or an error
 * below the statistical resolution. Under drift the previous frames are read at the new position (cubic); the
 * resampled raw frame's noise variance is then Σw² of the taps times σ² ({@link Resample#noiseGain}), which the
 * second mean divides out: E[(y − R·y_prev)²] = σ²·(1 + Σw²).
 *
 * <p>Buffers per geometry; no allocation per frame. Threading: one caller thread; the resampling and the sums over row
 * bands on a {@link RowPool}, each row's sums in pixel order and the rows added in order on the caller (the same
 * doubles whatever the thread count).
 */
public final class QualityReadout {
    /** Motion fraction above which the scene is not static enough to read the error. */
    public static final double MAX_MOTION = 0.02;
    /** Frame-to-frame drift (px) above which no figure is given (the frame edges lose too much). */
    public static final double MAX_DRIFT = 3;

    /** Weight of the newest frame in the running noise mean (about two frames of memory, see above). */
    private static final double NOISE_ALPHA = 0.5;
    /** Weight of the newest frame in the pooled noise-against-level regression (~16 frames: a camera property). */
    private static final double SLOPE_ALPHA = 1.0 / 16;
    /** The series' state this readout works on. */
    private State st = new State();
    private final StageBuffers shifted; // the frame's work buffers, shared (see StageBuffers)
    private final Resample.Banded shifter;
    private final RowPool pool;
    private final RowPool.Rows sumPass = this::sumRows;
    /** {@link #sumRows}'s sums, {@value #ROW_SUMS} per row (per geometry). */
    private double[] rowSums;
    private static final int ROW_SUMS = 8;
    // the frame being read, during the pass
    private float[] passRaw;
    private float[] passPrevRaw;
    private float[] passPrevOut;
    private double passNorm;
    private int passMargin;
    private int passWidth;
    private int passHeight;

    public QualityReadout() {
        this(RowPool.SEQUENTIAL, new StageBuffers());
    }

    /**
     * @param pool    runs the resampling and the sums over row bands (not owned)
     * @param shifted the frame's work buffers (the shift buffers are this readout's), shared with the stage's other parts
     */
    public QualityReadout(RowPool pool, StageBuffers shifted) {
        this.pool = pool;
        this.shifted = shifted;
        this.shifter = new Resample.Banded(pool);
    }

    public void reset() {
        st.hasPrev = false;
        st.noiseMean = Double.NaN;
        st.levelMean = Double.NaN;
        st.hasSlope = false;
    }

    /** Buffers for frames of {@code pixels} pixels, {@code w} wide; true when the series' were (re)made. */
    private boolean allocate(int w, int pixels) {
        if (rowSums == null || rowSums.length != ROW_SUMS * (pixels / w)) rowSums = new double[ROW_SUMS * (pixels / w)];
        if (st.prevRaw != null && pixels == st.n && w == st.width) return false;
        st.n = pixels;
        st.width = w;
        st.prevRaw = new float[pixels];
        st.prevOut = new float[pixels];
        return true;
    }

    /**
     * Per row of the read window: Σ(y − o_prev)², Σ(y − y_prev)²·norm (= dd), Σy, Σy_prev, Σl, Σl², Σl·dd, Σdd², each
     * in pixel order (l = o_prev: a level that does not share this frame's noise).
     */
    private void sumRows(int band, int y0, int y1) {
        float[] raw = passRaw, pr = passPrevRaw, po = passPrevOut;
        double norm = passNorm;
        int w = passWidth, margin = passMargin;
        for (int y = Math.max(y0, margin); y < Math.min(y1, passHeight - margin); y++) {
            double e = 0, v = 0, level = 0, levelPrev = 0, sl = 0, sll = 0, sld = 0, sdd = 0;
            for (int i = y * w + margin, end = y * w + w - margin; i < end; i++) {
                double d = raw[i] - po[i];
                e += d * d;
                double r = raw[i] - pr[i];
                double dd = r * r * norm;
                v += dd;
                level += raw[i];
                levelPrev += pr[i];
                double l = po[i];
                sl += l;
                sll += l * l;
                sld += l * dd;
                sdd += dd * dd;
            }
            int k = ROW_SUMS * y;
            rowSums[k] = e;
            rowSums[k + 1] = v;
            rowSums[k + 2] = level;
            rowSums[k + 3] = levelPrev;
            rowSums[k + 4] = sl;
            rowSums[k + 5] = sll;
            rowSums[k + 6] = sld;
            rowSums[k + 7] = sdd;
        }
    }

    /**
     * What one series' readout carries from frame to frame: the previous frame and output, and the running noise
     * means. The readout works on the state it is handed ({@link #use}); a parked series keeps its own.
     */
    public static final class State {
        private float[] prevRaw;
        private float[] prevOut;
        private int n;
        private int width;
        private boolean hasPrev;
        private double noiseMean = Double.NaN;
        /** The running mean of the frame pairs' mean levels, as {@link #noiseMean} (the level its σ² belongs to). */
        private double levelMean = Double.NaN;
        /** Pooled per-pixel means: level, level², squared difference d, level·d, d², and the pixels per frame. */
        private final double[] slopeSums = new double[6];
        private boolean hasSlope;

        public long bytes() {
            return prevRaw == null ? 128 : 8L * n + 128;
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

    /** Adds one frame's per-pixel means (level l, l², d, l·d, d²) to the pooled noise-against-level regression. */
    private void pool(double l, double ll, double d, double ld, double dd, long pixels) {
        double a = st.hasSlope ? SLOPE_ALPHA : 1;
        st.slopeSums[0] += a * (l - st.slopeSums[0]);
        st.slopeSums[1] += a * (ll - st.slopeSums[1]);
        st.slopeSums[2] += a * (d - st.slopeSums[2]);
        st.slopeSums[3] += a * (ld - st.slopeSums[3]);
        st.slopeSums[4] += a * (dd - st.slopeSums[4]);
        st.slopeSums[5] = pixels;
        st.hasSlope = true;
    }

    /**
     * The slope B of the per-pixel squared difference against the level, pooled; 0 when it is not significant at 2
     * standard errors (a flat frame has no level spread to measure it on, and then nothing is carried).
     */
    private double noiseSlope() {
        if (!st.hasSlope) return 0;
        double[] s = st.slopeSums;
        double varL = s[1] - s[0] * s[0];
        if (!(varL > 0)) return 0;
        double b = (s[3] - s[0] * s[2]) / varL;
        double residual = Math.max(0, s[4] - s[2] * s[2] - b * b * varL);
        double pixels = s[5] / SLOPE_ALPHA; // ~16 frames' pixels, neighbours taken as independent
        double se = Math.sqrt(residual / (pixels * varL));
        return Math.abs(b) > 2 * se ? b : 0;
    }

    /**
     * @param raw          this frame, raw units
     * @param output       this frame's denoised output, raw units
     * @param dx, dy       the content's drift since the previous frame (px)
     * @param staticScene  false on local motion or a history reset (see the class comment)
     * @param fullScale    the data range of the PSNR (255, 65535 or 1)
     * @param rounded      the output is delivered rounded to whole counts (an integer camera type): the estimate is of
     *                     that frame, so the rounding's 1/12 count² is added (at 50 dB on 8-bit data it is ~13 % of the
     *                     error, 0.5 dB)
     * @return estimated PSNR (dB) of the previous output frame as delivered, or NaN
     */
    public double update(float[] raw, float[] output, int w, int h, double dx, double dy, boolean staticScene, double fullScale,
                         boolean rounded) {
        if (allocate(w, w * h)) reset();
        double result = Double.NaN;
        boolean usable = staticScene && Math.abs(dx) <= MAX_DRIFT && Math.abs(dy) <= MAX_DRIFT;
        if (st.hasPrev && usable) {
            float[] pr = st.prevRaw;
            float[] po = st.prevOut;
            double gain = 1;
            if (dx != 0 || dy != 0) {
                shifted.size(w * h);
                pr = shifted.floats(StageBuffers.Floats.SHIFT_FIRST);
                po = shifted.floats(StageBuffers.Floats.SHIFT_SECOND);
                shifter.shift(st.prevRaw, w, h, -dx, -dy, shifted.floats(StageBuffers.Floats.SHIFT_INTERMEDIATE), pr);
                shifter.shift(st.prevOut, w, h, -dx, -dy, shifted.floats(StageBuffers.Floats.SHIFT_INTERMEDIATE), po);
                gain = Resample.noiseGain(-dx) * Resample.noiseGain(-dy);
            }
            int margin = (dx != 0 || dy != 0) ? 2 + (int) Math.ceil(Math.max(Math.abs(dx), Math.abs(dy))) : 0;
            passRaw = raw;
            passPrevRaw = pr;
            passPrevOut = po;
            passNorm = 1 / (1 + gain);
            passMargin = margin;
            passWidth = w;
            passHeight = h;
            try {
                pool.run(w, h, sumPass);
            } finally {
                passRaw = null;
                passPrevRaw = null;
                passPrevOut = null;
            }
            // the rows' sums added in row order: the same doubles whatever the number of bands
            double e = 0, v = 0, level = 0, levelPrev = 0, sl = 0, sll = 0, sld = 0, sdd = 0;
            for (int y = margin; y < h - margin; y++) {
                int k = ROW_SUMS * y;
                e += rowSums[k];
                v += rowSums[k + 1];
                level += rowSums[k + 2];
                levelPrev += rowSums[k + 3];
                sl += rowSums[k + 4];
                sll += rowSums[k + 5];
                sld += rowSums[k + 6];
                sdd += rowSums[k + 7];
            }
            long count = (long) Math.max(0, h - 2 * margin) * Math.max(0, w - 2 * margin);
            e /= count;
            v /= count;
            level /= count;
            double pairLevel = 0.5 * (level + levelPrev / count);
            pool(sl / count, sll / count, v, sld / count, sdd / count, count);
            st.noiseMean = Double.isNaN(st.noiseMean) ? v : st.noiseMean + NOISE_ALPHA * (v - st.noiseMean);
            st.levelMean = Double.isNaN(st.levelMean) ? pairLevel : st.levelMean + NOISE_ALPHA * (pairLevel - st.levelMean);
            // first order only, for slow changes (bleaching is ~0.35 % a frame); a jump is a scene change, not this
            double carry = Math.max(-0.25 * st.noiseMean, Math.min(0.25 * st.noiseMean, noiseSlope() * (level - st.levelMean)));
            double mse = e - (st.noiseMean + carry);
            // below ~1 % of σ² the difference is sampling noise: no figure rather than an arbitrary one
            if (mse > 0.01 * st.noiseMean) result = 10 * Math.log10(fullScale * fullScale / (mse + (rounded ? 1.0 / 12 : 0)));
        } else {
            st.noiseMean = Double.NaN;
            st.levelMean = Double.NaN;
        }
        System.arraycopy(raw, 0, st.prevRaw, 0, st.n);
        System.arraycopy(output, 0, st.prevOut, 0, st.n);
        st.hasPrev = true;
        return result;
    }
}
