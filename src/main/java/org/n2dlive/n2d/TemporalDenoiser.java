package org.n2dlive.n2d;

import org.n2dlive.engine.Pipeline;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.profile.Profile;
import org.n2dlive.profile.ProfileKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.temporal.BlendSelector;
import org.n2dlive.temporal.QualityReadout;
import org.n2dlive.temporal.RawPixels;
import org.n2dlive.temporal.TemporalFilter;

/**
 * Temporal denoising in front of a spatial denoiser: each raw frame is fused with its drift-aligned,
 * motion-gated history ({@link TemporalFilter}), and the fused frame — same scene, a fraction of the noise on
 * static pixels, the raw frame itself where something moved — goes to the inner denoiser (the warm-started N2D
 * model, which adapts to its lower noise). Its output is blended with the fused frame per class of averaged frames,
 * in the proportion the next frame's independent noise prefers ({@link BlendSelector}). The raw frame is never
 * modified. Also fills the report's drift and the no-ground-truth quality readout ({@link QualityReadout}).
 *
 * <p>Threading: like every {@link FrameDenoiser}, one worker thread; the inner denoiser runs on it too.
 */
public final class TemporalDenoiser implements WarmModel {
    private final FrameDenoiser inner;
    private final TemporalFilter filter;
    private final QualityReadout readout = new QualityReadout();
    private float[] fused = new float[0];
    private float[] denoised = new float[0];
    private float[] output = new float[0];
    private final BlendSelector blend = new BlendSelector();
    private TemporalN2NLoss temporalLoss; // null: no temporal training term
    private final boolean rawInput;
    /** False for a {@link #sibling}: the inner model belongs to the stage it was made from. */
    private final boolean ownsInner;
    private final double rawSteps;
    private final Frame fusedFrame = Frame.allocate(org.n2dlive.frame.PixelType.GRAY8, 1, 1);
    private float[] unitRaw = new float[0];
    private float[] unitTarget = new float[0];
    private float[] pairWeight = new float[0];
    /** Fresh pixels' share of the raw frame's denoising, and that denoising (see {@link #denoiseFreshPixels}). */
    static final float FRESH_Q_LO = 1f, FRESH_Q_HI = 4f;
    private final Pipeline freshPass; // null: off
    private float[] rawDenoised = new float[0];
    private float[] freshShare = new float[0];
    private float[] freshScratch = new float[0];
    /** The share spreads this far (px): measured on cells-256, 0 px left the objects at 25.05 dB, 2 px 25.19, 3 px 25.16. */
    static final int FRESH_DILATION = 2;
    private int freshPixels;

    /**
     * @param inner     the spatial denoiser the fused frames go to (owned: closed with this one)
     * @param maxFrames how many frames a static pixel averages at most
     */
    public TemporalDenoiser(FrameDenoiser inner, int maxFrames) {
        this(inner, maxFrames, false);
    }

    /**
     * @param rawInput the inner denoiser adapts to and denoises the raw frame instead of the fused one: pixels that
     *                 moved then get exactly the spatial-only result, at the cost of the fused frames' gain on static
     *                 ones (cells-256: +1.6 dB inside the moving objects, −1.7 dB on the whole frame; FMD field 1
     *                 −0.5 dB)
     */
    public TemporalDenoiser(FrameDenoiser inner, int maxFrames, boolean rawInput) {
        this(inner, maxFrames, rawInput, 0);
    }

    /**
     * @param rawSteps share of the inner N2D's training steps (0..1) that crop the raw frame while it denoises the
     *                 fused one. Where something moved, the fused frame is the raw frame, and a net adapted only to
     *                 the fused frames' lower noise leaves most of its noise there. Measured, fixed steps, at 0.5:
     *                 inside cells-256's moving objects +1.05 dB (23.80 → 24.85), FMD fields 1–3 −0.05 to −0.15 dB;
     *                 at 1 the objects gained no more (+0.05) and the static fields lost twice as much.
     */
    public TemporalDenoiser(FrameDenoiser inner, int maxFrames, boolean rawInput, double rawSteps) {
        this(inner, maxFrames, rawInput, rawSteps, null, true);
    }

    /**
     * @param freshPass the pipeline that denoises the raw frame again where the fused frame is fresh (see
     *                  {@link #denoiseFreshPixels}; STAGE1 or ENSEMBLE), or null for none. It needs a warm-started N2D
     *                  inner denoiser and fused input; otherwise it is ignored.
     */
    public TemporalDenoiser(FrameDenoiser inner, int maxFrames, boolean rawInput, double rawSteps, Pipeline freshPass) {
        this(inner, maxFrames, rawInput, rawSteps, freshPass, true);
    }

    private TemporalDenoiser(FrameDenoiser inner, int maxFrames, boolean rawInput, double rawSteps, Pipeline freshPass,
                             boolean ownsInner) {
        if (freshPass == Pipeline.FULL) throw new IllegalArgumentException("the fresh-pixel pass runs stage 1 or stages 1-2, not " + freshPass);
        this.freshPass = freshPass;
        if (!(rawSteps >= 0 && rawSteps <= 1)) throw new IllegalArgumentException("raw step share must be in 0..1, got " + rawSteps);
        this.inner = inner;
        this.filter = new TemporalFilter(maxFrames);
        this.rawInput = rawInput;
        this.rawSteps = rawSteps;
        this.ownsInner = ownsInner;
    }

    /**
     * Another temporal stage in front of the same inner model, with the same settings and the same temporal training
     * term, and a history of its own: one per series (position, z-slice) around a channel's shared model
     * ({@code SeriesDenoiser}), so a frame is fused only with earlier frames of its own series while every series
     * trains the one model. Closing it leaves the inner model open (the stage it was made from owns it). Its buffers
     * are allocated on its first frame.
     */
    public TemporalDenoiser sibling() {
        TemporalDenoiser t = new TemporalDenoiser(inner, filter.maxFrames(), rawInput, rawSteps, freshPass, false);
        t.temporalLoss = temporalLoss;
        return t;
    }

    /** The denoiser a profile describes: warm-started N2D, behind the temporal filter when {@code temporal = on}. */
    public static FrameDenoiser create(Profile profile) {
        WarmStartDenoiser n2d = WarmStartDenoiser.create(profile);
        if (!"on".equals(profile.get(ProfileKey.TEMPORAL))) return n2d;
        try {
            TemporalDenoiser t = new TemporalDenoiser(n2d, Integer.parseInt(profile.get(ProfileKey.TEMPORAL_MAX_FRAMES)),
                    "raw".equals(profile.get(ProfileKey.TEMPORAL_INPUT)),
                    Double.parseDouble(profile.get(ProfileKey.TEMPORAL_RAW_STEPS)),
                    freshPass(profile.get(ProfileKey.TEMPORAL_FRESH_PASS)));
            double w = Double.parseDouble(profile.get(ProfileKey.TEMPORAL_LOSS_WEIGHT));
            if (w > 0) {
                t.temporalLoss = new TemporalN2NLoss(profile.seed() + 17);
                n2d.addStage1Term(w, t.temporalLoss);
            }
            return t;
        } catch (RuntimeException | Error e) {
            n2d.close();
            throw e;
        }
    }

    /** The profile's {@code temporal_fresh_pass}: off, stage1 or ensemble. */
    static Pipeline freshPass(String v) {
        switch (v) {
            case "off":
                return null;
            case "stage1":
                return Pipeline.STAGE1;
            case "ensemble":
                return Pipeline.ENSEMBLE;
            default:
                throw new IllegalArgumentException("temporal_fresh_pass must be off, stage1 or ensemble, got '" + v + "'");
        }
    }

    /** Pixels of the last frame that took part of the raw frame's own denoising (0 when the pass did not run). */
    public int freshPixels() {
        return freshPixels;
    }

    /** The inner model's weights (warm start), or null when it keeps none. */
    @Override
    public WarmWeights latestWeights() {
        return inner instanceof WarmModel ? ((WarmModel) inner).latestWeights() : null;
    }

    @Override
    public void loadWeights(WarmWeights weights) {
        if (!(inner instanceof WarmModel)) throw new IllegalArgumentException("this model takes no warm weights");
        ((WarmModel) inner).loadWeights(weights);
    }

    @Override
    public void warmUpFrom(WarmWeights weights) {
        if (!(inner instanceof WarmModel)) throw new IllegalArgumentException("this model takes no warm weights");
        ((WarmModel) inner).warmUpFrom(weights);
    }

    public FrameDenoiser inner() {
        return inner;
    }

    public TemporalFilter filter() {
        return filter;
    }

    /** Forgets the temporal history (e.g. the user moved the stage to a new field). */
    public void reset() {
        filter.reset();
        readout.reset();
        blend.reset();
    }

    /**
     * Copies out what this series' temporal stage carries from frame to frame (history, precision, noise table,
     * learnt blend, the readout's previous frame) and leaves the stage as new, so the model can serve another series;
     * {@link #resume} puts it back. Null when nothing has been seen yet.
     */
    public History park() {
        TemporalFilter.Snapshot f = filter.save();
        History h = f == null ? null : new History(f, blend.save(), readout.save());
        filter.forget();
        blend.reset();
        readout.reset();
        return h;
    }

    /** Puts back what {@link #park} copied (null: the stage starts as new). */
    public void resume(History h) {
        filter.restore(h == null ? null : h.filter);
        blend.restore(h == null ? null : h.blend);
        readout.restore(h == null ? null : h.readout);
    }

    /** One series' temporal state while it is parked, in Java memory (~1.5 MB at 256²). */
    public static final class History {
        private final TemporalFilter.Snapshot filter;
        private final BlendSelector.Snapshot blend;
        private final QualityReadout.Snapshot readout;

        History(TemporalFilter.Snapshot filter, BlendSelector.Snapshot blend, QualityReadout.Snapshot readout) {
            this.filter = filter;
            this.blend = blend;
            this.readout = readout;
        }

        public long bytes() {
            return filter.bytes() + (blend == null ? 0 : blend.bytes()) + (readout == null ? 0 : readout.bytes());
        }
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        denoise(SeriesKey.SINGLE, src, dst, report);
    }

    /** One series' frame (this filter's history belongs to one series; the inner model is told which). */
    @Override
    public void denoise(SeriesKey series, Frame src, Frame dst, DenoiseReport report) throws Exception {
        long t0 = System.nanoTime();
        int n = src.pixelCount();
        if (fused.length < n) {
            fused = new float[n];
            denoised = new float[n];
            output = new float[n];
            rawDenoised = new float[n];
            freshShare = new float[n];
            freshScratch = new float[n];
        }
        freshPixels = 0;
        filter.process(src, fused);
        if (!rawInput) RawPixels.fromFloat(fused, src.type(), src.width(), src.height(), fusedFrame);
        if (temporalLoss != null) setTrainingPair(n);
        long t1 = System.nanoTime();
        if (!rawInput && rawSteps > 0 && inner instanceof WarmStartDenoiser) ((WarmStartDenoiser) inner).trainAlsoOn(src, rawSteps);
        inner.denoise(series, rawInput ? src : fusedFrame, dst, report);
        long t2 = System.nanoTime();
        WarmStartDenoiser n2d = inner instanceof WarmStartDenoiser ? (WarmStartDenoiser) inner : null;
        if (n2d != null) n2d.lastOutput(denoised); // unrounded: the output is rounded once, below
        else RawPixels.toFloat(dst, denoised);
        if (freshPass != null && !rawInput && n2d != null && filter.usedHistory()) denoiseFreshPixels(n2d, src, n);
        if (!filter.usedHistory()) {
            blend.reset();
            readout.reset();
        }
        boolean still = filter.usedHistory() && !filter.sceneChange() && filter.motionFraction() <= QualityReadout.MAX_MOTION;
        blend.blend(filter.rawFrame(), fused, denoised, filter.precision(), src.width(), src.height(), filter.driftX(),
                filter.driftY(), still, output);
        RawPixels.fromFloat(output, dst.type(), src.width(), src.height(), dst);
        report.estimatedPsnrDb = readout.update(filter.rawFrame(), output, src.width(), src.height(), filter.driftX(),
                filter.driftY(), still, src.type().fullScale(), src.type().isInteger());
        report.driftX = filter.driftX();
        report.driftY = filter.driftY();
        report.temporalNanos = (t1 - t0) + (System.nanoTime() - t2);
    }

    /**
     * Where the fused frame is fresh (a pixel that moved or changed: its precision q after fusing is near 1, the raw
     * frame alone), the raw frame's own denoising replaces the fused frame's. The net adapts to the fused frames'
     * lower noise and, being one blind net for the whole frame, removes too little of the raw noise in those pixels;
     * run on the raw frame, the same weights denoise them as a spatial-only stream would, provided they were trained
     * on raw frames too ({@code temporal_raw_steps}). The share taken ramps from 1 at q ≤ {@link #FRESH_Q_LO} to 0 at
     * q ≥ {@link #FRESH_Q_HI} and spreads {@link #FRESH_DILATION} px: an object's flanks change by less than the
     * noise and keep integrating, lagging. Measured on cells-256 inside the moving objects, fixed steps: spatial-only
     * 25.32 dB; without the pass 24.67; with it (stage 1, all steps on raw frames) 25.19, whole frame 38.75 → 38.34.
     * Skipped when no pixel is fresh.
     */
    private void denoiseFreshPixels(WarmStartDenoiser n2d, Frame src, int n) {
        float[] q = filter.precision();
        float span = FRESH_Q_HI - FRESH_Q_LO;
        int fresh = 0;
        for (int i = 0; i < n; i++) {
            float m = (FRESH_Q_HI - q[i]) / span;
            m = m <= 0 ? 0 : (m >= 1 ? 1 : m);
            freshShare[i] = m;
            if (m > 0) fresh++;
        }
        if (fresh == 0) {
            freshPixels = 0;
            return;
        }
        // the rim of a change (its flanks change by less than the noise, and keep integrating) goes with it
        fresh = dilate(freshShare, freshScratch, filter.width(), filter.height(), FRESH_DILATION);
        freshPixels = fresh;
        n2d.denoiseAgain(src, freshPass, rawDenoised);
        for (int i = 0; i < n; i++) {
            float m = freshShare[i];
            if (m > 0) denoised[i] += m * (rawDenoised[i] - denoised[i]);
        }
    }

    /** In place: each value becomes the largest within ±r px (a square); returns how many are then above 0. */
    static int dilate(float[] a, float[] scratch, int w, int h, int r) {
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float v = 0;
                for (int k = Math.max(0, x - r), e = Math.min(w - 1, x + r); k <= e; k++) v = Math.max(v, a[row + k]);
                scratch[row + x] = v;
            }
        }
        int above = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = 0;
                for (int k = Math.max(0, y - r), e = Math.min(h - 1, y + r); k <= e; k++) v = Math.max(v, scratch[k * w + x]);
                a[y * w + x] = v;
                if (v > 0) above++;
            }
        }
        return above;
    }

    /** The temporal N2N pair for this frame: raw frame → aligned history, in the inner model's unit range. */
    private void setTrainingPair(int n) {
        org.n2dlive.frame.Normalization norm = inner instanceof WarmStartDenoiser ? ((WarmStartDenoiser) inner).normalization() : null;
        if (norm == null || !filter.usedHistory() || filter.sceneChange()) {
            temporalLoss.clear();
            return;
        }
        if (unitRaw.length < n) {
            unitRaw = new float[n];
            unitTarget = new float[n];
            pairWeight = new float[n];
        }
        float off = (float) norm.offset();
        float inv = (float) (1 / norm.scale());
        float[] raw = filter.rawFrame();
        float[] hist = filter.alignedHistory();
        float[] q = filter.alignedPrecision();
        float[] g = filter.trust();
        for (int i = 0; i < n; i++) {
            unitRaw[i] = (raw[i] - off) * inv;
            unitTarget[i] = (hist[i] - off) * inv;
            pairWeight[i] = q[i] > 0 ? g[i] * q[i] / (q[i] + 1) : 0;
        }
        temporalLoss.setFrame(unitRaw, unitTarget, pairWeight, filter.width(), filter.height());
    }

    @Override
    public String weightsFingerprint() {
        return inner.weightsFingerprint();
    }

    @Override
    public void close() {
        if (ownsInner) inner.close();
    }
}
