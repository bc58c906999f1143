package org.n2dlive.n2d;

import org.n2dlive.engine.EngineDefaults;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.temporal.BlendSelector;
import org.n2dlive.temporal.FreshRegions;
import org.n2dlive.temporal.QualityReadout;
import org.n2dlive.temporal.RawPixels;
import org.n2dlive.temporal.RowPool;
import org.n2dlive.temporal.StageBuffers;
import org.n2dlive.temporal.TemporalFilter;

/**
 * Temporal denoising in front of a spatial denoiser: each raw frame is fused with its drift-aligned,
 * motion-gated history ({@link TemporalFilter}), and the fused frame — same scene, a fraction of the noise on
 * static pixels, the raw frame itself where something moved — goes to the inner denoiser (the warm-started N2D
 * model, which adapts to its lower noise). Its output is blended with the fused frame per class of averaged frames,
 * in the proportion the next frame's independent noise prefers ({@link BlendSelector}). The raw frame is never
 * modified. Also fills the report's drift and the no-ground-truth quality readout ({@link QualityReadout}).
 *
 * <p>Threading: like every {@link FrameDenoiser}, one worker thread; the inner denoiser runs on it too. The per-pixel
 * passes run over row bands on a {@link RowPool} of as many threads as the engine computes with ({@code n2d.threads}:
 * all cores on the command line, cores − 1 in the plugin), shared by the stage's siblings; the same floats as on one
 * thread.
 */
public final class TemporalDenoiser implements WarmModel {
    private final SpatialModel inner;
    /** Owned by the stage that made it (closed with it), shared by its siblings. */
    private final RowPool pool;
    /**
     * The frame's work buffers (filter, fresh regions, blend, readout, this stage's frames), shared by the stage's
     * siblings and, in a {@link LiveModels#stack}, by every model's stage: one frame at a time on one worker.
     */
    private final StageBuffers buffers;
    private final TemporalFilter filter;
    private final QualityReadout readout;
    private final RawPixels.Banded toRaw;
    // this frame's, from the shared work buffers (valid until the next frame)
    private float[] fused;
    private float[] denoised;
    private float[] output;
    private final BlendSelector blend;
    private TemporalN2NLoss temporalLoss; // null: no temporal training term
    private final boolean rawInput;
    /** False for a {@link #sibling}: the inner model belongs to the stage it was made from. */
    private final boolean ownsInner;
    private final double rawSteps;
    private final FreshPixelPass fresh; // null: off

    /**
     * @param inner     the spatial denoiser the fused frames go to (owned: closed with this one)
     * @param maxFrames how many frames a static pixel averages at most
     */
    public TemporalDenoiser(SpatialModel inner, int maxFrames) {
        this(inner, maxFrames, false);
    }

    /**
     * @param rawInput the inner denoiser adapts to and denoises the raw frame instead of the fused one: pixels that
     *                 moved then get exactly the spatial-only result, at the cost of the fused frames' gain on static
     *                 ones (cells-256: +1.6 dB inside the moving objects, −1.7 dB on the whole frame; FMD field 1
     *                 −0.5 dB)
     */
    public TemporalDenoiser(SpatialModel inner, int maxFrames, boolean rawInput) {
        this(inner, maxFrames, rawInput, 0);
    }

    /**
     * @param rawSteps share of the inner N2D's training steps (0..1) that crop the raw frame while it denoises the
     *                 fused one. Where something moved, the fused frame is the raw frame, and a net adapted only to
     *                 the fused frames' lower noise leaves most of its noise there. Measured, fixed steps, at 0.5:
     *                 inside cells-256's moving objects +1.05 dB (23.80 → 24.85), FMD fields 1–3 −0.05 to −0.15 dB;
     *                 at 1 the objects gained no more (+0.05) and the static fields lost twice as much.
     */
    public TemporalDenoiser(SpatialModel inner, int maxFrames, boolean rawInput, double rawSteps) {
        this(inner, maxFrames, rawInput, rawSteps, null, (RowPool) null, null);
    }

    /**
     * @param freshPass the pipeline that denoises the raw frame again where the fused frame is fresh (see
     *                  {@link FreshPixelPass}; STAGE1, or ENSEMBLE where a change is proven and STAGE1 around
     *                  it), or null for none. Ignored with raw input.
     */
    public TemporalDenoiser(SpatialModel inner, int maxFrames, boolean rawInput, double rawSteps, Pipeline freshPass) {
        this(inner, maxFrames, rawInput, rawSteps, freshPass, (TemporalN2NLoss) null, null);
    }

    /**
     * @param temporalLoss the inner N2D's temporal training term, whose pair this stage sets each frame; or null
     * @param buffers      work buffers shared with other stages on the same worker, or null for its own
     */
    TemporalDenoiser(SpatialModel inner, int maxFrames, boolean rawInput, double rawSteps, Pipeline freshPass,
                     TemporalN2NLoss temporalLoss, StageBuffers buffers) {
        this(inner, maxFrames, rawInput, rawSteps, freshPass, (RowPool) null, buffers);
        this.temporalLoss = temporalLoss;
    }

    /** @param pool the owner's for a sibling, or null: a new one, owned; @param buffers shared ones, or null: its own */
    private TemporalDenoiser(SpatialModel inner, int maxFrames, boolean rawInput, double rawSteps, Pipeline freshPass,
                             RowPool pool, StageBuffers buffers) {
        if (freshPass == Pipeline.FULL) throw new IllegalArgumentException("the fresh-pixel pass runs stage 1 or stages 1-2, not " + freshPass);
        if (!(rawSteps >= 0 && rawSteps <= 1)) throw new IllegalArgumentException("raw step share must be in 0..1, got " + rawSteps);
        boolean ownsInner = pool == null;
        this.pool = pool != null ? pool : new RowPool(EngineDefaults.threads() > 0 ? EngineDefaults.threads()
                : Runtime.getRuntime().availableProcessors());
                this.inner = inner;
        this.buffers = buffers != null ? buffers : new StageBuffers();
        this.filter = new TemporalFilter(maxFrames, this.pool, this.buffers);
        this.fresh = freshPass == null ? null : new FreshPixelPass(freshPass, this.pool, this.buffers);
        this.readout = new QualityReadout(this.pool, this.buffers);
        this.blend = new BlendSelector(this.pool, this.buffers);
        this.toRaw = new RawPixels.Banded(this.pool);
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
        TemporalDenoiser t = new TemporalDenoiser(inner, filter.maxFrames(), rawInput, rawSteps, fresh == null ? null : fresh.pipeline(), pool, buffers);
        t.temporalLoss = temporalLoss;
        return t;
    }

    /** Pixels of the last frame that took part of the raw frame's own denoising (0 when the pass did not run). */
    public int freshPixels() {
        return fresh == null ? 0 : fresh.pixels();
    }

    /** Whether the last frame's fresh pass ran the ensemble near its proven changes (tests). */
    boolean freshEnsembleRan() {
        return fresh != null && fresh.ensembleRan();
    }

    /** The last frame's fresh regions (tests; null when the pass is off). */
    FreshRegions freshRegions() {
        return fresh == null ? null : fresh.regions();
    }

    /** Tiles the last frame's fresh pass ran on (0: none, or the whole frame). */
    public int freshTiles() {
        return fresh == null ? 0 : fresh.tiles();
    }

    @Override
    public WarmWeights latestWeights() {
        return inner.latestWeights();
    }

    @Override
    public void loadWeights(WarmWeights weights) {
        inner.loadWeights(weights);
    }

    @Override
    public void warmUpFrom(WarmWeights weights) {
        inner.warmUpFrom(weights);
    }

    @Override
    public WarmStartDenoiser core() {
        return inner.core();
    }

    public TemporalFilter filter() {
        return filter;
    }

    /**
     * Hands back this series' temporal state (history, precision, noise table, learnt blend, the readout's previous
     * frame), held by reference, and leaves the stage as new, so it can serve another series; {@link #resume} puts a
     * series' state back in place. Null when nothing has been seen yet.
     */
    public History park() {
        History h = new History(filter.state(), blend.state(), readout.state());
        resume(null);
        return h.filter.seen() ? h : null;
    }

    /** Works on a series' state from here on (null: a series never seen). */
    public void resume(History h) {
        filter.use(h == null ? null : h.filter);
        blend.use(h == null ? null : h.blend);
        readout.use(h == null ? null : h.readout);
    }

    /** One series' temporal state (~1.5 MB at 256²): a stage works on it in place, a parked series keeps it. */
    public static final class History {
        private final TemporalFilter.State filter;
        private final BlendSelector.State blend;
        private final QualityReadout.State readout;

        private History(TemporalFilter.State filter, BlendSelector.State blend, QualityReadout.State readout) {
            this.filter = filter;
            this.blend = blend;
            this.readout = readout;
        }

        public long bytes() {
            return filter.bytes() + blend.bytes() + readout.bytes();
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
        buffers.size(n);
        fused = buffers.floats(StageBuffers.Floats.FUSED);
        denoised = buffers.floats(StageBuffers.Floats.DENOISED);
        output = buffers.floats(StageBuffers.Floats.OUTPUT);
        if (fresh != null) fresh.clear();
        filter.process(src, fused);
        if (temporalLoss != null) setTrainingPair();
        long t1 = System.nanoTime();
        boolean inferred = inner.denoise(series, rawInput ? filter.rawFrame() : fused, src, rawInput ? 0 : rawSteps, denoised, report);
        long t2 = System.nanoTime();
        if (!inferred) {
            // The model is warming up and vouches for nothing yet: the fused frame is the output. On a still scene it
            // halves the noise within four frames, where a net early in its warm-up removes little.
            warmingUpOutput(src, dst, report);
            report.temporalNanos = (t1 - t0) + (System.nanoTime() - t2);
            report.temporalFilterNanos = t1 - t0;
            return;
        }
        if (fresh != null && !rawInput && filter.usedHistory()) fresh.apply(inner, src, filter, denoised);
        if (!filter.usedHistory()) {
            blend.reset();
            readout.reset();
        }
        boolean still = filter.usedHistory() && !filter.sceneChange() && filter.motionFraction() <= QualityReadout.MAX_MOTION;
        blend.blend(filter.rawFrame(), fused, denoised, filter.precision(), src.width(), src.height(), filter.driftX(),
                filter.driftY(), still, output);
        toRaw.fromFloat(output, src.type(), src.width(), src.height(), dst);
        report.estimatedPsnrDb = readout.update(filter.rawFrame(), output, src.width(), src.height(), filter.driftX(),
                filter.driftY(), still, src.type().fullScale(), src.type().isInteger());
        report.driftX = filter.driftX();
        report.driftY = filter.driftY();
        long freshInfer = fresh == null ? 0 : fresh.inferNanos();
        report.temporalNanos = (t1 - t0) + (System.nanoTime() - t2) - freshInfer;
        report.temporalFilterNanos = t1 - t0;
        report.temporalInferNanos = freshInfer;
    }

    /** The fused frame as the output, with the readout; the blend learns only from frames the model denoised. */
    private void warmingUpOutput(Frame src, Frame dst, DenoiseReport report) {
        blend.reset();
        toRaw.fromFloat(fused, dst.type(), src.width(), src.height(), dst);
        boolean still = filter.usedHistory() && !filter.sceneChange() && filter.motionFraction() <= QualityReadout.MAX_MOTION;
        if (!filter.usedHistory()) readout.reset();
        report.estimatedPsnrDb = readout.update(filter.rawFrame(), fused, src.width(), src.height(), filter.driftX(),
                filter.driftY(), still, src.type().fullScale(), src.type().isInteger());
        report.driftX = filter.driftX();
        report.driftY = filter.driftY();
    }

    /** The temporal N2N pair for this frame: raw frame → aligned history, weighted by how far the history holds. */
    private void setTrainingPair() {
        if (!filter.usedHistory() || filter.sceneChange()) {
            temporalLoss.clear();
            return;
        }
        temporalLoss.setPair(filter.rawFrame(), filter.alignedHistory(), filter.alignedPrecision(), filter.trust(),
                filter.width(), filter.height());
    }

    /** The model rolls back; the blend forgets candidates made with the rejected weights. */
    @Override
    public boolean learns() {
        return true; // its blend learns, whatever the inner model does
    }

    @Override
    public void outputRejected(SeriesKey series, String reason) {
        inner.outputRejected(series, reason);
        blend.reset();
    }

    @Override
    public String weightsFingerprint() {
        return inner.weightsFingerprint();
    }

    @Override
    public void close() {
        if (ownsInner) {
            inner.close();
            pool.close();
        }
    }
}
