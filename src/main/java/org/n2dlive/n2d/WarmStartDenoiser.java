package org.n2dlive.n2d;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.pytorch.TorchInference;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.ReflectPad;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * Noise2Detail on a stream: the nets are fitted once, then carried from frame to frame. Consecutive frames
 * are fresh noise draws of nearly the same scene, so a few Zero-Shot Noise2Noise steps per frame keep
 * improving the model instead of starting over (2 × 2000 steps per image in full mode).
 *
 * <p>Per frame: (1) on the first frame, a size/bit-depth change, a detected scene change or when no weights
 * were loaded: fit f (and g) for {@code initial_steps} on a centre crop; otherwise (2) adapt: up to
 * {@code adapt_steps} steps of f and of g on random crops, within {@code frame_budget_ms}; then (3) run the
 * configured pipeline on the full frame. Adam state carries over between frames.
 *
 * <p>Threading: everything but {@link #latestWeights()} and {@link #loadWeights} runs on the one worker thread
 * that created it (models, grad mode and DJL managers belong to it). Those two are safe from any thread: the
 * worker publishes a snapshot after every frame and installs loaded weights at the start of the next.
 */
public final class WarmStartDenoiser implements FrameDenoiser {
    private static final int SCENE_WARMUP_FRAMES = 5;

    private final WarmStartSettings settings;
    private final Device device;
    private final NDManager base;
    private final InferenceBackend separateInference; // null: PyTorch inference on the live nets
    private final Random random;
    private final Normalization fixedNormalization; // null: estimated from the first frame of each geometry
    private final ZeroShotN2NLoss stage1Loss = ZeroShotN2NLoss.residual();
    private org.n2dlive.engine.LossTerm extraTerm; // null: the spatial term alone
    private double extraWeight;

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
    private float[] cropped;

    private boolean needsFit = true;
    private double lossAverage = Double.NaN;
    private int framesSinceFit;
    private long frames;

    private volatile WarmWeights latest;
    private final AtomicReference<WarmWeights> pending = new AtomicReference<>();

    /**
     * @param settings           how to fit and adapt
     * @param separateInference  backend for full-frame inference (e.g. ONNX Runtime); null runs PyTorch on the
     *                           live nets. Owned (closed) by this denoiser.
     */
    public WarmStartDenoiser(WarmStartSettings settings, InferenceBackend separateInference) {
        this.settings = settings;
        this.device = Devices.resolve(settings.device());
        this.base = NDManager.newBaseManager(device, "PyTorch");
        this.separateInference = separateInference;
        this.random = new Random(settings.seed());
        this.fixedNormalization = parseNormalization(settings.normalization());
        JniUtils.setGradMode(false); // this thread infers; training turns it on only inside a step
        createNets(null);
    }

    public WarmStartDenoiser(WarmStartSettings settings) {
        this(settings, null);
    }

    /**
     * The model a profile describes. Engine "auto" infers with ONNX Runtime on the CPU (the fastest CPU forward
     * measured here, and a session rebuild per frame costs only a few ms) and with PyTorch on a GPU.
     */
    public static WarmStartDenoiser create(org.n2dlive.profile.Profile profile) {
        WarmStartSettings s = WarmStartSettings.from(profile);
        InferenceBackend inference = inferenceFor(s);
        try {
            return new WarmStartDenoiser(s, inference);
        } catch (RuntimeException | Error e) {
            if (inference != null) inference.close();
            throw e;
        }
    }

    private static InferenceBackend inferenceFor(WarmStartSettings s) {
        switch (s.engine()) {
            case ONNX:
                return org.n2dlive.n2d.Backends.create("onnx", Device.cpu());
            case AUTO:
                return Devices.resolve(s.device()).isGpu() ? null : org.n2dlive.n2d.Backends.create("onnx", Device.cpu());
            default:
                return null;
        }
    }

    /** Fresh nets with fresh optimisers: from the seed, or from warm weights. */
    private void createNets(WarmWeights from) {
        closeNets();
        long seed = settings.seed();
        f = new TorchNet(base, device, from != null ? from.f : NetWeights.initialise(settings.channels(), seed));
        trainerF = new TorchTrainer(f, stage1Objective(), settings.learningRate(), settings.halvingSteps());
        if (settings.pipeline() == Pipeline.FULL) {
            g = new TorchNet(base, device, from != null && from.g != null ? from.g
                    : NetWeights.initialise(settings.channels(), seed * 0x9E3779B97F4A7C15L + 1));
            trainerG = new TorchTrainer(g, CompositeLoss.of(ZeroShotN2NLoss.direct()), settings.learningRate(),
                    settings.halvingSteps());
        }
    }

    /**
     * Adds a term to f's training objective beside the spatial ZS-N2N loss (e.g. {@link TemporalN2NLoss}). Worker
     * thread; kept across re-created nets.
     */
    public void addStage1Term(double weight, org.n2dlive.engine.LossTerm term) {
        extraWeight = weight;
        extraTerm = term;
        trainerF.setLoss(stage1Objective());
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

    /** Normalization "auto" (null here), "full-range" (resolved per pixel type), or "offset,scale". */
    static Normalization parseNormalization(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto") || s.equals("full-range")) return null;
        String[] parts = s.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("normalization must be auto, full-range or <offset>,<scale>, got '" + spec + "'");
        }
        try {
            return new Normalization(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("normalization must be auto, full-range or <offset>,<scale>, got '" + spec + "'");
        }
    }

    public WarmStartSettings settings() {
        return settings;
    }

    public Device device() {
        return device;
    }

    /** The stated mapping in use for the current stream geometry (null before the first frame). */
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) {
        installPendingWeights();
        requireFinite(src);
        prepareGeometry(src);
        normalization.toUnit(src, unit);
        ReflectPad.pad(unit, width, height, padded, paddedWidth, paddedHeight);

        long t0 = System.nanoTime();
        try (NDManager frame = base.newSubManager()) {
            NDArray x = TorchOps.tensor(frame, padded, padded.length, new Shape(1, 1, paddedHeight, paddedWidth));
            if (needsFit) {
                fit(frame, x, report);
            } else {
                double loss = adapt(frame, x, report, t0);
                if (isSceneChange(loss)) fit(frame, x, report);
            }
            long t1 = System.nanoTime();
            report.adaptNanos = t1 - t0;
            // one copy of the adapted weights serves the inference backend and the snapshot other threads read
            WarmWeights adapted = new WarmWeights(f.snapshot(), g == null ? null : g.snapshot());
            infer(frame, adapted);
            report.inferNanos = System.nanoTime() - t1;
            latest = adapted;
        }
        ReflectPad.crop(stageOut[stageOut.length - 1], paddedWidth, cropped, width, height);
        normalization.fromUnit(cropped, dst.reshape(src.type(), width, height));
        frames++;
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
        if (type != null && typeChanged) {
            createNets(null); // a different bit depth is a different stream: start clean
        }
        if (type != null) needsFit = true;
        type = src.type();
        width = src.width();
        height = src.height();
        paddedWidth = ReflectPad.paddedSize(width, 4);
        paddedHeight = ReflectPad.paddedSize(height, 4);
        unit = new float[width * height];
        padded = new float[paddedWidth * paddedHeight];
        cropped = new float[width * height];
        stageOut = new float[settings.pipeline().stages()][];
        stageOut[stageOut.length - 1] = new float[paddedWidth * paddedHeight];
        if (fixedNormalization != null) {
            normalization = fixedNormalization;
        } else if (settings.normalization().equalsIgnoreCase("full-range")) {
            normalization = Normalization.fullRange(type);
        } else {
            normalization = Normalization.fromFrame(src, 1.25);
        }
    }

    /** Initial fit (or re-fit) on a centre crop: f with the residual loss, then g on f's stage-2 image. */
    private void fit(NDManager frame, NDArray x, DenoiseReport report) {
        NDArray crop = centreCrop(x, settings.initialCrop());
        trainerF.optimizer().reset();
        double loss = Double.NaN;
        for (int i = 0; i < settings.initialSteps(); i++) loss = trainerF.step(frame, crop, crop);
        if (g != null) {
            trainerG.optimizer().reset();
            NDArray z = stage2(frame, crop);
            for (int i = 0; i < settings.initialSteps(); i++) trainerG.step(frame, z, crop);
        }
        report.refitted = true;
        report.adaptationSteps += settings.initialSteps() * (g == null ? 1 : 2);
        report.adaptationLoss = loss;
        needsFit = false;
        framesSinceFit = 0;
        lossAverage = Double.NaN;
    }

    /**
     * Up to adapt_steps steps of each net on random crops, stopping early when the next step would overrun
     * the frame budget (one step always runs, so the model keeps learning on every frame).
     *
     * @return the mean stage-1 loss of this frame's steps (NaN if none)
     */
    private double adapt(NDManager frame, NDArray x, DenoiseReport report, long t0) {
        double budgetNanos = settings.frameBudgetMs() * 1e6;
        double sum = 0;
        int done = 0;
        for (int i = 0; i < settings.adaptSteps(); i++) {
            long elapsed = System.nanoTime() - t0;
            if (i > 0 && elapsed + (double) elapsed / i > budgetNanos) break;
            try (NDManager step = frame.newSubManager()) {
                NDArray crop = randomCrop(x, settings.adaptCrop());
                crop.attach(step);
                sum += trainerF.step(step, crop, crop);
                if (g != null) trainerG.step(step, stage2(step, crop), crop);
            }
            done++;
        }
        report.adaptationSteps += done * (g == null ? 1 : 2);
        double mean = done == 0 ? Double.NaN : sum / done;
        report.adaptationLoss = mean;
        return mean;
    }

    /** A jump of the adaptation loss well above its running average means the scene changed. */
    private boolean isSceneChange(double loss) {
        if (Double.isNaN(loss)) return false;
        framesSinceFit++;
        if (Double.isNaN(lossAverage)) {
            lossAverage = loss;
            return false;
        }
        if (framesSinceFit > SCENE_WARMUP_FRAMES && loss > settings.sceneChangeFactor() * lossAverage) return true;
        lossAverage = 0.9 * lossAverage + 0.1 * loss;
        return false;
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

    private void infer(NDManager frame, WarmWeights weights) {
        if (separateInference != null) {
            separateInference.setWeights(weights.f, weights.g);
            separateInference.infer(padded, paddedWidth, paddedHeight, settings.pipeline(), stageOut);
        } else {
            TorchInference.run(frame, f, g, padded, paddedWidth, paddedHeight, settings.pipeline(), stageOut);
        }
    }

    private NDArray centreCrop(NDArray x, int size) {
        int ch = Math.min(size, paddedHeight);
        int cw = Math.min(size, paddedWidth);
        int r0 = ((paddedHeight - ch) / 2) & ~1;
        int c0 = ((paddedWidth - cw) / 2) & ~1;
        return x.get(":, :, " + r0 + ":" + (r0 + ch) + ", " + c0 + ":" + (c0 + cw));
    }

    private NDArray randomCrop(NDArray x, int size) {
        int ch = Math.min(size, paddedHeight);
        int cw = Math.min(size, paddedWidth);
        int r0 = random.nextInt(paddedHeight - ch + 1);
        int c0 = random.nextInt(paddedWidth - cw + 1);
        return x.get(":, :, " + r0 + ":" + (r0 + ch) + ", " + c0 + ":" + (c0 + cw));
    }

    /** The weights after the last frame (any thread); null before the first frame. */
    public WarmWeights latestWeights() {
        return latest;
    }

    /**
     * Queues weights to install before the next frame (any thread). The next frame then adapts instead of
     * fitting from scratch: a session starts warm.
     */
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

    private void installPendingWeights() {
        WarmWeights w = pending.getAndSet(null);
        if (w == null) return;
        createNets(w);
        needsFit = false;
        framesSinceFit = 0;
        lossAverage = Double.NaN;
        latest = w;
    }

    @Override
    public String weightsFingerprint() {
        WarmWeights w = latest;
        return w == null ? "" : w.fingerprint();
    }

    /** Frames denoised so far. */
    public long frames() {
        return frames;
    }

    @Override
    public void close() {
        closeNets();
        if (separateInference != null) separateInference.close();
        base.close();
    }
}
