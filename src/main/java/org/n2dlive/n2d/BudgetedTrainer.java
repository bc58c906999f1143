package org.n2dlive.n2d;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.n2dlive.engine.LossTerm;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.pytorch.TorchAdam;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.ReflectPad;
import org.n2dlive.stream.DenoiseReport;

/**
 * The nets of a {@link WarmStartDenoiser} (f, and g for the full pipeline), their Adam optimisers, and the training
 * loop within a frame's time budget: Zero-Shot Noise2Noise steps on random crops, a share of them on the raw frame
 * behind a fused one. The nets' tensors are native and serve every series of the model in turn; a series' own
 * weights and moments are copied out only when it is parked ({@link SeriesState#park}).
 *
 * <p>Threading: the worker's (the nets and DJL managers belong to it); a deferred model starts it on a thread of
 * its own and hands it over complete (see {@link WarmStartDenoiser#deferringEngine}).
 */
final class BudgetedTrainer implements AutoCloseable {
    private final WarmStartSettings settings;
    private final LongSupplier clock;
    private final ZeroShotN2NLoss stage1Loss = ZeroShotN2NLoss.residual();
    private LossTerm extraTerm; // null: the spatial term alone
    private double extraWeight;
    private NDManager base;
    private Device device;
    private TorchNet f;
    private TorchNet g;
    private TorchTrainer trainerF;
    private TorchTrainer trainerG;
    /** The raw frame behind a fused one, for the share of this frame's steps that adapt to raw noise. */
    private Frame rawFrame;
    private double rawShare;
    /** A training crop on its way to the engine (the largest crop size so far). */
    private float[] cropBuffer;

    BudgetedTrainer(WarmStartSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Fresh nets from the seed on the engine's device (the engine starts once). */
    void start(NDManager base, Device device) {
        this.base = base;
        this.device = device;
        create();
    }

    /** One training step of a throwaway net of the nets' shape: the engine's first-use cost, paid before a frame. */
    void prewarm(float[] y, int size) {
        try (NDManager m = base.newSubManager();
             TorchNet net = new TorchNet(base, device, NetWeights.initialise(settings.channels(), settings.seed()));
             TorchTrainer trainer = new TorchTrainer(net, CompositeLoss.of(stage1Loss), settings.learningRate(), settings.halvingSteps())) {
            NDArray x = TorchOps.tensor(m, y, y.length, new Shape(1, 1, size, size));
            trainer.step(m, x, x);
        }
    }

    /** Fresh nets from the seed, with fresh optimisers. */
    void create() {
        close();
        f = new TorchNet(base, device, startF(null));
        trainerF = new TorchTrainer(f, stage1Objective(), settings.learningRate(), settings.halvingSteps());
        if (settings.pipeline() == Pipeline.FULL) {
            g = new TorchNet(base, device, startG(null));
            trainerG = new TorchTrainer(g, CompositeLoss.of(ZeroShotN2NLoss.direct()), settings.learningRate(),
                    settings.halvingSteps());
        }
    }

    /**
     * Installs weights in the nets in place, from the seed or from warm weights, with fresh optimiser state: what
     * {@link #create} does, without new native tensors between frames (a series switch would otherwise grow the
     * resident memory).
     */
    void load(WarmWeights from) {
        f.load(startF(from));
        trainerF.optimizer().reset();
        if (g != null) {
            g.load(startG(from));
            trainerG.optimizer().reset();
        }
    }

    /**
     * f's start: the warm weights, or from the seed with a zero output layer, so f(y) = 0 and the first output is the
     * raw frame, getting better from there (the default initialisation's first frames are far worse than the raw one).
     */
    private NetWeights startF(WarmWeights from) {
        if (from != null) return from.f;
        NetWeights w = NetWeights.initialise(settings.channels(), settings.seed());
        Arrays.fill(w.w3, 0f);
        w.b3[0] = 0f;
        return w;
    }

    /** g's start: the warm weights' stage-3 net, or from its own seed. */
    private NetWeights startG(WarmWeights from) {
        return from != null && from.g != null ? from.g
                : NetWeights.initialise(settings.channels(), settings.seed() * 0x9E3779B97F4A7C15L + 1);
    }

    /** Adds a term to f's objective beside the spatial loss; f's optimiser starts afresh, and re-created nets keep it. */
    void addStage1Term(double weight, LossTerm term) {
        extraWeight = weight;
        extraTerm = term;
        if (trainerF == null) return; // the engine starts later, with this objective
        trainerF.close();
        trainerF = new TorchTrainer(f, stage1Objective(), settings.learningRate(), settings.halvingSteps());
    }

    private CompositeLoss stage1Objective() {
        CompositeLoss l = CompositeLoss.of(stage1Loss);
        return extraTerm == null ? l : l.plus(extraWeight, extraTerm);
    }

    /** Null before the engine starts. */
    TorchNet f() {
        return f;
    }

    /** Null unless the full pipeline runs. */
    TorchNet g() {
        return g;
    }

    TorchAdam optimizerF() {
        return trainerF.optimizer();
    }

    /** The nets' weights, copied to Java memory. */
    WarmWeights snapshot() {
        return new WarmWeights(f.snapshot(), g == null ? null : g.snapshot());
    }

    /** Copies of Adam's moments (g's null without g). */
    TorchAdam.State adamF() {
        return trainerF.optimizer().save();
    }

    TorchAdam.State adamG() {
        return g == null ? null : trainerG.optimizer().save();
    }

    /** Puts back moments {@link #adamF}/{@link #adamG} copied; a null one is left as it is. */
    void restoreAdam(TorchAdam.State forF, TorchAdam.State forG) {
        if (forF != null) trainerF.optimizer().restore(forF);
        if (g != null && forG != null) trainerG.optimizer().restore(forG);
    }

    /** The nets and their optimiser state carried into input units {@code a} times the old (a widened mapping). */
    void rescaleInput(float a) {
        f.rescaleInput(a);
        trainerF.optimizer().rescaleInput(a);
        if (g != null) {
            g.rescaleInput(a);
            trainerG.optimizer().rescaleInput(a);
        }
    }

    /**
     * A re-fit starts the learning-rate schedule again from the base rate: after 10 min of live view at ~10 steps/s,
     * 1/64 of it is left. Not faster (see docs/design.md). Adam's state is kept: reset on a trained net, its first
     * bias-corrected steps move every weight by about the full learning rate.
     */
    void restartSchedules() {
        trainerF.optimizer().restartSchedule();
        if (trainerG != null) trainerG.optimizer().restartSchedule();
    }

    /** The raw frame behind the next frame's fused one, and the share of its steps that crop it (null, 0: none). */
    void alsoOnRaw(Frame raw, double share) {
        rawFrame = raw;
        rawShare = share;
    }

    /**
     * Steps of each net on random crops of {@code crop} of the series' frame ({@code padded}: padded, unit range), at
     * most {@code maxSteps}, stopping when the next step (predicted as the mean of this frame's steps so far) would
     * overrun {@code budgetMs} from {@code t0}. One step always runs, so the model learns on every frame. The crops
     * come from the series' own generator, so a parked and resumed series repeats its sequence exactly. Only the crops
     * go to the engine (a 2048² frame is 16 MB; a step reads 64² to 256² of it). Fills the report's steps and mean
     * stage-1 loss.
     *
     * @return the steps run (per net)
     */
    int train(NDManager frame, float[] padded, int paddedWidth, int paddedHeight, SeriesState series, DenoiseReport report,
              long t0, double budgetMs, int maxSteps, int crop) {
        Frame raw = rawFrame != null && rawShare > 0 ? rawFrame : null;
        if (raw != null) series.requireGeometry(raw, "the raw training frame", "the frame");
        rawFrame = null;
        int ch = Math.min(crop, paddedHeight), cw = Math.min(crop, paddedWidth);
        if (cropBuffer == null || cropBuffer.length < ch * cw) cropBuffer = new float[ch * cw];
        Shape cropShape = new Shape(1, 1, ch, cw);
        double budgetNanos = budgetMs * 1e6;
        double sum = 0;
        int done = 0;
        for (int i = 0; i < maxSteps; i++) {
            long elapsed = clock.getAsLong() - t0;
            if (i > 0 && elapsed + (double) elapsed / i > budgetNanos) break;
            try (NDManager step = frame.newSubManager()) {
                boolean onRaw = raw != null && series.random.nextDouble() < rawShare;
                int r0 = series.random.nextInt(paddedHeight - ch + 1);
                int c0 = series.random.nextInt(paddedWidth - cw + 1);
                if (onRaw) rawWindow(raw, series, r0, c0, ch, cw, cropBuffer);
                else ReflectPad.window(padded, paddedWidth, r0, c0, ch, cw, cropBuffer);
                NDArray c = TorchOps.crop(step, cropBuffer, ch * cw, cropShape);
                sum += trainerF.step(step, c, c);
                if (g != null) trainerG.step(step, stage2(step, c), c);
            }
            done++;
        }
        report.adaptationSteps += done * (g == null ? 1 : 2);
        report.adaptationLoss = done == 0 ? Double.NaN : sum / done;
        return done;
    }

    /**
     * The window of the raw frame, normalised and padded as the series' frame is, without normalising or padding the
     * rest of it: the same floats as a window of the whole padded frame.
     */
    private static void rawWindow(Frame raw, SeriesState series, int r0, int c0, int ch, int cw, float[] dst) {
        int w = series.width, h = series.height;
        for (int y = 0; y < ch; y++) {
            int row = ReflectPad.mirror(r0 + y, h) * w;
            for (int x = 0; x < cw; x++) dst[y * cw + x] = series.normalization.toUnit(raw, row + ReflectPad.mirror(c0 + x, w));
        }
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

    @Override
    public void close() {
        if (trainerF != null) trainerF.close();
        if (trainerG != null) trainerG.close();
        if (f != null) f.close();
        if (g != null) g.close();
        trainerF = null;
        trainerG = null;
        f = null;
        g = null;
    }
}
