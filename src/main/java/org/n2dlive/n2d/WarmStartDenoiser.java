package org.n2dlive.n2d;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicReference;
import org.n2dlive.engine.pytorch.TorchRuntime;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.engine.pytorch.LiveNets;
import org.n2dlive.engine.pytorch.TorchAdam;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.RangeGuard;
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
 * <p>When to warm up is {@link WarmUp}'s job.
 *
 * <p>Threading: everything but {@link #latestWeights()} and {@link #loadWeights} runs on the one worker thread
 * that created it (models, grad mode and DJL managers belong to it). Those two are safe from any thread: the
 * worker publishes a snapshot after every frame and installs loaded weights at the start of the next.
 */
public final class WarmStartDenoiser implements SpatialModel {
    private final WarmStartSettings settings;
    // The engine part: set by startEngine(), on the first frame for a model that defers it (see deferringEngine).
    private Device device;
    private NDManager base;
    private InferenceBackend inference; // PyTorch runs on the live nets f and g, ONNX Runtime on snapshots
    /** Whether the engine part is there for the worker (worker thread only). */
    private boolean engineReady;
    /** A deferred model's engine part being built off the worker, or null (worker thread only). */
    private CompletableFuture<Void> engineBuild;
    private Random random; // per series (see suspend/resume)
    private final Normalization.Rule normalizationRule; // applied to the first frame of each geometry
    /** Widens the mapping before a brighter frame clips, and counts what still clips. */
    private RangeGuard range = new RangeGuard();
    private final ZeroShotN2NLoss stage1Loss = ZeroShotN2NLoss.residual();
    private final LongSupplier clock;
    /** When to warm up and how far it is (per series: parked with it). */
    private WarmUp warmUp;
    private org.n2dlive.engine.LossTerm extraTerm; // null: the spatial term alone
    private double extraWeight;

    /** The padded frame on the device while inference runs (for PyTorch on the live nets), else null. */
    private NDArray frameOnDevice;
    private TorchNet f;
    private TorchNet g;
    private TorchTrainer trainerF;
    private TorchTrainer trainerG;

    private PixelType type;
    private int width;
    private int height;
    private int paddedWidth;
    private int paddedHeight;
    private Normalization normalization;
    private float[] unit;
    private float[] padded;
    private float[][] stageOut;
    /** The full pipeline while g is still warming up: stages 1-2 into the same output buffer. */
    private float[][] warmupStageOut;
    private float[] cropped;
    /** The raw frame behind a fused one, for the share of this frame's steps that adapt to raw noise. */
    private Frame rawTrainingFrame;
    private double rawStepShare;
    private float[] rawUnit; // per geometry, made on first use
    private float[] rawPadded;
    /** {@link #denoiseAgain}'s buffers, per geometry, made on first use. */
    private float[] againUnit;
    private float[] againPadded;
    private float[][][] againOut;

    /** False: while warming up, the model trains and passes its input through (see {@link #passThroughWhileWarmingUp}). */
    private boolean inferWhileWarmingUp = true;
    /** Whether the last frame ran the nets (false: it passed its input through while warming up). */
    private boolean inferred;
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
        this.warmUp = newWarmUp();
        this.normalizationRule = Normalization.Rule.parse(settings.normalization());
        this.random = new Random(settings.seed());
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
     * Device, inference backend, nets, and the engines' first-use costs; loads libtorch if no one has. On the worker,
     * or on a thread of its own for a deferred model (the worker then reads nothing of it before the build is done).
     */
    private void startEngine() {
        this.device = Backends.device(settings.device());
        this.inference = Backends.create(settings.engine().name(), device, new LiveNets() { // read on this thread
            @Override
            public TorchNet f() {
                return f;
            }

            @Override
            public TorchNet g() {
                return g;
            }

            @Override
            public NDArray frameOnDevice() {
                return frameOnDevice;
            }
        });
        this.base = TorchRuntime.manager(device);
        JniUtils.setGradMode(false); // this thread infers; training turns it on only inside a step
        createNets(null);
        prewarm();
    }

    /**
     * Pays the engines' first-use costs when the model is made, not on the first frame: one training step of a
     * throwaway net of the same shape and one inference of the real nets, on a crop-sized test pattern.
     */
    private void prewarm() {
        int size = settings.initialCrop();
        float[] y = new float[size * size];
        for (int i = 0; i < y.length; i++) y[i] = (float) (0.5 + 0.25 * Math.sin(i % size * 0.3) * Math.cos(i / size * 0.2));
        try (NDManager m = base.newSubManager();
             TorchNet net = new TorchNet(base, device, NetWeights.initialise(settings.channels(), settings.seed()));
             TorchTrainer trainer = new TorchTrainer(net, CompositeLoss.of(stage1Loss), settings.learningRate(), settings.halvingSteps())) {
            NDArray x = TorchOps.tensor(m, y, y.length, new Shape(1, 1, size, size));
            trainer.step(m, x, x);
            float[][] out = new float[settings.pipeline().stages()][];
            out[out.length - 1] = new float[y.length];
            inference.setWeights(f.snapshot(), g == null ? null : g.snapshot());
            inference.infer(y, size, size, settings.pipeline(), out);
        }
    }

    /** Fresh nets with fresh optimisers: from the seed, or from warm weights. */
    private void createNets(WarmWeights from) {
        closeNets();
        f = new TorchNet(base, device, startF(from));
        trainerF = new TorchTrainer(f, stage1Objective(), settings.learningRate(), settings.halvingSteps());
        if (settings.pipeline() == Pipeline.FULL) {
            g = new TorchNet(base, device, startG(from));
            trainerG = new TorchTrainer(g, CompositeLoss.of(ZeroShotN2NLoss.direct()), settings.learningRate(),
                    settings.halvingSteps());
        }
    }

    /**
     * A fresh residual net whose output layer is zero, so f(y) = 0 and the first output is the raw frame, getting
     * better from there: a progressive warm-up shows its first frames, and the default initialisation's are far
     * worse than the raw frame.
     */
    private static NetWeights residualStart(NetWeights w) {
        java.util.Arrays.fill(w.w3, 0f);
        w.b3[0] = 0f;
        return w;
    }

    /**
     * Adds a term to f's training objective beside the spatial ZS-N2N loss (e.g. {@link TemporalN2NLoss}). Worker
     * thread, before the first frame (f's optimiser starts afresh); kept across re-created nets.
     */
    public void addStage1Term(double weight, org.n2dlive.engine.LossTerm term) {
        extraWeight = weight;
        extraTerm = term;
        if (!engineReady && engineBuild == null) return; // the engine starts later, with this objective
        engineStarted(true);
        trainerF.close();
        trainerF = new TorchTrainer(f, stage1Objective(), settings.learningRate(), settings.halvingSteps());
    }

    /**
     * Installs weights in the nets in place, from the seed or from warm weights, with fresh optimiser state: what
     * {@link #createNets} does, without new native tensors between frames (a series switch would otherwise grow the
     * resident memory).
     */
    private void loadNets(WarmWeights from) {
        f.load(startF(from));
        trainerF.optimizer().reset();
        if (g != null) {
            g.load(startG(from));
            trainerG.optimizer().reset();
        }
    }

    /** f's start: the warm weights, or from the seed. */
    private NetWeights startF(WarmWeights from) {
        return from != null ? from.f : residualStart(NetWeights.initialise(settings.channels(), settings.seed()));
    }

    /** g's start: the warm weights' stage-3 net, or from its own seed. */
    private NetWeights startG(WarmWeights from) {
        return from != null && from.g != null ? from.g
                : NetWeights.initialise(settings.channels(), settings.seed() * 0x9E3779B97F4A7C15L + 1);
    }

    private CompositeLoss stage1Objective() {
        CompositeLoss l = CompositeLoss.of(stage1Loss);
        return extraTerm == null ? l : l.plus(extraWeight, extraTerm);
    }

    private void closeNets() {
        if (trainerF != null) trainerF.close();
        if (trainerG != null) trainerG.close();
        if (f != null) f.close();
        if (g != null) g.close();
        trainerF = null;
        trainerG = null;
        f = null;
        g = null;
    }

    /** f's optimiser (fault-injection tests poison its state). */
    TorchAdam optimizerF() {
        engineStarted(true);
        return trainerF.optimizer();
    }

    /** The learning rate f's next step will use (tests). */
    double learningRate() {
        return trainerF.optimizer().currentLearningRate();
    }

    public WarmStartSettings settings() {
        return settings;
    }

    public Device device() {
        engineStarted(true);
        return device;
    }

    /** The scene-change detector the next frame is observed by. */
    SceneChangeDetector scenes() {
        return warmUp.scenes;
    }

    /**
     * Observes the next frames with this detector (worker thread): one per series when the positions and z-slices
     * of a channel share this model ({@code SeriesDenoiser}), since each is its own scene and, compared with another
     * series' frame, every frame would look like a scene change.
     */
    void useScenes(SceneChangeDetector detector) {
        warmUp.scenes = detector;
    }

    private WarmUp newWarmUp() {
        return new WarmUp(settings.initialSteps(), settings.sceneChangeCorrelation());
    }

    /**
     * In live view ({@link DenoiseReport#liveView}), while warming up, train only and pass the input through, for a
     * caller with a better frame to show than a half-trained net's (the temporal stage: its fused frame, which on a
     * still scene halves the noise within four frames). The worker then takes more frames, and the caller's own
     * work on them shows at once. In RECORD every frame is processed anyway, and the blend of a warming net with
     * the fused frame measured better than the fused frame alone (cells-256 +0.7 dB), so nothing changes there.
     */
    public void passThroughWhileWarmingUp() {
        inferWhileWarmingUp = false;
    }

    /** Whether the last frame went through the nets (false: passed through while warming up). */
    public boolean inferredLastFrame() {
        return inferred;
    }

    /** The stated mapping in use for the current stream geometry (null before the first frame). */
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws GuardedFrameException {
        engineStarted(true);
        adapt(src, null, report);
        report.clippedPixels = range.countClipped(src, cropped);
        normalization.fromUnit(cropped, dst.reshape(src.type(), width, height));
    }

    @Override
    public boolean denoise(SeriesKey series, float[] input, Frame raw, double rawShare, float[] out, DenoiseReport report)
            throws GuardedFrameException {
        if (!(rawShare >= 0 && rawShare <= 1)) throw new IllegalArgumentException("raw step share must be in 0..1, got " + rawShare);
        if (input.length < raw.pixelCount() || out.length < raw.pixelCount()) {
            throw new IllegalArgumentException("input and output need " + raw.pixelCount() + " pixels, as the raw frame");
        }
        if (!engineStarted(!report.liveView)) {
            report.warmingUp = true;
            System.arraycopy(input, 0, out, 0, raw.pixelCount());
            return inferred = false;
        }
        rawTrainingFrame = rawShare > 0 ? raw : null;
        rawStepShare = rawShare;
        adapt(raw, input, report);
        report.clippedPixels = range.countClipped(raw, cropped);
        float s = (float) normalization.scale(), off = (float) normalization.offset();
        for (int i = 0, n = width * height; i < n; i++) out[i] = cropped[i] * s + off;
        return inferred;
    }

    /**
     * Trains within the frame's budget and denoises into {@link #cropped} (unit range): {@code values} (raw units,
     * unrounded: a fused frame is not rounded to counts only to be put in unit range again), or src's pixels for
     * null. src gives the geometry, the type and, on a new geometry, the mapping.
     */
    private void adapt(Frame src, float[] values, DenoiseReport report) throws GuardedFrameException {
        installPendingWeights();
        acceptCandidate();
        requireFinite(src);
        prepareGeometry(src);
        widenIfBrighter(values == null ? range.check(normalization, src)
                : range.check(normalization, values, src.pixelCount(), src.type()));
        if (values == null) normalization.toUnit(src, unit);
        else normalization.toUnit(values, src.pixelCount(), unit);
        if (warmUp.observe(unit, width, height, report)) restartSchedules();
        ReflectPad.pad(unit, width, height, padded, paddedWidth, paddedHeight);

        long t0 = clock.getAsLong();
        try (NDManager frame = base.newSubManager()) {
            NDArray x = TorchOps.tensor(frame, padded, padded.length, new Shape(1, 1, paddedHeight, paddedWidth));
            boolean passThrough = warmUp.stepsLeft() > 0 && !inferWhileWarmingUp && report.liveView;
            boolean trained = true;
            if (warmUp.stepsLeft() > 0) {
                report.warmingUp = true;
                // Passing through in live view, the warm-up takes at most half the worker's time: the other half
                // fuses the frames that would otherwise be dropped while it trains.
                trained = !passThrough || t0 - warmupTrainEnd >= warmupTrainNanos;
                if (trained) {
                    warmUp.stepsDone(train(frame, x, report, t0, settings.warmupBudgetMs(), warmUp.stepsLeft(), settings.initialCrop()));
                    warmupTrainEnd = clock.getAsLong();
                    warmupTrainNanos = warmupTrainEnd - t0;
                }
            } else {
                train(frame, x, report, t0, settings.frameBudgetMs(), settings.adaptSteps(), settings.adaptCrop());
            }
            long t1 = clock.getAsLong();
            report.adaptNanos = t1 - t0;
            if (trained && !Double.isFinite(report.adaptationLoss)) refuse("the adaptation loss is " + report.adaptationLoss);
            // one copy of the adapted weights serves the inference backend and the snapshot other threads read
            WarmWeights adapted = new WarmWeights(f.snapshot(), g == null ? null : g.snapshot());
            String bad = nonFinite(adapted);
            if (bad != null) refuse(bad);
            inferred = !passThrough;
            if (inferred) infer(x, adapted, report.warmingUp);
            else System.arraycopy(padded, 0, stageOut[stageOut.length - 1], 0, padded.length);
            report.inferNanos = clock.getAsLong() - t1;
            float[] out = stageOut[stageOut.length - 1];
            for (int i = 0; i < out.length; i++) {
                if (!Float.isFinite(out[i])) refuse("output pixel " + i + " of the padded frame is " + out[i]);
            }
            latest = adapted;
            candidate = adapted;
        }
        report.refits = warmUp.refits();
        ReflectPad.crop(stageOut[stageOut.length - 1], paddedWidth, cropped, width, height);
    }

    /**
     * Whether the engine part is there: started before, started now, or (for {@code wait} false, while libtorch is
     * still loading) not yet; the load then goes on in the background.
     */
    private boolean engineStarted(boolean wait) {
        if (engineReady) return true;
        if (!wait && engineBuild == null) {
            if (TorchRuntime.ready(settings.device(), settings.channels())) engineBuild = buildOffWorker();
            else TorchRuntime.preloadInBackground(settings.device(), settings.channels());
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

    /** {@link #startEngine} on a daemon thread that takes the worker's context class loader (DJL's engines). */
    private CompletableFuture<Void> buildOffWorker() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                startEngine();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "n2d-model-start");
        t.setDaemon(true);
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        t.start();
        return done;
    }

    /** The previous frame's output passed the stream's check: its weights are the new rollback point. */
    private void acceptCandidate() {
        if (candidate == null) return;
        lastGood = candidate;
        candidate = null;
        if (goodFrames++ % ADAM_SAVE_EVERY == 0 || lastGoodAdamF == null) {
            lastGoodAdamF = trainerF.optimizer().save();
            lastGoodAdamG = g == null ? null : trainerG.optimizer().save();
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
        if (lastGood != null) {
            loadNets(lastGood);
            if (lastGoodAdamF != null) trainerF.optimizer().restore(lastGoodAdamF);
            if (g != null && lastGoodAdamG != null) trainerG.optimizer().restore(lastGoodAdamG);
            latest = lastGood;
        } else {
            loadNets(null);
            latest = null;
        }
        warmUp.restart();
    }

    @Override
    public boolean learns() {
        return true;
    }

    @Override
    public void outputRejected(SeriesKey series, String reason) {
        rollBack();
    }

    /**
     * A frame brighter than the mapping allows (a flash, a cell moving in, a longer exposure) widens it before it
     * is denoised; the nets and their optimiser state are rescaled to the new units, exactly (see
     * {@link TorchNet#rescaleInput}), so nothing clips, nothing is re-fitted and the scene detector, which is free of
     * scale, sees no change.
     */
    private void widenIfBrighter(Normalization wider) {
        if (wider == normalization) return;
        float a = (float) (normalization.scale() / wider.scale());
        f.rescaleInput(a);
        trainerF.optimizer().rescaleInput(a);
        if (g != null) {
            g.rescaleInput(a);
            trainerG.optimizer().rescaleInput(a);
        }
        normalization = wider;
    }

    /**
     * A re-fit starts the learning-rate schedule again from the base rate: after 10 min of live view at ~10 steps/s,
     * 1/64 of it is left. Not faster (see docs/design.md). Adam's state is kept: reset on a trained net, its first
     * bias-corrected steps move every weight by about the full learning rate.
     */
    private void restartSchedules() {
        trainerF.optimizer().restartSchedule();
        if (trainerG != null) trainerG.optimizer().restartSchedule();
    }

    private static void requireFinite(Frame src) {
        if (src.type() != PixelType.FLOAT32) return;
        float[] p = src.floats();
        for (int i = 0; i < src.pixelCount(); i++) {
            if (!Float.isFinite(p[i])) {
                throw new IllegalArgumentException("pixel (" + (i % src.width()) + "," + (i / src.width())
                        + ") is " + p[i] + "; frames must hold finite values");
            }
        }
    }

    /** (Re)allocates buffers for a new size or pixel type; a change of either forces a re-fit. */
    private void prepareGeometry(Frame src) {
        boolean typeChanged = src.type() != type;
        boolean sizeChanged = src.width() != width || src.height() != height;
        if (!typeChanged && !sizeChanged) return;
        String reason = null;
        if (type != null) {
            reason = typeChanged
                    ? "bit depth changed: " + type + " -> " + src.type()
                    : "frame size changed: " + width + "x" + height + " -> " + src.width() + "x" + src.height();
            if (typeChanged) createNets(null); // a different bit depth is a different stream: start clean
        }
        warmUp.geometryChanged(reason);
        type = src.type();
        allocate(src.width(), src.height());
        normalization = normalizationRule.resolve(src);
    }

    private void allocate(int w, int h) {
        width = w;
        height = h;
        paddedWidth = ReflectPad.paddedSize(width, 4);
        paddedHeight = ReflectPad.paddedSize(height, 4);
        unit = new float[width * height];
        padded = new float[paddedWidth * paddedHeight];
        cropped = new float[width * height];
        stageOut = new float[settings.pipeline().stages()][];
        stageOut[stageOut.length - 1] = new float[paddedWidth * paddedHeight];
        warmupStageOut = new float[Pipeline.ENSEMBLE.stages()][];
        warmupStageOut[warmupStageOut.length - 1] = stageOut[stageOut.length - 1];
    }

    /**
     * Steps of each net on random crops of {@code crop}, at most {@code maxSteps}, stopping when the next step
     * (predicted as the mean of this frame's steps so far) would overrun {@code budgetMs} from {@code t0}. One step
     * always runs, so the model learns on every frame. Fills the report's steps and mean stage-1 loss.
     *
     * @return the steps run (per net)
     */
    private int train(NDManager frame, NDArray x, DenoiseReport report, long t0, double budgetMs, int maxSteps, int crop) {
        NDArray xRaw = null;
        if (rawTrainingFrame != null && rawStepShare > 0) {
            if (rawTrainingFrame.width() != width || rawTrainingFrame.height() != height || rawTrainingFrame.type() != type) {
                throw new IllegalArgumentException("the raw training frame (" + rawTrainingFrame.width() + "x" + rawTrainingFrame.height()
                        + " " + rawTrainingFrame.type() + ") does not match the frame (" + width + "x" + height + " " + type + ")");
            }
            if (rawUnit == null || rawUnit.length != unit.length) {
                rawUnit = new float[unit.length];
                rawPadded = new float[padded.length];
            }
            normalization.toUnit(rawTrainingFrame, rawUnit);
            ReflectPad.pad(rawUnit, width, height, rawPadded, paddedWidth, paddedHeight);
            xRaw = TorchOps.tensor(frame, rawPadded, rawPadded.length, new Shape(1, 1, paddedHeight, paddedWidth));
        }
        rawTrainingFrame = null;
        double budgetNanos = budgetMs * 1e6;
        double sum = 0;
        int done = 0;
        for (int i = 0; i < maxSteps; i++) {
            long elapsed = clock.getAsLong() - t0;
            if (i > 0 && elapsed + (double) elapsed / i > budgetNanos) break;
            try (NDManager step = frame.newSubManager()) {
                // drawn from the series' own generator, so a parked and resumed series repeats its sequence exactly
                boolean onRaw = xRaw != null && random.nextDouble() < rawStepShare;
                NDArray c = randomCrop(onRaw ? xRaw : x, crop);
                c.attach(step);
                sum += trainerF.step(step, c, c);
                if (g != null) trainerG.step(step, stage2(step, c), c);
            }
            done++;
        }
        report.adaptationSteps += done * (g == null ? 1 : 2);
        report.adaptationLoss = done == 0 ? Double.NaN : sum / done;
        return done;
    }

    /** The stage-2 image of x with the current f, as training input for g (no gradients). */
    private NDArray stage2(NDManager m, NDArray x) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            NDArray s1 = TorchOps.denoise(f, x);
            NDArray z = TorchOps.ensemble(f, x, s1);
            z.attach(m);
            return z;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * The configured pipeline on the full frame; while warming up, the full pipeline stops at stage 2: g starts
     * untrained (it maps the stage-2 image to the noisy halves, no residual) and its early output is no image.
     */
    private void infer(NDArray x, WarmWeights weights, boolean warmingUp) {
        boolean stopAtStage2 = warmingUp && settings.pipeline() == Pipeline.FULL;
        Pipeline pipeline = stopAtStage2 ? Pipeline.ENSEMBLE : settings.pipeline();
        float[][] out = stopAtStage2 ? warmupStageOut : stageOut;
        inference.setWeights(weights.f, weights.g); // changes nothing for PyTorch on the live nets
        frameOnDevice = x; // PyTorch on the live nets infers on it: the frame is not uploaded a second time
        try {
            inference.infer(padded, paddedWidth, paddedHeight, pipeline, out);
        } finally {
            frameOnDevice = null;
        }
    }

    private NDArray randomCrop(NDArray x, int size) {
        int ch = Math.min(size, paddedHeight);
        int cw = Math.min(size, paddedWidth);
        int r0 = random.nextInt(paddedHeight - ch + 1);
        int c0 = random.nextInt(paddedWidth - cw + 1);
        return x.get(":, :, " + r0 + ":" + (r0 + ch) + ", " + c0 + ":" + (c0 + cw));
    }

    /**
     * Denoises another frame of the last frame's geometry and type with the weights that frame was denoised with:
     * no training, no scene detection, no change of the mapping. The temporal stage runs the raw frame through it
     * where the fused frame is fresh (see {@code TemporalDenoiser}). {@code pipeline} runs at most the configured
     * stages' nets that exist (FULL needs g). Writes raw units, unrounded, into {@code out}.
     */
    @Override
    public void denoiseAgain(Frame other, Pipeline pipeline, float[] out) {
        prepareAgain(other, pipeline);
        float[][] slots = againSlots(pipeline);
        inference.infer(againPadded, paddedWidth, paddedHeight, pipeline, slots); // the weights of the last denoise
        toRawUnits(slots[slots.length - 1], out);
    }

    /**
     * As {@link #denoiseAgain(Frame, Pipeline, float[])}, inside {@code tiles} only (its pipeline; its geometry the
     * padded frame's, {@link #paddedSize}): there {@code out} gets exactly the whole-frame values, elsewhere it holds
     * nothing meaningful. Where a few percent of the frame need it, this costs a few percent of the whole frame.
     */
    @Override
    public void denoiseAgain(Frame other, TileMosaic tiles, float[] out) {
        Pipeline pipeline = tiles.pipeline();
        prepareAgain(other, pipeline);
        if (tiles.width() != paddedWidth || tiles.height() != paddedHeight) {
            throw new IllegalArgumentException("the tiles are laid on " + tiles.width() + "x" + tiles.height()
                    + ", the padded frame is " + paddedWidth + "x" + paddedHeight);
        }
        float[] result = againSlots(pipeline)[pipeline.stages() - 1];
        tiles.run(inference, againPadded, result); // the weights of the last denoise
        toRawUnits(result, out);
    }

    /** The padded size of a frame side: what {@link TileMosaic} tiles and inference see (a multiple of 4). */
    public static int paddedSize(int side) {
        return ReflectPad.paddedSize(side, 4);
    }

    private void prepareAgain(Frame other, Pipeline pipeline) {
        if (normalization == null) throw new IllegalStateException("no frame denoised yet");
        if (other.width() != width || other.height() != height || other.type() != type) {
            throw new IllegalArgumentException("the frame to denoise again (" + other.width() + "x" + other.height() + " "
                    + other.type() + ") does not match the last frame (" + width + "x" + height + " " + type + ")");
        }
        if (pipeline == Pipeline.FULL && g == null) throw new IllegalArgumentException("pipeline FULL needs stage 3, which this model does not run");
        requireFinite(other);
        if (againUnit == null || againUnit.length != unit.length) {
            againUnit = new float[unit.length];
            againPadded = new float[padded.length];
            againOut = new float[Pipeline.values().length][][];
        }
        normalization.toUnit(other, againUnit);
        ReflectPad.pad(againUnit, width, height, againPadded, paddedWidth, paddedHeight);
    }

    /** Crops a padded unit-range image into raw units, unrounded. */
    private void toRawUnits(float[] paddedUnit, float[] out) {
        ReflectPad.crop(paddedUnit, paddedWidth, againUnit, width, height);
        float s = (float) normalization.scale(), off = (float) normalization.offset();
        for (int i = 0; i < width * height; i++) out[i] = againUnit[i] * s + off;
    }

    /** Output slots for {@code pipeline} in {@link #denoiseAgain}: only the last stage is kept (per geometry). */
    private float[][] againSlots(Pipeline pipeline) {
        int k = pipeline.ordinal();
        if (againOut[k] == null || againOut[k].length != pipeline.stages()
                || againOut[k][pipeline.stages() - 1].length != padded.length) {
            againOut[k] = new float[pipeline.stages()][];
            againOut[k][pipeline.stages() - 1] = new float[padded.length];
        }
        return againOut[k];
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
        loadNets(w);
        warmUp.weightsLoaded(warmUpAfterLoad);
        warmUpAfterLoad = false;
        latest = w;
    }

    /**
     * Everything this model has learned of the series it serves, copied out so that the model can serve another
     * ({@link #resume}); the model keeps its nets, optimiser, engine and buffers. Worker thread.
     */
    SeriesState suspend() {
        engineStarted(true);
        installPendingWeights();
        acceptCandidate(); // the stream checked this series' last output before it moved on
        WarmWeights w = new WarmWeights(f.snapshot(), g == null ? null : g.snapshot());
        return new SeriesState(w, trainerF.optimizer().save(), g == null ? null : trainerG.optimizer().save(), type,
                width, height, normalization, range, warmUp, random);
    }

    /**
     * Serves a series from here on: the one {@link #suspend} copied out (exactly as it was: the next frame comes out
     * as if the model had never served another), or, for null, a series never seen, as a newly built model would
     * (weights from the seed, first-frame warm-up; weights may then be queued with {@link #loadWeights}). It
     * replaces building a model for each returning series, which cost a build on every visit and lost the series'
     * optimiser state and mapping. Worker thread.
     */
    void resume(SeriesState s) {
        engineStarted(true);
        pending.set(null);
        warmUpAfterLoad = false;
        candidate = null;
        goodFrames = 0;
        lastGood = s == null || !s.complete() ? null : s.weights;
        lastGoodAdamF = s == null || !s.complete() ? null : s.adamF;
        lastGoodAdamG = s == null || !s.complete() ? null : s.adamG;
        if (s == null || !s.complete()) {
            loadNets(null);
            random = new Random(settings.seed());
            range = new RangeGuard();
            warmUp = newWarmUp();
            type = null;
            normalization = null;
            latest = null;
            if (s != null) loadWeights(s.weights);
            return;
        }
        if ((s.adamG != null) != (settings.pipeline() == Pipeline.FULL)) {
            throw new IllegalArgumentException("the parked state is for another pipeline");
        }
        loadNets(s.weights);
        trainerF.optimizer().restore(s.adamF);
        if (g != null) trainerG.optimizer().restore(s.adamG);
        type = s.type;
        if (s.type != null && (s.width != width || s.height != height || unit == null)) allocate(s.width, s.height);
        normalization = s.normalization;
        range = s.range;
        warmUp = s.warmUp;
        random = s.random;
        latest = s.weights;
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
        closeNets();
        if (inference != null) inference.close();
        if (base != null) base.close();
    }
}
