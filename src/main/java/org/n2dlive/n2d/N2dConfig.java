package org.n2dlive.n2d;

/**
 * Settings of one full Noise2Detail run. Defaults are the paper's: 48 channels, Adam lr 1e-3 halved every
 * 1000 steps, 2000 steps per stage. Immutable; change with the {@code with…} copies.
 */
public final class N2dConfig {
    public static final N2dConfig PAPER = new N2dConfig(2000, 2000, 48, 1e-3, 1000, 0L);

    private final int stage1Steps;
    private final int stage3Steps;
    private final int channels;
    private final double learningRate;
    private final int halvingSteps;
    private final long seed;

    public N2dConfig(int stage1Steps, int stage3Steps, int channels, double learningRate, int halvingSteps, long seed) {
        if (stage1Steps < 0 || stage3Steps < 0) throw new IllegalArgumentException("steps must be ≥ 0");
        if (channels < 1 || channels > 512) throw new IllegalArgumentException("channels must be in 1..512, got " + channels);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        if (halvingSteps <= 0) throw new IllegalArgumentException("lr halving period must be positive, got " + halvingSteps);
        this.stage1Steps = stage1Steps;
        this.stage3Steps = stage3Steps;
        this.channels = channels;
        this.learningRate = learningRate;
        this.halvingSteps = halvingSteps;
        this.seed = seed;
    }

    public N2dConfig withSteps(int steps) {
        return new N2dConfig(steps, steps, channels, learningRate, halvingSteps, seed);
    }

    public N2dConfig withChannels(int c) {
        return new N2dConfig(stage1Steps, stage3Steps, c, learningRate, halvingSteps, seed);
    }

    public N2dConfig withLearningRate(double lr) {
        return new N2dConfig(stage1Steps, stage3Steps, channels, lr, halvingSteps, seed);
    }

    public N2dConfig withSeed(long s) {
        return new N2dConfig(stage1Steps, stage3Steps, channels, learningRate, halvingSteps, s);
    }

    public int stage1Steps() { return stage1Steps; }
    public int stage3Steps() { return stage3Steps; }
    public int channels() { return channels; }
    public double learningRate() { return learningRate; }
    public int halvingSteps() { return halvingSteps; }
    public long seed() { return seed; }

    /** Seed of net f; g gets a different, derived one (a fresh net for stage 3). */
    public long seedF() { return seed; }
    public long seedG() { return seed * 0x9E3779B97F4A7C15L + 1; }

    @Override
    public String toString() {
        return "steps=" + stage1Steps + "/" + stage3Steps + " channels=" + channels + " lr=" + learningRate
                + " halving=" + halvingSteps + " seed=" + seed;
    }
}
