package org.n2dlive.n2d;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.n2dlive.profile.Profile;
import org.n2dlive.temporal.StageBuffers;

/**
 * The composition root of the live model: the one place that builds, from a profile, what denoises a stream's frames.
 * The Micro-Manager plugin, {@code stream}, {@code compare}, {@code gpu-check} and the benches all build here, so a
 * single-series command-line stream runs exactly the stack a Micro-Manager user gets.
 *
 * <pre>
 * SeriesDenoiser     routes by series key; per key: scene detector, temporal state
 *   TemporalDenoiser fuses the frame with its series' history (temporal = on)
 *     WarmStartDenoiser  one per channel: adapts on the fused frame and denoises it
 * </pre>
 */
public final class LiveModels {
    /**
     * Models live at once (nets, optimiser, engine sessions, frame buffers): 8 at 2048² hold well under 1 GB of frame
     * buffers; more park their state in Java memory and resume exactly.
     */
    public static final int LIVE_SERIES = 8;
    /** Parked model states at most (~0.26 MB each at 256²); beyond, a channel starts again from its latest weights. */
    public static final int PARKED_SERIES = 1024;

    private LiveModels() {
    }

    /** The live stack: one warm model per channel, shared by its positions and z-slices, within the caps. */
    public static SeriesDenoiser stack(Profile profile, Consumer<String> log) {
        return stack(profile, log, true);
    }

    /**
     * @param shareWithinChannel false: a model per series, each starting from its channel's weights (the policy
     *                           before series shared; {@code tools/bench/ZShare.java} measures one against the other)
     */
    public static SeriesDenoiser stack(Profile profile, Consumer<String> log, boolean shareWithinChannel) {
        // one set of temporal work buffers for every model's stages: they run one frame at a time on the worker
        StageBuffers buffers = new StageBuffers();
        return new SeriesDenoiser(() -> model(profile, System::nanoTime, buffers), LIVE_SERIES, PARKED_SERIES, log,
                shareWithinChannel);
    }

    /** One model of the stack: warm-started N2D, behind the temporal stage when {@code temporal = on}. */
    public static WarmModel model(Profile profile) {
        return model(profile, System::nanoTime);
    }

    /** As {@link #model(Profile)}, its budgets measured by {@code clock} (nanoseconds; benches that fix the steps). */
    public static WarmModel model(Profile profile, LongSupplier clock) {
        return model(profile, clock, new StageBuffers());
    }

    /** @param buffers the temporal stage's work buffers, shared with the other stages on the same worker */
    private static WarmModel model(Profile profile, LongSupplier clock, StageBuffers buffers) {
        if (!profile.temporal()) return new WarmStartDenoiser(WarmStartSettings.from(profile), clock);
        // In live view the temporal stage shows its fused frame while N2D warms up, and while its engine loads.
        WarmStartDenoiser n2d = WarmStartDenoiser.deferringEngine(WarmStartSettings.from(profile), clock);
        try {
            TemporalN2NLoss loss = null;
            if (profile.temporalLossWeight() > 0) {
                loss = new TemporalN2NLoss(profile.seed() + 17, n2d::normalization);
                n2d.addStage1Term(profile.temporalLossWeight(), loss);
            }
            return new TemporalDenoiser(n2d, profile.temporalMaxFrames(), profile.temporalRawInput(),
                    profile.temporalRawSteps(), profile.temporalFreshPass(), loss, buffers);
        } catch (RuntimeException | Error e) {
            n2d.close();
            throw e;
        }
    }

    /** The spatial model alone, without the temporal stage or series routing (device and throughput checks). */
    public static WarmStartDenoiser n2d(Profile profile) {
        return new WarmStartDenoiser(WarmStartSettings.from(profile));
    }
}
