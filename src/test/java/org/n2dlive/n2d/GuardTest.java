package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.stream.StreamPolicy;
import org.n2dlive.stream.StreamSettings;
import org.n2dlive.stream.StreamStats;

/**
 * Fault injection through the real stream and the real model: whatever breaks the model, the user gets the raw
 * frame (flagged, counted as guarded), never a black or NaN one, and the stream goes on denoising.
 */
class GuardTest {
    private static final int SIZE = 64;
    private static final int FRAMES = 16;
    private static final int FAULT_AT = 8;

    /** One injected fault: applied by the worker thread just before frame {@link #FAULT_AT} is denoised. */
    private static final class Faulty implements FrameDenoiser {
        final WarmStartDenoiser model;
        final Consumer<WarmStartDenoiser> beforeFault;
        final boolean zeroOutput;
        int frame;

        Faulty(WarmStartDenoiser model, Consumer<WarmStartDenoiser> beforeFault, boolean zeroOutput) {
            this.model = model;
            this.beforeFault = beforeFault;
            this.zeroOutput = zeroOutput;
        }

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
            int t = frame++;
            if (t == FAULT_AT && beforeFault != null) beforeFault.accept(model);
            model.denoise(src, dst, report);
            if (t == FAULT_AT && zeroOutput) Arrays.fill(dst.shorts(), (short) 0);
        }

        @Override
        public boolean learns() {
            return model.learns();
        }

        @Override
        public void outputRejected(SeriesKey series, String reason) {
            model.outputRejected(series, reason);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private static final class Out {
        final boolean passedThrough;
        final short[] denoised;
        final short[] raw;
        final String error;

        Out(boolean passedThrough, short[] denoised, short[] raw, String error) {
            this.passedThrough = passedThrough;
            this.error = error;
            this.denoised = denoised;
            this.raw = raw;
        }
    }

    private static StreamStats run(Consumer<WarmStartDenoiser> fault, boolean zeroOutput, List<Out> outs, double[] clean)
            throws Exception {
        Profile p = Profile.builtIn("live-fast").with("initial_steps", "40").with("warmup_budget_ms", "10000")
                .with("frame_budget_ms", "10000");
        StreamSettings s = StreamSettings.builder().policy(StreamPolicy.RECORD).build();
        Random r = new Random(5);
        for (int i = 0; i < clean.length; i++) {
            int x = i % SIZE;
            int y = i / SIZE;
            clean[i] = 1000 + 600 * Math.sin(x * 0.3) * Math.cos(y * 0.2);
        }
        try (FrameStream stream = new FrameStream(s, () -> new Faulty(LiveModels.n2d(p), fault, zeroOutput))) {
            for (int t = 0; t < FRAMES; t++) {
                short[] px = new short[SIZE * SIZE];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (short) Math.max(0, Math.round(clean[i] + 60 * r.nextGaussian()));
                }
                stream.publish(PixelType.GRAY16, SIZE, SIZE, px, t);
            }
            stream.flush(c -> outs.add(new Out(c.passedThrough(), c.denoised().shorts().clone(), c.raw() == null ? null
                    : c.raw().shorts().clone(), c.error())), 300, TimeUnit.SECONDS);
            return stream.stats();
        }
    }

    private static double mse(short[] px, double[] clean) {
        double s = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = (px[i] & 0xFFFF) - clean[i];
            s += d * d;
        }
        return s / clean.length;
    }

    private static void assertRawAtTheFaultAndRecovery(Consumer<WarmStartDenoiser> fault, boolean zeroOutput)
            throws Exception {
        List<Out> outs = new ArrayList<>();
        double[] clean = new double[SIZE * SIZE];
        StreamStats stats = run(fault, zeroOutput, outs, clean);
        assertEquals(FRAMES, outs.size());
        StringBuilder errors = new StringBuilder();
        for (Out o : outs) errors.append(o.error).append(" | ");
        assertEquals(1, stats.guarded(), "guarded frames: " + errors);
        assertEquals(0, stats.failed(), stats.firstError());
        Out hit = outs.get(FAULT_AT);
        assertTrue(hit.passedThrough, "the faulty frame is flagged");
        double rawMse = 60.0 * 60.0;
        // the raw pixels, not black: its error is the raw frame's noise
        assertTrue(Math.abs(mse(hit.denoised, clean) - rawMse) < 0.3 * rawMse, "raw passed through: mse "
                + mse(hit.denoised, clean));
        for (int t = FAULT_AT + 1; t < FRAMES; t++) {
            Out o = outs.get(t);
            assertFalse(o.passedThrough, "frame " + t + " is denoised again: " + o.error);
        }
        double last = mse(outs.get(FRAMES - 1).denoised, clean);
        assertTrue(last < 0.7 * rawMse, "the stream recovered: last frame mse " + last + " against raw " + rawMse);
    }

    @Test
    void nanWeightsLeaveRawAndTheModelRecovers() throws Exception {
        assertRawAtTheFaultAndRecovery(m -> {
            NetWeights bad = NetWeights.initialise(m.settings().channels(), 1);
            Arrays.fill(bad.w2, Float.NaN);
            m.loadWeights(new WarmWeights(bad, null));
        }, false);
    }

    @Test
    void aPoisonedOptimiserLeavesRawAndTheModelRecovers() throws Exception {
        assertRawAtTheFaultAndRecovery(m -> m.optimizerF().rescaleInput(Float.NaN), false);
    }

    @Test
    void aZeroedOutputLeavesRawAndTheModelRecovers() throws Exception {
        assertRawAtTheFaultAndRecovery(null, true);
    }
}
