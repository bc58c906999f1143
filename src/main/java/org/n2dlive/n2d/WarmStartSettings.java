package org.n2dlive.n2d;

import java.util.Locale;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.profile.ProfileKey;

/**
 * How a {@link WarmStartDenoiser} fits and adapts. Built from a profile; immutable.
 */
public final class WarmStartSettings {
    /** Which backend runs the full-frame inference. */
    public enum InferenceEngine { AUTO, PYTORCH, ONNX }

    final Pipeline pipeline;
    final int channels;
    final int initialSteps;
    final int initialCrop;
    final int adaptSteps;
    final int adaptCrop;
    final double frameBudgetMs;
    final double warmupBudgetMs;
    final double learningRate;
    final int halvingSteps;
    final double sceneChangeCorrelation;
    final long seed;
    final InferenceEngine engine;
    final String device;
    final String normalization;

    public WarmStartSettings(Pipeline pipeline, int channels, int initialSteps, int initialCrop, int adaptSteps,
                             int adaptCrop, double frameBudgetMs, double warmupBudgetMs, double learningRate, int halvingSteps,
                             double sceneChangeCorrelation, long seed, InferenceEngine engine, String device,
                             String normalization) {
        this.pipeline = require(pipeline, "pipeline");
        this.channels = range(channels, ProfileKey.Ranges.MIN_CHANNELS, ProfileKey.Ranges.MAX_CHANNELS, "channels");
        this.initialSteps = range(initialSteps, 0, 1_000_000, "initial_steps");
        this.initialCrop = crop(initialCrop, "initial_crop");
        this.adaptSteps = range(adaptSteps, 0, ProfileKey.Ranges.MAX_ADAPT_STEPS, "adapt_steps");
        this.adaptCrop = crop(adaptCrop, "adapt_crop");
        if (!(frameBudgetMs > 0)) throw new IllegalArgumentException("frame_budget_ms must be positive, got " + frameBudgetMs);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
        if (!(warmupBudgetMs > 0)) throw new IllegalArgumentException("warmup_budget_ms must be positive, got " + warmupBudgetMs);
        if (!(sceneChangeCorrelation > 0 && sceneChangeCorrelation < 1)) {
            throw new IllegalArgumentException("scene_change_correlation must be in (0, 1), got " + sceneChangeCorrelation);
        }
        this.frameBudgetMs = frameBudgetMs;
        this.warmupBudgetMs = warmupBudgetMs;
        this.learningRate = learningRate;
        this.halvingSteps = range(halvingSteps, 1, Integer.MAX_VALUE, "lr_halving_steps");
        this.sceneChangeCorrelation = sceneChangeCorrelation;
        this.seed = seed;
        this.engine = require(engine, "engine");
        this.device = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
        this.normalization = normalization == null ? "auto" : normalization.trim();
    }

    /** The model settings of a profile (every key but description, policy, keep_raw and ring_memory_mb). */
    public static WarmStartSettings from(org.n2dlive.profile.Profile p) {
        return new WarmStartSettings(p.pipeline(), p.channels(), p.initialSteps(), p.initialCrop(), p.adaptSteps(),
                p.adaptCrop(), p.frameBudgetMs(), p.warmupBudgetMs(), p.learningRate(), p.lrHalvingSteps(),
                p.sceneChangeCorrelation(), p.seed(),
                InferenceEngine.valueOf(p.engine().toUpperCase(Locale.ROOT)), p.device(), p.normalization());
    }

    private static <T> T require(T v, String name) {
        if (v == null) throw new IllegalArgumentException(name + " is required");
        return v;
    }

    private static int range(int v, int lo, int hi, String name) {
        if (v < lo || v > hi) throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
        return v;
    }

    private static int crop(int v, String name) {
        if (v < 16 || v % 4 != 0) throw new IllegalArgumentException(name + " must be a multiple of 4 and at least 16, got " + v);
        return v;
    }

    public Pipeline pipeline() { return pipeline; }
    public int channels() { return channels; }
    public int initialSteps() { return initialSteps; }
    public int initialCrop() { return initialCrop; }
    public int adaptSteps() { return adaptSteps; }
    public int adaptCrop() { return adaptCrop; }
    public double frameBudgetMs() { return frameBudgetMs; }
    public double learningRate() { return learningRate; }
    public int halvingSteps() { return halvingSteps; }
    public double warmupBudgetMs() { return warmupBudgetMs; }
    public double sceneChangeCorrelation() { return sceneChangeCorrelation; }
    public long seed() { return seed; }
    public InferenceEngine engine() { return engine; }
    public String device() { return device; }
    public String normalization() { return normalization; }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "pipeline=%s channels=%d warm-up=%d@%d within %.0fms/frame adapt=%d@%d budget=%.0fms lr=%g engine=%s device=%s",
                pipeline, channels, initialSteps, initialCrop, warmupBudgetMs, adaptSteps, adaptCrop, frameBudgetMs, learningRate,
                engine, device);
    }
}
