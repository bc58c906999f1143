package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.stream.StreamPolicy;
import org.n2dlive.stream.StreamSettings;
import org.n2dlive.stream.StreamStats;

/**
 * Every shipped profile end to end with the real model and the stack a stream runs (temporal stage as the profile
 * says, one model per series behind {@link SeriesDenoiser} for a hyperstack), on sizes and bit depths users have, on
 * a synthetic static scene with exact truth. Each case: after the warm-up the output is closer to the truth than
 * the camera frame, nothing non-finite leaves, no frame is guarded and none fails. The training budgets and crops are
 * cut so the matrix fits CI; the profiles' pipelines, channel counts and temporal settings are kept.
 */
class ProfileMatrixTest {
    private static final int FRAMES = 6;
    /** Frames scored: the last ones, after the warm-up. */
    private static final int SCORED = 2;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String profile : Profile.BUILT_INS) {
            for (PixelType type : new PixelType[] {PixelType.GRAY8, PixelType.GRAY16}) {
                for (int[] size : new int[][] {{64, 64}, {97, 131}, {256, 256}}) {
                    all.add(Arguments.of(profile, type, size[0], size[1], 1, null));
                }
            }
            all.add(Arguments.of(profile, PixelType.GRAY16, 64, 64, 2, null));
        }
        for (String channels : new String[] {"16", "24", "47", "48"}) {
            all.add(Arguments.of("balanced", PixelType.GRAY8, 64, 64, 1, channels));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3} channels={4} net={5}")
    @MethodSource("cases")
    void theOutputIsCloserToTheTruthThanTheInput(String name, PixelType type, int w, int h, int imageChannels,
                                                 String netChannels) throws Exception {
        Profile base = Profile.builtIn(name);
        // stage 3's second net starts untrained (not from the identity): it needs more warm-up than stage 1
        String steps = base.pipeline() == org.n2dlive.engine.Pipeline.FULL ? "100" : "24";
        Profile p = base.with("initial_steps", steps).with("initial_crop", "64").with("adapt_steps", "1")
                .with("adapt_crop", "64").with("warmup_budget_ms", "60000").with("frame_budget_ms", "60000");
        if (netChannels != null) p = p.with("channels", netChannels);
        Profile profile = p;
        double max = type == PixelType.GRAY8 ? 255 : 65535;
        double[][] clean = new double[imageChannels][w * h];
        for (int c = 0; c < imageChannels; c++) {
            double level = (c == 0 ? 0.3 : 0.6) * max;
            for (int i = 0; i < w * h; i++) {
                int x = i % w;
                int y = i / w;
                clean[c][i] = level * (1 + 0.5 * Math.sin(x * 0.21 + c) * Math.cos(y * 0.17));
            }
        }
        double sigma = 0.06 * max;
        Supplier<FrameDenoiser> stack = imageChannels > 1
                ? () -> new SeriesDenoiser(() -> LiveModels.model(profile), 8, 64, s -> { }, true)
                : () -> LiveModels.model(profile);
        StreamSettings settings = StreamSettings.builder().policy(StreamPolicy.RECORD).build();
        double[] rawErr = new double[imageChannels];
        double[] outErr = new double[imageChannels];
        Random r = new Random(w * 31L + h);
        StreamStats stats;
        try (FrameStream stream = new FrameStream(settings, stack)) {
            for (int t = 0; t < FRAMES; t++) {
                for (int c = 0; c < imageChannels; c++) {
                    double[] truth = clean[c];
                    Object px;
                    double err = 0;
                    if (type == PixelType.GRAY8) {
                        byte[] b = new byte[w * h];
                        for (int i = 0; i < b.length; i++) {
                            long v = Math.max(0, Math.min(255, Math.round(truth[i] + sigma * r.nextGaussian())));
                            b[i] = (byte) v;
                            err += (v - truth[i]) * (v - truth[i]);
                        }
                        px = b;
                    } else {
                        short[] s = new short[w * h];
                        for (int i = 0; i < s.length; i++) {
                            long v = Math.max(0, Math.min(65535, Math.round(truth[i] + sigma * r.nextGaussian())));
                            s[i] = (short) v;
                            err += (v - truth[i]) * (v - truth[i]);
                        }
                        px = s;
                    }
                    if (t >= FRAMES - SCORED) rawErr[c] += err / (w * h);
                    stream.publish(type, w, h, px, t * imageChannels + c, new SeriesKey(0, c, 0), null);
                }
            }
            int[] seen = new int[1];
            stream.flush(done -> {
                int c = done.series().channel();
                long t = done.tag() / imageChannels;
                seen[0]++;
                double e = 0;
                for (int i = 0; i < w * h; i++) {
                    double v = done.denoised().get(i);
                    assertTrue(Double.isFinite(v), "non-finite output at frame " + done.tag());
                    e += (v - clean[c][i]) * (v - clean[c][i]);
                }
                if (t >= FRAMES - SCORED) outErr[c] += e / (w * h);
            }, 600, TimeUnit.SECONDS);
            assertEquals(FRAMES * imageChannels, seen[0], "frames out");
            stats = stream.stats();
        }
        assertEquals(0, stats.guarded(), "guarded frames: " + stats.firstGuardReason());
        assertEquals(0, stats.failed(), "failed frames: " + stats.firstError());
        for (int c = 0; c < imageChannels; c++) {
            assertTrue(outErr[c] < 0.8 * rawErr[c], String.format("channel %d: output MSE %.4g, camera MSE %.4g", c,
                    outErr[c] / SCORED, rawErr[c] / SCORED));
        }
    }
}
