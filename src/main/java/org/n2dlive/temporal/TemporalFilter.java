package org.n2dlive.temporal;

import java.util.Arrays;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Motion-aware recursive temporal filter on raw camera frames. It keeps an estimate of the scene (the history)
 * and, per pixel, how many frames' worth of noise it has averaged away (its precision q: var(history) = σ²/q).
 * For every frame:
 * <ol>
 * <li><b>Align</b>: the global translation between the frame and the history by {@link PhaseCorrelation}. Whole
 * pixels re-index the history (exact); the fraction φ (|φ| ≤ ½) stays as the history's grid offset, so the history
 * itself is never resampled twice: the output reads it once at the frame's grid, the update resamples the frame
 * once onto the history's grid (cubic, {@link Resample}).</li>
 * <li><b>Agree</b>: d = frame − aligned history, tested against its expected variance σ²(level)·(1 + 1/q) from
 * the {@link NoiseModel}: per pixel, and as a 3×3 mean (9× more sensitive to a change that covers a few pixels).
 * A pixel that agrees keeps integrating; one that moved, changed or flashed is reset to the current frame — no
 * ghost, no lag.</li>
 * <li><b>Fuse</b>: output = history + w·(frame − history) with the optimal weight w = 1/(q + 1), at least
 * 1/{@code maxFrames} (so a static pixel averages up to that many frames), raised to 1 where the test fails.</li>
 * </ol>
 * The history resets on the first frame, a size or pixel-type change, {@link #reset}, and a scene change (most
 * pixels disagreeing, or a shift beyond a quarter of the frame). Frames with no common structure to align on (a
 * flat field) are taken as unmoved, and the per-pixel test decides.
 *
 * <p>Buffers are allocated per geometry; processing a frame allocates nothing. Threading: one caller thread; the
 * per-pixel passes run over row bands on a {@link RowPool} (the same floats as on one thread). Double sums are taken
 * per row in the bands and the rows added in row order on the caller, so they too do not depend on the bands.
 */
public final class TemporalFilter {
    /** Fraction of compared pixels that must disagree to call it a scene change. */
    static final double SCENE_CHANGE_FRACTION = 0.5;
    /**
     * An offset below this (px, per axis) is taken as none: resampling the history by estimation noise only blurs
     * it. The offset is measured against the history itself, so real slow drift accumulates until it passes this
     * and is then corrected (measured on fmd-bpae-field1-256, whose field drifts ~0.03 px/frame with ±0.1 px
     * jitter: 0.1 px gave fused 48.3 dB, 0.2 px 48.25, 0.3 px 48.1).
     */
    static final double DEAD_ZONE_PX = 0.1;
    /** Phase-correlation peak / mean ratio below which two frames share no structure to align on (no shift taken). */
    static final double MIN_PEAK_RATIO = 8;

    // Agreement thresholds on χ² = d²/var(d): full trust below the lower, none above the upper, linear between.
    // The 3×3 mean: 3σ..5σ.
    private static final float BOX_LO = 9f, BOX_HI = 25f;
    // The 5×5 mean: 5σ..8σ. At 3σ..5σ, like the 3×3 one, it cost 0.4 dB of fused PSNR on the real FMD streams
    // (false alarms on real jitter and bleaching), at 5σ..8σ nothing.
    private static final float BOX5_LO = 25f, BOX5_HI = 64f;
    // Single pixels: 8σ..12σ. What the optics resolve spans several pixels at Nyquist sampling, and the patch tests
    // see it (a lone pixel at 9σ already fails the 3×3 test); a lone pixel further off is the detector's tail. At
    // 5σ..8σ, 50-100 pixels a frame failed on the still FMD fields, where a Gaussian would fail 0.04, and each lost
    // its history: fused 47.82 / 46.14 / 41.74 dB against avg50, at 8σ..12σ 48.19 / 46.23 / 41.79.
    private static final float PIXEL_LO = 64f, PIXEL_HI = 144f;
    private static final float BOX_SLOPE = 1 / (BOX_HI - BOX_LO), BOX5_SLOPE = 1 / (BOX5_HI - BOX5_LO),
            PIXEL_SLOPE = 1 / (PIXEL_HI - PIXEL_LO);
    /** χ² of a 3×3 (6σ) or 5×5 (8σ) mean that proves a change: its neighbourhood is reset with it. */
    private static final float STRONG = 36f, STRONG5 = 64f;
    /** Pixels within this of a proven change take the current frame too (the rim, see {@link #gate}). */
    static final int RIM = 3;

    /** Largest change of the scene's level a frame that {@link #followBrightness} follows (bleaching is ~0.3 %). */
    static final double MAX_LEVEL_STEP = 0.05;
    /** Agreeing pixels needed to fit the level: below this the history is left as it is. */
    private static final int MIN_LEVEL_PIXELS = 256;
    /** Standard errors a level change must exceed to be followed. */
    private static final double SIGNIFICANT = 3;
    private static final int LEVEL_BINS = 1024;
    private final int[] levelHistogram = new int[LEVEL_BINS];
    private float dark;
    // the level fit's sums over the agreeing pixels, from gate() to followBrightness()
    private boolean levelFit;
    private double levelCount;
    private double levelHistorySum;
    private double levelRawSum;
    private double levelNoise;
    /** Whether followBrightness mapped the aligned history this frame (then {@link #levelVariance} is stale). */
    private boolean levelFollowed;
    private final int maxFrames;
    private PhaseCorrelation correlation;
    private final RowPool pool;
    // per band of the pool: counts and the aligned history's range and level histogram, combined on the caller
    private final int[] bandProven;
    private final int[] bandCompared;
    private final int[] bandMoving;
    private final float[] bandLo;
    private final float[] bandHi;
    private final int[][] bandHistogram;
    /** Per row of the frame: the rim's column span ({@link FreshRegions#dilateRows}); per geometry. */
    private int[] rimSpans = new int[0];
    /** Per row: the level fit's four sums ({@link #levelSumRows}), added in row order on the caller; per geometry. */
    private double[] levelRowSums = new double[0];
    /** Per row: the noise samples' sum and count per bin of the {@link NoiseModel} ({@link #noiseRows}); per geometry. */
    private double[] noiseRowSums = new double[0];
    // the passes, made once (a frame allocates nothing), and what they work on this frame
    private final RowPool.Rows convertPass = this::convertRows;
    private final RowPool.Rows reindexPass = this::reindexRows;
    private final RowPool.Rows reindexBackPass = this::reindexBackRows;
    private final RowPool.Rows alignPass = this::alignRows;
    private final RowPool.Rows diffPass = this::diffRows;
    private final RowPool.Rows testPass = this::testRows;
    private final RowPool.Rows rimPass = this::rimRows;
    private final RowPool.Rows weighPass = this::weighRows;
    private final RowPool.Rows levelSumPass = this::levelSumRows;
    private final RowPool.Rows histogramPass = this::histogramRows;
    private final RowPool.Rows levelPass = this::levelRows;
    private final RowPool.Rows noisePass = this::noiseRows;
    private final RowPool.Rows shiftRawPass = this::shiftRawRows;
    private final RowPool.Rows fusePass = this::fuseRows;
    private Frame current;
    private int shiftX;
    private int shiftY;
    private boolean fractional;
    private boolean rim;
    private boolean noiseGated;
    private boolean noiseCached;
    private float histogramLo;
    private float histogramScale;
    private float levelA;
    private float levelC;

    /** The series' state this filter works on. */
    private State st = new State();
    private int width; // the last frame's
    private int height;
    // this frame's work buffers, taken from the shared set at the start of process (valid until the next frame)
    private float[] raw;       // this frame, raw units, frame grid
    private float[] aligned;   // history read at the frame grid (before the update)
    private float[] alignedPrecision;
    private float[] weight;    // w per pixel (frame grid) this frame
    private float[] trust;     // agreement g per pixel this frame (1 = static, 0 = changed)
    private float[] diff;
    private float[] levelVariance; // σ²(aligned level) per compared pixel this frame, from gate()
    private float[] box;
    private float[] box5;
    private float[] strong;
    private final StageBuffers buffers;
    private float[] tmp;  // shift scratch, during process
    private float[] tmp2;
    private final double[] shift = new double[2];

    /** The last frame's level: history ← gain·history + lift (1 and 0 when not followed). */
    private double levelGain = 1;
    private double levelLift;
    private double driftX;
    private double driftY;
    private double motionFraction = Double.NaN;
    private boolean sceneChange;
    private int provenChanges;

    /** @param maxFrames how many frames a static pixel may average at most (1 = no temporal filtering) */
    public TemporalFilter(int maxFrames) {
        this(maxFrames, RowPool.SEQUENTIAL);
    }

    /** @param pool runs the per-pixel passes over row bands (not owned: the caller closes it) */
    public TemporalFilter(int maxFrames, RowPool pool) {
        this(maxFrames, pool, new StageBuffers());
    }

    /**
     * @param pool    runs the per-pixel passes over row bands (not owned: the caller closes it)
     * @param buffers the frame's work buffers (see {@link StageBuffers}), shared with the stage's other parts
     */
    public TemporalFilter(int maxFrames, RowPool pool, StageBuffers buffers) {
        if (maxFrames < 1) throw new IllegalArgumentException("max frames must be at least 1, got " + maxFrames);
        if (pool == null) throw new IllegalArgumentException("pool must not be null");
        this.buffers = buffers;
        this.maxFrames = maxFrames;
        this.pool = pool;
        int bands = pool.threads();
        bandProven = new int[bands];
        bandCompared = new int[bands];
        bandMoving = new int[bands];
        bandLo = new float[bands];
        bandHi = new float[bands];
        bandHistogram = new int[bands][LEVEL_BINS];
    }

    /** Forgets the history (the next frame starts a new one). The noise model is kept only for the same camera. */
    public void reset() {
        st.hasHistory = false;
        st.framesSinceReset = 0;
    }

    /**
     * Fuses one raw frame with the aligned history and updates the history.
     *
     * @param src   the raw frame (not modified)
     * @param fused receives the fused frame, raw units, the frame's grid (≥ pixel count)
     */
    public void process(Frame src, float[] fused) {
        prepare(src);
        takeBuffers();
        current = src;
        try {
            pool.run(width, height, convertPass);
        } finally {
            current = null;
        }
        int n = width * height;
        sceneChange = false;
        provenChanges = 0;
        levelGain = 1;
        levelLift = 0;
        driftX = 0;
        driftY = 0;
        if (!st.hasHistory) {
            start(fused);
            motionFraction = Double.NaN;
            return;
        }
        correlation.estimate(raw, st.history, shift);
        double sx = shift[0], sy = shift[1];
        if (correlation.peakRatio() < MIN_PEAK_RATIO) {
            // Nothing to align on (a flat field, a dim sparse sample): take the content as unmoved and let the
            // per-pixel test below judge. A new field that differs fails it on most pixels (a scene change); a
            // field with nothing to tell apart is worth averaging, and that is where the noise is worst.
            sx = st.phaseX;
            sy = st.phaseY;
        }
        if (Math.abs(sx) > width / 4.0 || Math.abs(sy) > height / 4.0) {
            sceneChange = true;
            start(fused);
            motionFraction = 1;
            return;
        }
        if (Math.abs(sx) < DEAD_ZONE_PX) sx = 0;
        if (Math.abs(sy) < DEAD_ZONE_PX) sy = 0;
        driftX = sx - st.phaseX; // the content's motion since the last frame
        driftY = sy - st.phaseY;
        int ix = (int) Math.round(sx);
        int iy = (int) Math.round(sy);
        st.phaseX = sx - ix;
        st.phaseY = sy - iy;
        if (ix != 0 || iy != 0) {
            shiftX = ix;
            shiftY = iy;
            pool.run(width, height, reindexPass); // into tmp and tmp2, read whole before anything is written back
            pool.run(width, height, reindexBackPass);
        }
        fractional = st.phaseX != 0 || st.phaseY != 0;
        pool.run(width, height, alignPass);

        levelFollowed = false;
        if (!st.noise.isKnown()) learnNoise(false);
        gate();
        if (motionFraction > SCENE_CHANGE_FRACTION) {
            sceneChange = true;
            start(fused);
            return;
        }
        followBrightness();
        learnNoise(true);

        // the history stays on its grid: the frame is resampled onto it (once) and mixed in with the same weights
        if (fractional) pool.run(width, height, shiftRawPass);
        this.fused = fused;
        try {
            pool.run(width, height, fusePass);
        } finally {
            this.fused = null;
        }
        st.framesSinceReset++;
    }

    private float[] fused; // the caller's, during the fusing pass

    private void convertRows(int band, int y0, int y1) {
        RawPixels.toFloat(current, raw, y0 * width, y1 * width);
    }

    /** Shifts the history and its precision by whole pixels (see {@link #reindex}) into tmp and tmp2. */
    private void reindexRows(int band, int y0, int y1) {
        reindex(st.history, shiftX, shiftY, tmp, Float.NaN, y0, y1);
        reindex(st.precision, shiftX, shiftY, tmp2, 0f, y0, y1);
    }

    /** The re-indexed history back in place; pixels it did not cover take this frame. */
    private void reindexBackRows(int band, int y0, int y1) {
        int from = y0 * width, to = y1 * width;
        System.arraycopy(tmp, from, st.history, from, to - from);
        System.arraycopy(tmp2, from, st.precision, from, to - from);
        for (int i = from; i < to; i++) if (Float.isNaN(st.history[i])) st.history[i] = raw[i];
    }

    /** The history read at the frame's grid, and its precision. */
    private void alignRows(int band, int y0, int y1) {
        int from = y0 * width, to = y1 * width;
        if (fractional) {
            // history(k) holds the scene at k + φ; the frame grid reads it at x − φ
            Resample.shiftRows(st.history, width, height, -st.phaseX, -st.phaseY, tmp, aligned, y0, y1);
        } else {
            System.arraycopy(st.history, from, aligned, from, to - from);
        }
        System.arraycopy(st.precision, from, alignedPrecision, from, to - from);
    }

    private void shiftRawRows(int band, int y0, int y1) {
        Resample.shiftRows(raw, width, height, st.phaseX, st.phaseY, tmp, tmp2, y0, y1);
    }

    private void fuseRows(int band, int y0, int y1) {
        float[] onGrid = fractional ? tmp2 : raw;
        float[] history = st.history, precision = st.precision;
        for (int i = y0 * width, e = y1 * width; i < e; i++) {
            float w = weight[i];
            float q = precision[i];
            fused[i] = aligned[i] + w * (raw[i] - aligned[i]);
            float keep = 1 - w;
            float var = (q > 0 ? keep * keep / q : 0) + w * w;
            precision[i] = 1f / var;
            history[i] += w * (onGrid[i] - history[i]);
        }
    }

    private void start(float[] fused) {
        int n = width * height;
        System.arraycopy(raw, 0, st.history, 0, n);
        System.arraycopy(raw, 0, fused, 0, n);
        System.arraycopy(raw, 0, aligned, 0, n);
        Arrays.fill(st.precision, 1f);
        Arrays.fill(alignedPrecision, 0f);
        Arrays.fill(weight, 1f);
        Arrays.fill(trust, 0f);
        st.phaseX = 0;
        st.phaseY = 0;
        st.hasHistory = true;
        st.framesSinceReset = 1;
    }

    /**
     * Per-pixel agreement g and fusion weight w, from d = frame − aligned history. Also sums what
     * {@link #followBrightness} fits the level on (the agreeing pixels), while the pixels are at hand.
     */
    private void gate() {
        pool.run(width, height, diffPass);
        pool.run(width, height, testPass); // reads diff across band edges: after the whole of it
        int bands = pool.bands(width, height);
        int proven = 0;
        for (int b = 0; b < bands; b++) proven += bandProven[b];
        provenChanges = proven;
        // An object's faint rim (below the noise pixel by pixel) belongs to the change its core proves: pixels within
        // RIM px of a strong change take the current frame too (a σ 1.5 px spot kept ~80 % of its contrast without,
        // ~82 % with 2 px). With no strong change there is no rim. The rim is the proven mask dilated by RIM px: in
        // rows, then (after every band's rows) in columns, over the rows that hold a change only.
        rim = proven > 0;
        if (rim) {
            if (rimSpans.length < 2 * height) rimSpans = new int[2 * height];
            pool.run(width, height, rimPass);
        }
        pool.run(width, height, weighPass); // reads the rim's row maxima across band edges: after rimPass
        int compared = 0;
        int moving = 0;
        for (int b = 0; b < bands; b++) {
            compared += bandCompared[b];
            moving += bandMoving[b];
        }
        // the aligned history does not change before followBrightness, so its dark level can be taken now
        levelFit = darkLevel(bands);
        double count = 0, sh = 0, sr = 0, noiseD = 0;
        if (levelFit) {
            if (levelRowSums.length < 4 * height) levelRowSums = new double[4 * height];
            pool.run(width, height, levelSumPass);
            // the rows' sums added in row order: the same doubles whatever the number of bands
            for (int k = 0, e = 4 * height; k < e; k += 4) {
                count += levelRowSums[k];
                sh += levelRowSums[k + 1];
                sr += levelRowSums[k + 2];
                noiseD += levelRowSums[k + 3];
            }
        }
        motionFraction = compared == 0 ? Double.NaN : (double) moving / compared;
        levelCount = count;
        levelHistorySum = sh;
        levelRawSum = sr;
        levelNoise = noiseD;
    }

    private void diffRows(int band, int y0, int y1) {
        for (int i = y0 * width, e = y1 * width; i < e; i++) diff[i] = raw[i] - aligned[i];
    }

    /**
     * The 3×3 and 5×5 means of d and the per-pixel test: agreement g, and whether a change is proven. χ² = d²/var
     * is taken as d²·(1/var), one division a pixel instead of four: this loop is the filter's largest at 2048².
     */
    private void testRows(int band, int y0, int y1) {
        boxMeanRows(diff, box, width, height, 1, tmp, y0, y1);
        boxMeanRows(diff, box5, width, height, 2, tmp, y0, y1);
        NoiseModel noise = st.noise;
        int proven = 0;
        for (int i = y0 * width, e = y1 * width; i < e; i++) {
            float q = alignedPrecision[i];
            if (q <= 0) {
                trust[i] = 0;
                weight[i] = 1;
                strong[i] = 0;
                continue;
            }
            float level = noise.variance(aligned[i]);
            levelVariance[i] = level;
            float inv = q / (level * (q + 1)); // 1 / (σ²·(1 + 1/q))
            float d = diff[i];
            float chiPixel = d * d * inv;
            float b = box[i];
            float chiBox = 9 * b * b * inv;
            float b5 = box5[i];
            float chiBox5 = 25 * b5 * b5 * inv;
            float g = Math.min(Math.min(ramp(chiBox, BOX_LO, BOX_HI, BOX_SLOPE), ramp(chiBox5, BOX5_LO, BOX5_HI, BOX5_SLOPE)),
                    ramp(chiPixel, PIXEL_LO, PIXEL_HI, PIXEL_SLOPE));
            trust[i] = g;
            boolean isStrong = chiBox >= STRONG || chiBox5 >= STRONG5;
            strong[i] = isStrong ? 1f : 0f;
            if (isStrong) proven++;
        }
        bandProven[band] = proven;
    }

    /** The proven mask's maxima over ±{@link #RIM} columns, per row, into tmp (the rim's first half). */
    private void rimRows(int band, int y0, int y1) {
        FreshRegions.dilateRows(strong, tmp, rimSpans, width, RIM, y0, y1);
    }

    /** The rim around proven changes, the fusion weight w, and the aligned history's range (for its dark level). */
    private void weighRows(int band, int y0, int y1) {
        // box ← the proven mask dilated by RIM px: > 0 within the rim, the same pixels a 7×7 mean of the mask is > 0 on
        if (rim) FreshRegions.dilateColumns(box, tmp, rimSpans, width, height, RIM, y0, y1, false);
        float minW = 1f / maxFrames;
        int compared = 0;
        int moving = 0;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = y0 * width, e = y1 * width; i < e; i++) {
            float v = aligned[i];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            float q = alignedPrecision[i];
            if (q <= 0) continue;
            float g = rim && box[i] > 0 ? 0f : trust[i];
            trust[i] = g;
            float wOpt = Math.max(1 / (q + 1), minW);
            weight[i] = wOpt + (1 - g) * (1 - wOpt);
            compared++;
            if (g < 0.5f) moving++;
        }
        bandCompared[band] = compared;
        bandMoving[band] = moving;
        bandLo[band] = lo;
        bandHi[band] = hi;
    }

    /** Per row, the level fit's sums over the agreeing pixels: count, Σ(history − dark), Σ(raw − dark), Σ var(d). */
    private void levelSumRows(int band, int y0, int y1) {
        float d = dark;
        for (int y = y0; y < y1; y++) {
            double count = 0, sh = 0, sr = 0, noiseD = 0;
            for (int i = y * width, e = i + width; i < e; i++) {
                float q = alignedPrecision[i];
                if (q <= 0 || trust[i] < 0.5f) continue;
                count++;
                sh += aligned[i] - d;
                sr += raw[i] - d;
                noiseD += levelVariance[i] * (1 + 1 / q);
            }
            int k = 4 * y;
            levelRowSums[k] = count;
            levelRowSums[k + 1] = sh;
            levelRowSums[k + 2] = sr;
            levelRowSums[k + 3] = noiseD;
        }
    }

    /**
     * Bleaching (or a lamp that drifts) dims the whole scene frame by frame, and a history that averages up to
     * {@code maxFrames} frames lags it: FMD field 3 dims 16 % over its 50 frames, and by frame 40 the fused output
     * ran 7.5 % brighter than the frame (42.7 dB against the registered, brightness-matched truth of
     * {@code tools/bench/Ceiling.java}; following the level, 47.9 dB). The frame is modelled as
     * raw = d + a·(history − d) over the agreeing pixels, d the history's 1st percentile (offset and background), a
     * a ratio of sums, which noise does not bias. Two fits were measured and dropped on a single-molecule stream
     * (threeb-camera, readout 44.4 dB without any following): a least-squares slope (any variance the noise model
     * does not know, blinking or jitter, pulls it towards 0: it shrank the contrast ~2 % a frame, 39.3 dB), and a
     * free shift of the dark level (it followed the camera's frame-to-frame baseline, which should stay out of a
     * steady view: 38.0 dB). So a background that dims is not followed, only the gain above it. Only a significant
     * gain is applied (3 standard errors; a slow change builds up until it is), and none beyond
     * {@link #MAX_LEVEL_STEP} a frame (a flash, a lamp switched: the gate's business).
     */
    private void followBrightness() {
        levelGain = 1;
        levelLift = 0;
        if (!levelFit) return;
        float d = dark;
        double count = levelCount, sh = levelHistorySum, sr = levelRawSum, noiseD = levelNoise; // summed by gate()
        if (count < MIN_LEVEL_PIXELS || !(sh > 0)) return;
        double a = sr / sh;
        if (!(Math.abs(a - 1) <= MAX_LEVEL_STEP) || Math.abs(a - 1) < SIGNIFICANT * Math.sqrt(noiseD) / sh) return;
        float fa = (float) a, fc = (float) ((1 - a) * d);
        levelA = fa;
        levelC = fc;
        pool.run(width, height, levelPass);
        levelGain = a;
        levelLift = fc;
        levelFollowed = true;
    }

    private void levelRows(int band, int y0, int y1) {
        float fa = levelA, fc = levelC;
        for (int i = y0 * width, e = y1 * width; i < e; i++) {
            aligned[i] = fa * aligned[i] + fc;
            st.history[i] = fa * st.history[i] + fc; // an affine map commutes with the resampling (its weights sum to 1)
        }
    }

    /**
     * The aligned history's 1st percentile into {@link #dark}; false on a flat frame. Its range comes from the bands
     * of {@link #weighRows}; the histogram is counted per band and added up (counts: exact in any order).
     */
    private boolean darkLevel(int bands) {
        int n = width * height;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int b = 0; b < bands; b++) {
            if (bandLo[b] < lo) lo = bandLo[b];
            if (bandHi[b] > hi) hi = bandHi[b];
        }
        if (!(hi > lo)) return false;
        histogramLo = lo;
        histogramScale = (LEVEL_BINS - 1) / (hi - lo);
        pool.run(width, height, histogramPass);
        java.util.Arrays.fill(levelHistogram, 0);
        for (int b = 0; b < bands; b++) {
            int[] part = bandHistogram[b];
            for (int k = 0; k < LEVEL_BINS; k++) levelHistogram[k] += part[k];
        }
        float scale = histogramScale;
        int seen = 0;
        for (int b = 0; b < LEVEL_BINS; b++) {
            seen += levelHistogram[b];
            if (seen > n / 100) {
                dark = lo + b / scale;
                return true;
            }
        }
        return false;
    }

    private void histogramRows(int band, int y0, int y1) {
        int[] histogram = bandHistogram[band];
        java.util.Arrays.fill(histogram, 0);
        float lo = histogramLo, scale = histogramScale;
        for (int i = y0 * width, e = y1 * width; i < e; i++) histogram[(int) ((aligned[i] - lo) * scale)]++;
    }

    /** 1 below lo, 0 above hi, linear between; slope = 1 / (hi − lo). */
    private static float ramp(float chi, float lo, float hi, float slope) {
        return chi <= lo ? 1f : (chi >= hi ? 0f : (hi - chi) * slope);
    }

    /**
     * One frame's noise samples: d²/(1 + 1/q) per compared pixel. Bootstrapping (no model yet) takes every pixel;
     * afterwards only pixels within 4σ of the current model (motion excluded; a Gaussian loses 0.1 % of its
     * variance to that cut).
     */
    private void learnNoise(boolean gated) {
        // gate() left σ²(level) per compared pixel; it holds until followBrightness moves the aligned history
        noiseGated = gated;
        noiseCached = gated && !levelFollowed;
        int perRow = 2 * NoiseModel.BINS;
        if (noiseRowSums.length < perRow * height) noiseRowSums = new double[perRow * height];
        pool.run(width, height, noisePass);
        st.noise.beginFrame();
        // the rows' bins added in row order: the same doubles whatever the number of bands
        for (int y = 0; y < height; y++) st.noise.addBins(noiseRowSums, y * perRow);
        st.noise.endFrame();
    }

    /** Per row, each bin's sum and count of the noise samples d²/(1 + 1/q) (see {@link #learnNoise}). */
    private void noiseRows(int band, int y0, int y1) {
        boolean gated = noiseGated, cached = noiseCached;
        NoiseModel noise = st.noise;
        int bins = NoiseModel.BINS;
        double[] sums = noiseRowSums;
        for (int y = y0; y < y1; y++) {
            int k = 2 * bins * y;
            java.util.Arrays.fill(sums, k, k + 2 * bins, 0);
            for (int i = y * width, e = i + width; i < e; i++) {
                float q = alignedPrecision[i];
                if (q <= 0) continue;
                float d = diff(i);
                float v = d * d / (1 + 1 / q);
                if (gated && v > 16 * (cached ? levelVariance[i] : noise.variance(aligned[i]))) continue;
                int b = k + noise.bin(aligned[i]);
                sums[b] += v;
                sums[b + bins]++;
            }
        }
    }

    private float diff(int i) {
        return raw[i] - aligned[i];
    }

    /**
     * Rows [y0, y1) of a history buffer shifted by whole pixels into {@code scratch}: scratch(k) = buf(k − (ix, iy));
     * uncovered pixels get {@code fill}.
     */
    private void reindex(float[] buf, int ix, int iy, float[] scratch, float fill, int y0, int y1) {
        int w = width;
        // destination columns [x0, x1) have a source column in the frame
        int x0 = Math.min(w, Math.max(0, ix)), x1 = Math.max(x0, Math.min(w, w + ix));
        for (int y = y0; y < y1; y++) {
            int sy = y - iy, row = y * w;
            if (sy < 0 || sy >= height) {
                Arrays.fill(scratch, row, row + w, fill);
                continue;
            }
            Arrays.fill(scratch, row, row + x0, fill);
            System.arraycopy(buf, sy * w + x0 - ix, scratch, row + x0, x1 - x0);
            Arrays.fill(scratch, row + x1, row + w, fill);
        }
    }

    /**
     * (2r+1)² mean with clamped edges (two separable passes). Each sum is 0 + v(−r) + … + v(r), added in that order;
     * it is built one tap at a time over a whole row, so the inner loops run over contiguous pixels and vectorise. The
     * horizontal sums live in a ring of 2r+1 rows at the start of {@code ring} (an output row reads that many
     * consecutive rows), which stays in cache.
     *
     * @param ring scratch of w·h floats, neither src nor dst
     */
    static void boxMean(float[] src, float[] dst, int w, int h, int r, float[] ring) {
        boxMeanRows(src, dst, w, h, r, ring, 0, h);
    }

    /**
     * Rows [y0, y1) of {@link #boxMean}: the same floats. The ring sits at rows y0 .. y0 + 2r of {@code ring}, inside
     * the band, so bands of at least 2r + 1 rows can run at once on one scratch.
     */
    static void boxMeanRows(float[] src, float[] dst, int w, int h, int r, float[] ring, int y0, int y1) {
        int taps = 2 * r + 1;
        float norm = 1f / (taps * taps);
        int base = y0 * w;
        // the last source row summed into the ring (slot row % taps; slots stay below h when h < taps)
        int done = Math.max(0, y0 - r) - 1;
        for (int y = y0; y < y1; y++) {
            int last = Math.min(h - 1, y + r);
            for (; done < last; done++) horizontalSum(src, w, done + 1, r, ring, base + (done + 1) % taps * w);
            int row = y * w;
            Arrays.fill(dst, row, row + w, 0f);
            for (int k = -r; k <= r; k++) {
                int yy = y + k;
                int from = base + (yy < 0 ? 0 : (yy >= h ? h - 1 : yy)) % taps * w;
                for (int x = 0; x < w; x++) dst[row + x] += ring[from + x];
            }
            for (int x = 0; x < w; x++) dst[row + x] *= norm;
        }
    }

    /** Row {@code y} of src summed over ±r px (clamped) into ring at {@code out}, taps added left to right. */
    private static void horizontalSum(float[] src, int w, int y, int r, float[] ring, int out) {
        int row = y * w;
        Arrays.fill(ring, out, out + w, 0f);
        float first = src[row], last = src[row + w - 1];
        for (int k = -r; k <= r; k++) {
            // x + k is clamped to 0 for x < lo and to w − 1 for x ≥ hi
            int lo = Math.min(w, Math.max(0, -k)), hi = Math.max(lo, Math.min(w, w - k));
            for (int x = 0; x < lo; x++) ring[out + x] += first;
            for (int x = lo, i = row + lo + k; x < hi; x++, i++) ring[out + x] += src[i];
            for (int x = hi; x < w; x++) ring[out + x] += last;
        }
    }

    /** This frame's work buffers from the shared set. */
    private void takeBuffers() {
        buffers.size(width * height);
        raw = buffers.floats(StageBuffers.Floats.RAW);
        aligned = buffers.floats(StageBuffers.Floats.ALIGNED);
        alignedPrecision = buffers.floats(StageBuffers.Floats.ALIGNED_PRECISION);
        trust = buffers.floats(StageBuffers.Floats.TRUST);
        strong = buffers.floats(StageBuffers.Floats.PROVEN);
        weight = buffers.floats(StageBuffers.Floats.WEIGHT);
        diff = buffers.floats(StageBuffers.Floats.DIFF);
        levelVariance = buffers.floats(StageBuffers.Floats.LEVEL_VARIANCE);
        box = buffers.floats(StageBuffers.Floats.BOX);
        box5 = buffers.floats(StageBuffers.Floats.BOX5);
        tmp = buffers.floats(StageBuffers.Floats.SHIFT_FIRST);
        tmp2 = buffers.floats(StageBuffers.Floats.SHIFT_SECOND);
    }

    /** The phase correlation for the frame's geometry; the series' history starts again on a new geometry or pixel type. */
    private void prepare(Frame src) {
        int n = src.pixelCount();
        if (correlation == null || src.width() != width || src.height() != height) {
            width = src.width();
            height = src.height();
            correlation = new PhaseCorrelation(Math.max(8, width), Math.max(8, height));
        }
        if (src.type() == st.type && src.width() == st.width && src.height() == st.height) return;
        st.type = src.type();
        st.width = width;
        st.height = height;
        if (st.history == null || st.history.length != n) {
            st.history = new float[n];
            st.precision = new float[n];
        }
        // the noise table spans this geometry's first frame, with headroom for brighter frames
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = src.get(i);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double span = hi > lo ? hi - lo : 1;
        st.noise.reset((float) lo, (float) (hi + 0.25 * span), st.type.isInteger() ? 1f / 12 : (float) (1e-12 * span * span));
        reset();
    }

    /**
     * What one series' filter carries from frame to frame: its history, precision and grid offset, and the noise
     * table. The filter works on the state it is handed ({@link #use}); a parked series keeps its own, so one filter
     * (its work buffers) serves series in turn without copying.
     */
    public static final class State {
        private PixelType type; // null: no frame seen
        private int width;
        private int height;
        private float[] history;   // scene estimate, on the history grid (offset φ from the frame grid)
        private float[] precision; // q per history pixel; 0 = no history
        private double phaseX;
        private double phaseY;
        private boolean hasHistory;
        private long framesSinceReset;
        private final NoiseModel noise = new NoiseModel();

        /** Whether a frame has been seen. */
        public boolean seen() {
            return type != null;
        }

        /** Bytes held (the two per-pixel planes dominate). */
        public long bytes() {
            return history == null ? 1024 : 8L * history.length + 1024;
        }
    }

    /** The state the next frame updates. */
    public State state() {
        return st;
    }

    /** Works on {@code s} from the next frame on (null: a new one, as for a series never seen). */
    public void use(State s) {
        st = s == null ? new State() : s;
    }

    // ---- what the last frame did -------------------------------------------------------------------------------

    /** The content's motion since the previous frame, pixels (0 on a frame that started a history). */
    public double driftX() {
        return driftX;
    }

    public double driftY() {
        return driftY;
    }

    /** Fraction of compared pixels that disagreed with the history (NaN on a frame that started a history). */
    public double motionFraction() {
        return motionFraction;
    }

    /** The scene's level against the history on the last frame: the history was mapped to gain·history + lift. */
    public double levelGain() {
        return levelGain;
    }

    public double levelLift() {
        return levelLift;
    }

    /**
     * Pixels of the last frame whose 3×3 or 5×5 mean proves a change (6σ / 8σ: a still scene makes one in ~10⁹ by
     * chance): something in view moved or changed. 0 on a frame that started a history.
     */
    /** Per pixel, 1 where the last frame's change is proven (the strong test, before the rim around it), else 0. */
    public float[] provenMask() {
        return strong;
    }

    public int provenChanges() {
        return provenChanges;
    }

    /** True when the last frame was taken as a scene change (the history restarted from it). */
    public boolean sceneChange() {
        return sceneChange;
    }

    /** Frames in the current history, this one included (1 right after a reset). */
    public long framesSinceReset() {
        return st.framesSinceReset;
    }

    /** True when the last frame was fused with a history (false when it started one). */
    public boolean usedHistory() {
        return st.hasHistory && st.framesSinceReset > 1;
    }

    /**
     * The series' scene estimate after the last frame, on its history grid (raw units): the series' own state, kept
     * between frames (unlike the per-frame arrays below, which are the shared work buffers' until the next frame of
     * any stage that shares them).
     */
    public float[] history() {
        return st.history;
    }

    /** The history read at the last frame's grid, before that frame was mixed in (raw units). */
    public float[] alignedHistory() {
        return aligned;
    }

    /** Per pixel of the last frame: its history's precision q (0 = none) before the update. */
    public float[] alignedPrecision() {
        return alignedPrecision;
    }

    /** Per pixel: the precision q after the last frame was mixed in (frames' worth of noise averaged). */
    public float[] precision() {
        return st.precision;
    }

    /** Per pixel of the last frame: agreement with the history (1 static .. 0 changed). */
    public float[] trust() {
        return trust;
    }

    /** The last frame in raw units (float). */
    public float[] rawFrame() {
        return raw;
    }

    public NoiseModel noise() {
        return st.noise;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int maxFrames() {
        return maxFrames;
    }
}
