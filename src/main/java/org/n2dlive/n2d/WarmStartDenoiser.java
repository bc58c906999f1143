package org.n2dlive.n2d;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.n2dlive.engine.BackgroundTask;
import org.n2dlive.engine.pytorch.TorchRuntime;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.engine.pytorch.TorchAdam;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.ReflectPad;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.GuardedFrameException;

/**
 * Noise2Detail on a stream: the nets are carried from frame to frame. Consecutive frames are fresh noise draws
 * of nearly the same scene, so a few Zero-Shot Noise2Noise steps per frame keep improving the model instead of
 * starting over (2 × 2000 steps per image in full mode).
 *
 * <p>No frame waits for a fit: from the first frame on, every frame trains within a time budget and comes out
 * denoised. A <b>warm-up</b> (the first frame, a detected scene change, a size or bit-depth change) trains on
 * random {@code initial_crop} crops within {@code warmup_budget_ms} per frame until {@code initial_steps} steps per
 * net are done, so quality ramps up frame by frame while the view stays live; after it, each frame gets up to
 * {@code adapt_steps} steps on random {@code adapt_crop} crops within {@code frame_budget_ms}. One step always
 * runs. Then the configured pipeline runs on the full frame. Adam state and weights carry over between frames and
 * through a re-fit's warm-up (a better start than random for the same kind of sample). A blocking fit instead held
 * the first frame for tens of seconds on a CPU (docs/design.md, "Measurements behind the live model").
 *
 * <p>The parts: when to warm up is {@link WarmUp}'s job, the nets and their training within the budget
 * {@link BudgetedTrainer}'s, the pipeline on the full frame {@link FrameInference}'s; what a series has learnt
 * lives in its {@link SeriesState}, which the model works on in place. This class runs a frame through them and
 * guards it: the rollback point, weights from other threads, parking a series.
 *
 * <p>Threading: everything but {@link #latestWeights()} and {@link #loadWeights} runs on the one worker thread
 * that created it (models, grad mode and DJL managers belong to it). Those two are safe from any thread: the
 * worker publishes a snapshot after every frame and installs loaded weights at the start of the next. A deferred
 * model builds its engine part on a thread of its own ({@link #deferringEngine}); the worker reads it only once that
 * build is done.
 */
public final class WarmStartDenoiser implements SpatialModel {
    private final WarmStartSettings settings;
    private final LongSupplier clock;
    private final Normalization.Rule normalizationRule; // applied to the first frame of each geometry
    private final BudgetedTrainer trainer;
    // The engine part: set by startEngine(), off the worker for a model that defers it (see deferringEngine).
    private NDManager base;
    private FrameInference inference;
    /** Whether the engine part is there for the worker (worker thread only). */
    private boolean engineReady;
    /** A deferred model's engine part being built off the worker, or null (worker thread only). */
    private CompletableFuture<Void> engineBuild;
    /** The series served now, worked on in place; a parked series keeps its own ({@link #suspend}, {@link #resume}). */
    private SeriesState series;

    /**
     * The frame's buffers, unit range (sized for the frames in hand, whichever series they come from); between frames
     * unit and padded are work buffers of {@link #denoiseAgain}.
     */
    private float[] unit;
    private float[] padded;
    private float[] cropped;

    /** False: while warming up, the model trains and passes its input through (see {@link #passThroughWhileWarmingUp}). */
    private boolean inferWhileWarmingUp = true;
    /** When the last pass-through warm-up training ended, and how long it took (clock nanoseconds). */
    private long warmupTrainEnd = Long.MIN_VALUE / 2;
    private long warmupTrainNanos;

    private volatile WarmWeights latest;
    /** The pending weights come from another scene: warm up on this one after installing them. */
    private volatile boolean warmUpAfterLoad;
    private final AtomicReference<WarmWeights> pending = new AtomicReference<>();
    /**
     * The guard's rollback point: weights (and Adam's moments) whose output was accepted. The weights of a frame
     * become the rollback point only when the next frame starts, i.e. once the stream's check let their output pass.
     */
    private WarmWeights lastGood;
    private TorchAdam.State lastGoodAdamF;
    private TorchAdam.State lastGoodAdamG;
    private WarmWeights candidate;
    private long goodFrames;
    /** Adam's moments are copied out every this many good frames (weights every frame: they are copied anyway). */
    private static final int ADAM_SAVE_EVERY = 8;

    /** The model the settings describe; engine and device are chosen by {@link Backends}. */
    public WarmStartDenoiser(WarmStartSettings settings) {
        this(settings, System::nanoTime);
    }

    /**
     * With the clock the budgets are measured by, in nanoseconds (tests, and {@code tools/bench/Readapt.java}, give
     * one that they control, so the steps per frame do not depend on the machine's load).
     */
    public WarmStartDenoiser(WarmStartSettings settings, LongSupplier clock) {
        this(settings, clock, true);
    }

    private WarmStartDenoiser(WarmStartSettings settings, LongSupplier clock, boolean startEngineNow) {
        this.settings = settings;
        this.clock = clock;
        this.series = new SeriesState(settings);
        this.normalizationRule = Normalization.Rule.parse(settings.normalization());
        this.trainer = new BudgetedTrainer(settings, clock);
        if (startEngineNow) {
            startEngine();
            engineReady = true;
        }
    }

    /**
     * A model for a caller with its own frame to show meanwhile (the temporal stage, in live view): it passes its
     * input through while warming up ({@link #passThroughWhileWarmingUp}), and it does not wait for the engine. Its
     * live-view frames pass through until libtorch is loaded and its CPU kernels checked (seconds on a first start;
     * they load in the background meanwhile) and its nets are built and pre-warmed, off the worker (1–4 s after a
     * profile change, which would otherwise freeze the view or show raw frames). A frame that is not for live view
     * waits for all of it, as the plain constructor does.
     */
    public static WarmStartDenoiser deferringEngine(WarmStartSettings settings, LongSupplier clock) {
        WarmStartDenoiser m = new WarmStartDenoiser(settings, clock, false);
        m.passThroughWhileWarmingUp();
        return m;
    }

    /**
     * Device, inference backend and nets; loads libtorch if no one has. Then pays the engines' first-use costs before
     * the first frame: one training step of a throwaway net and one inference of the real nets, on a crop-sized test
     * pattern. On the worker, or on a thread of its own for a deferred model (the worker then reads nothing of it
     * before the build is done).
     */
    private void startEngine() {
        Device device = Backends.device(settings.device());
        inference = new FrameInference(settings, device, trainer);
        base = TorchRuntime.manager(device);
        JniUtils.setGradMode(false); // this thread infers; training turns it on only inside a step
        trainer.start(base, device);
        int size = settings.initialCrop();
        float[] y = new float[size * size];
        for (int i = 0; i < y.length; i++) y[i] = (float) (0.5 + 0.25 * Math.sin(i % size * 0.3) * Math.cos(i / size * 0.2));
        trainer.prewarm(y, size);
        inference.prewarm(trainer.snapshot(), y, size);
    }

    /**
     * Whether the engine part is there: started before, started now, or (for {@code wait} false, while libtorch is
     * still loading) not yet; the load then goes on in the background.
     */
    private boolean engineStarted(boolean wait) {
        if (engineReady) return true;
        if (!wait && engineBuild == null) {
            if (!TorchRuntime.ready(settings.device(), settings.channels())) {
                TorchRuntime.preloadInBackground(settings.device(), settings.channels());
            } else {
                // the worker reads nothing the build writes until the future is done (happens-before)
                engineBuild = BackgroundTask.start("n2d-model-start", Thread.NORM_PRIORITY, () -> {
                    startEngine();
                    return null;
                });
            }
            return false;
        }
        if (!wait && !engineBuild.isDone()) return false;
        if (engineBuild == null) {
            startEngine();
        } else {
            try {
                engineBuild.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("the model could not start: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the model started", e);
            }
            JniUtils.setGradMode(false); // this thread infers; grad mode is per thread
        }
        engineReady = true;
        return true;
    }


    /**
     * Adds a term to f's training objective beside the spatial ZS-N2N loss (e.g. {@link TemporalN2NLoss}). Worker
     * thread, before the first frame (f's optimiser starts afresh); kept across re-created nets.
     */
    public void addStage1Term(double weight, org.n2dlive.engine.LossTerm term) {
        if (engineBuild != null) engineStarted(true); // not while the nets are being made off the worker
        trainer.addStage1Term(weight, term);
    }

    /** f's optimiser (fault-injection tests poison its state). */
    TorchAdam optimizerF() {
        engineStarted(true);
        return trainer.optimizerF();
    }

    public WarmStartSettings settings() {
        return settings;
    }

    /**
     * Observes the next frames with this detector (worker thread): one per series when the positions and z-slices
     * of a channel share this model ({@code SeriesDenoiser}), since each is its own scene and, compared with another
     * series' frame, every frame would look like a scene change.
     */
    void useScenes(SceneChangeDetector detector) {
        series.warmUp.scenes = detector;
    }

    /**
     * In live view ({@link DenoiseReport#liveView}), while warming up, train only and pass the input through, for a
     * caller with a better frame to show than a half-trained net's (the temporal stage: its fused frame, which on a
     * still scene halves the noise within four frames). The worker then takes more frames, and the caller's own
     * work on them shows at once. In RECORD every frame is processed anyway, and the blend of a warming net with
     * the fused frame measured better than the fused frame alone (docs/benchmarks.md), so nothing changes there.
     */
    public void passThroughWhileWarmingUp() {
        inferWhileWarmingUp = false;
    }

    /** The stated mapping in use for the current stream geometry (null before the first frame). */
    public Normalization normalization() {
        return series.normalization;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws GuardedFrameException {
        engineStarted(true);
        adapt(src, null, report);
        series.normalization.fromUnit(cropped, dst.reshape(src.type(), series.width, series.height));
    }

    @Override
    public boolean denoise(SeriesKey key, float[] input, Frame raw, double rawShare, float[] out, DenoiseReport report)
            throws GuardedFrameException {
        if (!(rawShare >= 0 && rawShare <= 1)) throw new IllegalArgumentException("raw step share must be in 0..1, got " + rawShare);
        if (input.length < raw.pixelCount() || out.length < raw.pixelCount()) {
            throw new IllegalArgumentException("input and output need " + raw.pixelCount() + " pixels, as the raw frame");
        }
        if (!engineStarted(!report.liveView)) {
            report.warmingUp = true;
            System.arraycopy(input, 0, out, 0, raw.pixelCount());
            return false;
        }
        trainer.alsoOnRaw(rawShare > 0 ? raw : null, rawShare);
        boolean inferred = adapt(raw, input, report);
        float s = (float) series.normalization.scale(), off = (float) series.normalization.offset();
        for (int i = 0, n = raw.pixelCount(); i < n; i++) out[i] = cropped[i] * s + off;
        return inferred;
    }

    /**
     * Trains within the frame's budget (the class comment's rules) and denoises into {@link #cropped} (unit range):
     * {@code values} (raw units, unrounded: a fused frame is not rounded to counts only to be put in unit range again),
     * or src's pixels for null. src gives the geometry, the type and, on a new geometry, the mapping; the report gets
     * its clipped pixels.
     *
     * @return whether the nets ran (false: the input passed through while warming up)
     */
    private boolean adapt(Frame src, float[] values, DenoiseReport report) throws GuardedFrameException {
        installPendingWeights();
        acceptCandidate();
        requireFinite(src);
        SeriesState s = series;
        prepareGeometry(src);
        widenIfBrighter(values == null ? s.range.check(s.normalization, src)
                : s.range.check(s.normalization, values, src.pixelCount(), src.type()));
        if (values == null) s.normalization.toUnit(src, unit);
        else s.normalization.toUnit(values, src.pixelCount(), unit);
        if (s.warmUp.observe(unit, s.width, s.height, report)) trainer.restartSchedules();
        int paddedWidth = paddedSize(s.width), paddedHeight = paddedSize(s.height);
        ReflectPad.pad(unit, s.width, s.height, padded, paddedWidth, paddedHeight);

        long t0 = clock.getAsLong();
        boolean passThrough = s.warmUp.stepsLeft() > 0 && !inferWhileWarmingUp && report.liveView;
        try (NDManager frame = base.newSubManager()) {
            boolean trained = true;
            if (s.warmUp.stepsLeft() > 0) {
                report.warmingUp = true;
                // Passing through in live view, the warm-up takes at most half the worker's time: the other half
                // fuses the frames that would otherwise be dropped while it trains.
                trained = !passThrough || t0 - warmupTrainEnd >= warmupTrainNanos;
                if (trained) {
                    s.warmUp.stepsDone(trainer.train(frame, padded, paddedWidth, paddedHeight, s, report, t0, settings.warmupBudgetMs(),
                            s.warmUp.stepsLeft(), settings.initialCrop()));
                    warmupTrainEnd = clock.getAsLong();
                    warmupTrainNanos = warmupTrainEnd - t0;
                }
            } else {
                trainer.train(frame, padded, paddedWidth, paddedHeight, s, report, t0, settings.frameBudgetMs(),
                        settings.adaptSteps(), settings.adaptCrop());
            }
            long t1 = clock.getAsLong();
            report.adaptNanos = t1 - t0;
            if (trained && !Double.isFinite(report.adaptationLoss)) refuse("the adaptation loss is " + report.adaptationLoss);
            // one copy of the adapted weights serves the inference backend and the snapshot other threads read
            WarmWeights adapted = trainer.snapshot();
            String bad = nonFinite(adapted);
            if (bad != null) refuse(bad);
            float[] out = passThrough ? padded
                    : inference.infer(padded, paddedWidth, paddedHeight, adapted, report.warmingUp);
            report.inferNanos = clock.getAsLong() - t1;
            for (int i = 0; i < out.length; i++) {
                if (!Float.isFinite(out[i])) refuse("output pixel " + i + " of the padded frame is " + out[i]);
            }
            latest = adapted;
            candidate = adapted;
            ReflectPad.crop(out, paddedWidth, cropped, s.width, s.height);
        }
        report.refits = s.warmUp.refits();
        report.clippedPixels = s.range.countClipped(src, cropped);
        return !passThrough;
    }

    /** A new size or pixel type is a new geometry for the series (a change of either forces a re-fit); buffers fit it. */
    private void prepareGeometry(Frame src) {
        SeriesState s = series;
        boolean typeChanged = src.type() != s.type;
        if (typeChanged || src.width() != s.width || src.height() != s.height) {
            String reason = null;
            if (s.type != null) {
                reason = typeChanged
                        ? "bit depth changed: " + s.type + " -> " + src.type()
                        : "frame size changed: " + s.width + "x" + s.height + " -> " + src.width() + "x" + src.height();
                if (typeChanged) trainer.create(); // a different bit depth is a different stream: start clean
            }
            s.warmUp.geometryChanged(reason);
            s.type = src.type();
            s.width = src.width();
            s.height = src.height();
            s.normalization = normalizationRule.resolve(src);
        }
        sizeBuffers();
    }

    /** The frame's buffers for the series' geometry (they serve whichever series is in hand). */
    private void sizeBuffers() {
        SeriesState s = series;
        int n = s.width * s.height, paddedPixels = paddedSize(s.width) * paddedSize(s.height);
        if (unit == null || unit.length != n || padded.length != paddedPixels) {
            unit = new float[n];
            padded = new float[paddedPixels];
            cropped = new float[n];
        }
    }

    /** The previous frame's output passed the stream's check: its weights are the new rollback point. */
    private void acceptCandidate() {
        if (candidate == null) return;
        lastGood = candidate;
        candidate = null;
        if (goodFrames++ % ADAM_SAVE_EVERY == 0 || lastGoodAdamF == null) {
            lastGoodAdamF = trainer.adamF();
            lastGoodAdamG = trainer.adamG();
        }
    }

    private static String nonFinite(WarmWeights w) {
        for (NetWeights n : w.g == null ? new NetWeights[] {w.f} : new NetWeights[] {w.f, w.g}) {
            float[][] arrays = n.arrays();
            for (float[] a : arrays) {
                for (float v : a) {
                    if (!Float.isFinite(v)) return "a weight of the net became " + v;
                }
            }
        }
        return null;
    }

    /** The model's own checks failed on this frame: roll back, and let the stream pass the raw frame. */
    private void refuse(String reason) throws GuardedFrameException {
        rollBack();
        throw new GuardedFrameException(reason);
    }

    /**
     * Back to the last weights and Adam state whose output passed, or to fresh nets when none has yet, and warm up
     * again from there: whatever broke the model (a diverged step, poisoned state) is gone with it.
     */
    void rollBack() {
        candidate = null;
        if (!engineReady) return; // the engine has not started: nothing was learnt
        trainer.load(lastGood);
        trainer.restoreAdam(lastGoodAdamF, lastGoodAdamG);
        latest = lastGood;
        series.warmUp.restart();
    }

    @Override
    public boolean learns() {
        return true;
    }

    @Override
    public void outputRejected(SeriesKey key, String reason) {
        rollBack();
    }

    /**
     * A frame brighter than the mapping allows (a flash, a cell moving in, a longer exposure) widens it before it
     * is denoised; the nets and their optimiser state are rescaled to the new units, exactly (see
     * {@link TorchNet#rescaleInput}), so nothing clips, nothing is re-fitted and the scene detector, which is free of
     * scale, sees no change.
     */
    private void widenIfBrighter(Normalization wider) {
        if (wider == series.normalization) return;
        trainer.rescaleInput((float) (series.normalization.scale() / wider.scale()));
        series.normalization = wider;
    }

    static void requireFinite(Frame src) {
        if (src.type() != PixelType.FLOAT32) return;
        float[] p = src.floats();
        for (int i = 0; i < src.pixelCount(); i++) {
            if (!Float.isFinite(p[i])) {
                throw new IllegalArgumentException("pixel (" + (i % src.width()) + "," + (i / src.width())
                        + ") is " + p[i] + "; frames must hold finite values");
            }
        }
    }

    /**
     * Denoises another frame of the last frame's geometry and type with the weights that frame was denoised with:
     * no training, no scene detection, no change of the mapping. The temporal stage runs the raw frame through it
     * where the fused frame is fresh (see {@code TemporalDenoiser}). {@code pipeline} runs at most the configured
     * stages' nets that exist (FULL needs g). Writes raw units, unrounded, into {@code out}.
     */
    @Override
    public void denoiseAgain(Frame other, Pipeline pipeline, float[] out) {
        checkAgain(other, pipeline);
        inference.denoiseAgain(series, other, pipeline, null, out, unit, padded);
    }

    /**
     * As {@link #denoiseAgain(Frame, Pipeline, float[])}, inside {@code tiles} only (its pipeline; its geometry the
     * padded frame's, {@link #paddedSize}): there {@code out} gets exactly the whole-frame values, elsewhere it holds
     * nothing meaningful. Where a few percent of the frame need it, this costs a few percent of the whole frame.
     */
    @Override
    public void denoiseAgain(Frame other, TileMosaic tiles, float[] out) {
        checkAgain(other, tiles.pipeline());
        inference.denoiseAgain(series, other, tiles.pipeline(), tiles, out, unit, padded);
    }

    /** The padded size of a frame side: what {@link TileMosaic} tiles and inference see (a multiple of 4). */
    public static int paddedSize(int side) {
        return ReflectPad.paddedSize(side, 4);
    }

    private void checkAgain(Frame other, Pipeline pipeline) {
        SeriesState s = series;
        if (s.normalization == null) throw new IllegalStateException("no frame denoised yet");
        s.requireGeometry(other, "the frame to denoise again", "the last frame");
        if (pipeline == Pipeline.FULL && trainer.g() == null) {
            throw new IllegalArgumentException("pipeline FULL needs stage 3, which this model does not run");
        }
        requireFinite(other);
        sizeBuffers(); // free between frames: the pass works in them
    }

    /** The weights after the last frame (any thread); null before the first frame. */
    @Override
    public WarmWeights latestWeights() {
        return latest;
    }

    /**
     * Queues weights to install before the next frame (any thread). The next frame then adapts instead of
     * warming up: a session starts warm.
     */
    @Override
    public void loadWeights(WarmWeights w) {
        if (w.channels() != settings.channels()) {
            throw new IllegalArgumentException("the weights have " + w.channels() + " channels; this profile uses "
                    + settings.channels());
        }
        if (settings.pipeline() == Pipeline.FULL && w.g == null) {
            throw new IllegalArgumentException("the weights hold no stage-3 net, which this profile's full pipeline needs");
        }
        pending.set(w);
    }

    @Override
    public void warmUpFrom(WarmWeights w) {
        loadWeights(w);
        warmUpAfterLoad = true;
    }

    private void installPendingWeights() {
        WarmWeights w = pending.getAndSet(null);
        if (w == null) return;
        trainer.load(w);
        series.warmUp.weightsLoaded(warmUpAfterLoad);
        warmUpAfterLoad = false;
        latest = w;
    }

    /**
     * Parks the series served now: its state object, with copies of what the nets' native tensors hold for it
     * (weights and Adam's moments), so that the model can serve another ({@link #resume}); the model keeps its nets,
     * optimiser, engine and buffers. Worker thread.
     */
    SeriesState suspend() {
        engineStarted(true);
        installPendingWeights();
        acceptCandidate(); // the stream checked this series' last output before it moved on
        series.park(trainer.snapshot(), trainer.adamF(), trainer.adamG());
        return series;
    }

    /**
     * Serves a series from here on, working on its state object: the one {@link #suspend} parked (exactly as it was:
     * the next frame comes out as if the model had never served another), or, for null, a series never seen, as a
     * newly built model would (weights from the seed, first-frame warm-up; weights may then be queued with
     * {@link #loadWeights}). It replaces building a model for each returning series, which cost a build on every
     * visit and lost the series' optimiser state and mapping. Worker thread.
     */
    void resume(SeriesState s) {
        engineStarted(true);
        pending.set(null);
        warmUpAfterLoad = false;
        candidate = null;
        goodFrames = 0;
        boolean complete = s != null && s.complete();
        lastGood = complete ? s.weights : null;
        lastGoodAdamF = complete ? s.adamF : null;
        lastGoodAdamG = complete ? s.adamG : null;
        latest = lastGood;
        if (!complete) {
            trainer.load(null);
            series = new SeriesState(settings);
            if (s != null) loadWeights(s.weights);
            return;
        }
        if ((s.adamG != null) != (settings.pipeline() == Pipeline.FULL)) {
            throw new IllegalArgumentException("the parked state is for another pipeline");
        }
        trainer.load(s.weights);
        trainer.restoreAdam(s.adamF, s.adamG);
        s.park(null, null, null); // the nets hold them again
        series = s;
    }

    @Override
    public WarmStartDenoiser core() {
        return this;
    }

    @Override
    public String weightsFingerprint() {
        WarmWeights w = latest;
        return w == null ? "" : w.fingerprint();
    }

    @Override
    public void close() {
        if (!engineReady && engineBuild != null) {
            try {
                engineBuild.get(); // its nets and sessions are closed below, not left to a thread still making them
            } catch (ExecutionException e) {
                // it failed: whatever it made is closed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        trainer.close();
        if (inference != null) inference.close();
        if (base != null) base.close();
    }
}
