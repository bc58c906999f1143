package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;

class WarmStartDenoiserTest {

    /** A smooth 8-bit scene with fresh Gaussian noise per call: a static stream. */
    static Frame noisyFrame(int w, int h, Random r, float[] cleanOut) {
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double clean = 0.45 + 0.3 * Math.sin(x * 0.35) * Math.cos(y * 0.25);
                if (cleanOut != null) cleanOut[y * w + x] = (float) clean;
                long v = Math.round((clean + 0.08 * r.nextGaussian()) * 255);
                px[y * w + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return Frame.wrap(w, h, px);
    }

    static double mse(Frame f, float[] clean) {
        double s = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = f.get(i) / 255.0 - clean[i];
            s += d * d;
        }
        return s / clean.length;
    }

    /**
     * A clock that advances {@code tick} ns at every read, so the budgets give the same step counts on any machine:
     * with a warm-up budget of 4 ticks a frame runs 2 steps (the second read after one step shows 2 ticks spent,
     * and a second step is predicted to end at 4, within budget; a third would end past it).
     */
    static final class TickingClock implements LongSupplier {
        private final long tick;
        private long now;

        TickingClock(long tick) {
            this.tick = tick;
        }

        @Override
        public long getAsLong() {
            now += tick;
            return now;
        }
    }

    private static final long MS = 1_000_000;

    /** 8 channels, crops of 32, a warm-up budget of 4 ms (2 steps on the ticking clock), an adaptation budget of 1 s. */
    private static WarmStartSettings settings(Pipeline p, int initialSteps, int adaptSteps, String normalization) {
        return new WarmStartSettings(p, 8, initialSteps, 32, adaptSteps, 32, 1000, 4, 1e-3, 1000, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", normalization);
    }

    private static WarmStartDenoiser denoiser(Pipeline p, int initialSteps, int adaptSteps) {
        return new WarmStartDenoiser(settings(p, initialSteps, adaptSteps, "full-range"), new TickingClock(MS));
    }

    /** A dim 8-bit pattern (nothing near the mapping's top, so no frame widens it), noisy when {@code r} is given. */
    private static Frame dimFrame(int w, int h, Random r) {
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.3 + 0.15 * Math.sin(x * 0.35) * Math.cos(y * 0.25) + (r == null ? 0 : 0.05 * r.nextGaussian());
                px[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(v * 255)));
            }
        }
        return Frame.wrap(w, h, px);
    }

    /**
     * With every step on the raw frame, the net learns exactly what it learns from the raw frame itself (same crops,
     * same weights) while it denoises the frame it is given; the clean frame's own training gives other weights.
     */
    @Test
    void rawStepsTrainOnTheRawFrameWhileTheGivenFrameIsDenoised() throws Exception {
        Random r = new Random(8);
        Frame[] raw = new Frame[3];
        for (int i = 0; i < raw.length; i++) raw[i] = dimFrame(40, 36, r);
        Frame clean = dimFrame(40, 36, null);
        try (WarmStartDenoiser onFused = denoiser(Pipeline.STAGE1, 4, 2);
             WarmStartDenoiser onRaw = denoiser(Pipeline.STAGE1, 4, 2);
             WarmStartDenoiser onClean = denoiser(Pipeline.STAGE1, 4, 2)) {
            float[] a = new float[40 * 36], b = new float[40 * 36], c = new float[40 * 36];
            DenoiseReport rep = new DenoiseReport();
            for (Frame y : raw) {
                onFused.denoise(SeriesKey.SINGLE, floats(clean), y, 1, a, rep); // the clean frame stands in for a fused one
                onRaw.denoise(SeriesKey.SINGLE, floats(y), y, 1, b, rep);
                onClean.denoise(SeriesKey.SINGLE, floats(clean), clean, 1, c, rep);
            }
            assertEquals(onRaw.weightsFingerprint(), onFused.weightsFingerprint());
            assertNotEquals(onClean.weightsFingerprint(), onFused.weightsFingerprint());
            boolean differs = false;
            for (int i = 0; i < a.length && !differs; i++) differs = a[i] != b[i];
            assertTrue(differs, "the output is the given frame's, not the raw frame's");
            assertThrows(IllegalArgumentException.class,
                    () -> onFused.denoise(SeriesKey.SINGLE, floats(dimFrame(20, 36, r)), clean, 1, a, rep), "an input of another size");
        }
    }

    private static float[] floats(Frame f) {
        float[] v = new float[f.pixelCount()];
        org.n2dlive.temporal.RawPixels.toFloat(f, v);
        return v;
    }

    /**
     * {@code denoiseAgain} runs the weights the last frame was denoised with: on that same frame it reproduces the
     * delivered output exactly (before rounding), and it neither trains nor draws from the model's generator, so a
     * model that calls it goes on exactly like a twin that does not.
     */
    @Test
    void denoiseAgainRunsTheLastFramesWeightsAndChangesNothing() throws Exception {
        Random r = new Random(9);
        try (WarmStartDenoiser d = denoiser(Pipeline.ENSEMBLE, 4, 2); WarmStartDenoiser twin = denoiser(Pipeline.ENSEMBLE, 4, 2)) {
            Frame twinOut = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            float[] delivered = new float[40 * 36], again = new float[40 * 36], other = new float[40 * 36];
            assertThrows(IllegalStateException.class, () -> d.denoiseAgain(dimFrame(40, 36, r), Pipeline.STAGE1, again), "before any frame");
            for (int i = 0; i < 3; i++) {
                Frame y = dimFrame(40, 36, r);
                d.denoise(SeriesKey.SINGLE, floats(y), y, 0, delivered, rep);
                twin.denoise(y, twinOut, rep);
                for (int k = 0; k < delivered.length; k++) {
                    assertEquals(Math.max(0, Math.min(255, Math.round(delivered[k]))), twinOut.get(k), 0, "the frame API's output is the float output, rounded");
                }
                d.denoiseAgain(y, Pipeline.ENSEMBLE, again);
                assertArrayEquals(delivered, again, 1e-5f, "the same frame through the same weights");
                d.denoiseAgain(dimFrame(40, 36, r), Pipeline.STAGE1, other);
                boolean differs = false;
                for (int k = 0; k < other.length && !differs; k++) differs = Math.abs(other[k] - delivered[k]) > 1;
                assertTrue(differs, "another frame gives another image");
                assertEquals(twin.weightsFingerprint(), d.weightsFingerprint(), "no training, no random draws");
            }
            assertThrows(IllegalArgumentException.class, () -> d.denoiseAgain(dimFrame(20, 36, r), Pipeline.STAGE1, again), "another size");
            assertThrows(IllegalArgumentException.class, () -> d.denoiseAgain(dimFrame(40, 36, r), Pipeline.FULL, again), "no stage 3 here");
        }
    }

    /** On tiles, denoising again gives the whole-frame values inside them, also where the frame was padded. */
    @Test
    void denoiseAgainOnTilesGivesTheWholeFramesValuesThere() throws Exception {
        Random r = new Random(10);
        try (WarmStartDenoiser d = denoiser(Pipeline.ENSEMBLE, 4, 2)) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            d.denoise(dimFrame(100, 90, r), out, new DenoiseReport());
            Frame y = dimFrame(100, 90, r);
            float[] whole = new float[100 * 90], tiled = new float[100 * 90];
            d.denoiseAgain(y, Pipeline.ENSEMBLE, whole);
            TileMosaic tiles = new TileMosaic(Pipeline.ENSEMBLE);
            tiles.reset(WarmStartDenoiser.paddedSize(100), WarmStartDenoiser.paddedSize(90));
            assertEquals(92, tiles.height(), "90 rows pad to 92");
            int[][] regions = {{3, 80, 30, 90}, {60, 20, 75, 41}};
            for (int[] g : regions) tiles.cover(g[0], g[1], g[2], g[3]);
            d.denoiseAgain(y, tiles, tiled);
            for (int[] g : regions) {
                for (int yy = g[1]; yy < g[3]; yy++) {
                    for (int x = g[0]; x < g[2]; x++) {
                        assertEquals(whole[yy * 100 + x], tiled[yy * 100 + x], 1e-2, "pixel (" + x + ", " + yy + ")");
                    }
                }
            }
            TileMosaic elsewhere = new TileMosaic(Pipeline.ENSEMBLE);
            elsewhere.reset(100, 100);
            elsewhere.cover(0, 0, 8, 8);
            assertThrows(IllegalArgumentException.class, () -> d.denoiseAgain(y, elsewhere, tiled), "tiles laid on another geometry");
        }
    }

    @Test
    void warmsUpOverTheFirstFramesWithinItsBudgetThenAdaptsAndBeatsTheNoise() throws Exception {
        Random r = new Random(5);
        float[] clean = new float[36 * 30];
        try (WarmStartDenoiser d = denoiser(Pipeline.FULL, 20, 4)) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            double noisy = 0;
            double denoised = 0;
            for (int i = 0; i < 40; i++) {
                Frame in = noisyFrame(36, 30, r, clean);
                rep.reset();
                d.denoise(in, out, rep);
                assertEquals(i == 0, rep.refitted, "frame " + i);
                if (i == 0) assertEquals(WarmUp.FIRST_FRAME, rep.refitReason);
                // 20 warm-up steps per net at 2 per frame: frames 0..9; then 4 per frame. Two nets (f and g).
                assertEquals(i < 10, rep.warmingUp, "frame " + i);
                assertEquals(i < 10 ? 2 * 2 : 4 * 2, rep.adaptationSteps, "frame " + i);
                assertEquals(0, rep.refits, "the first warm-up is no re-fit");
                assertEquals(PixelType.GRAY8, out.type());
                assertEquals(36, out.width());
                assertEquals(30, out.height());
                if (i >= 30) {
                    noisy += mse(in, clean);
                    denoised += mse(out, clean);
                }
            }
            assertTrue(denoised < 0.7 * noisy, "denoised MSE " + denoised + " vs noisy " + noisy);
            assertFalse(d.weightsFingerprint().isEmpty());
        }
    }

    @Test
    void theFirstFrameComesOutRawThenImproves() throws Exception {
        // the fresh residual net starts at f = 0: its first output is the input, never worse than it
        Random r = new Random(8);
        float[] clean = new float[32 * 32];
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.STAGE1, 0, 1, "full-range"), () -> 0L)) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            Frame in = noisyFrame(32, 32, r, clean);
            d.denoise(in, out, rep);
            // one step has moved the output layer off zero, by little: the output is within a grey level or two
            for (int i = 0; i < in.pixelCount(); i++) assertEquals(in.get(i), out.get(i), 3.0, "pixel " + i);
        }
    }

    @Test
    void sizeAndBitDepthChangesStartAWarmUpAndCountAsRefits() throws Exception {
        Random r = new Random(6);
        try (WarmStartDenoiser d = denoiser(Pipeline.ENSEMBLE, 4, 1)) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            d.denoise(noisyFrame(32, 32, r, null), out, rep);
            assertTrue(rep.refitted && rep.warmingUp);
            assertEquals(0, rep.refits);
            rep.reset();
            d.denoise(noisyFrame(21, 17, r, null), out, rep); // odd size: padded, cropped back
            assertTrue(rep.refitted && rep.warmingUp);
            assertEquals("frame size changed: 32x32 -> 21x17", rep.refitReason);
            assertEquals(1, rep.refits);
            assertEquals(21, out.width());
            assertEquals(17, out.height());
            short[] sixteen = new short[20 * 12];
            for (int i = 0; i < sixteen.length; i++) sixteen[i] = (short) (1000 + (i * 37) % 3000);
            rep.reset();
            d.denoise(Frame.wrap(20, 12, sixteen), out, rep);
            assertTrue(rep.refitted);
            assertEquals("bit depth changed: GRAY8 -> GRAY16", rep.refitReason);
            assertEquals(2, rep.refits);
            assertEquals(PixelType.GRAY16, out.type());
            rep.reset();
            d.denoise(Frame.wrap(20, 12, sixteen), out, rep);
            assertFalse(rep.refitted, "the same geometry again: no new warm-up");
            assertEquals(2, rep.refits);
        }
    }

    @Test
    void allZeroSaturatedAndNonFiniteFrames() throws Exception {
        try (WarmStartDenoiser d = denoiser(Pipeline.STAGE1, 4, 1)) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int k = 0; k < 3; k++) d.denoise(Frame.wrap(16, 16, new byte[256]), out, rep);
            // the scene is black: so must the output be, within a grey level (the residual net learns f(0) = 0)
            for (int i = 0; i < 256; i++) assertTrue(out.get(i) <= 1, "pixel " + i + " of a black frame: " + out.get(i));
            byte[] sat = new byte[256];
            java.util.Arrays.fill(sat, (byte) 255);
            for (int k = 0; k < 3; k++) d.denoise(Frame.wrap(16, 16, sat), out, rep);
            for (int i = 0; i < 256; i++) assertTrue(out.get(i) >= 254, "pixel " + i + " of a saturated frame: " + out.get(i));
            float[] bad = new float[256];
            bad[17] = Float.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.denoise(Frame.wrap(16, 16, bad), out, rep));
            assertTrue(e.getMessage().contains("(1,1)"), e.getMessage());
        }
    }

    @Test
    void aConstant16BitFrameUnderAutoNormalizationComesOutConstant() throws Exception {
        short[] flat = new short[24 * 24];
        java.util.Arrays.fill(flat, (short) 1000);
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.ENSEMBLE, 4, 1, "auto"), new TickingClock(MS))) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int k = 0; k < 3; k++) d.denoise(Frame.wrap(24, 24, flat), out, rep);
            assertEquals(PixelType.GRAY16, out.type());
            assertTrue(d.normalization() != null, "auto found a mapping for a frame with no range");
            for (int i = 0; i < flat.length; i++) assertEquals(1000, out.get(i), 2.0, "pixel " + i);
        }
    }

    @Test
    void savedWeightsStartANewSessionWarm(@TempDir Path dir) throws Exception {
        Random r = new Random(7);
        Path file = dir.resolve("warm.n2dw");
        Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
        DenoiseReport rep = new DenoiseReport();
        String fingerprint;
        try (WarmStartDenoiser d = denoiser(Pipeline.FULL, 4, 1)) {
            d.denoise(noisyFrame(32, 32, r, null), out, rep);
            d.latestWeights().save(file);
            fingerprint = d.latestWeights().fingerprint();
        }
        assertTrue(Files.size(file) > 0);
        WarmWeights loaded = WarmWeights.load(file);
        assertEquals(fingerprint, loaded.fingerprint());
        try (WarmStartDenoiser d = denoiser(Pipeline.FULL, 4, 1)) {
            d.loadWeights(loaded);
            rep.reset();
            d.denoise(noisyFrame(32, 32, r, null), out, rep);
            assertFalse(rep.refitted, "loaded weights must skip the warm-up");
            assertFalse(rep.warmingUp);
            assertEquals(2, rep.adaptationSteps);
            assertNotEquals(fingerprint, d.weightsFingerprint(), "weights keep adapting after the load");
        }
        WarmStartSettings other = new WarmStartSettings(Pipeline.FULL, 16, 10, 32, 1, 16, 100, 100, 1e-3, 1000, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
        try (WarmStartDenoiser d = new WarmStartDenoiser(other)) {
            assertThrows(IllegalArgumentException.class, () -> d.loadWeights(loaded));
        }
        Files.write(dir.resolve("junk.n2dw"), new byte[] {1, 2, 3});
        assertThrows(java.io.IOException.class, () -> WarmWeights.load(dir.resolve("junk.n2dw")));
    }

    /** A float frame of the detector test's generated camera (unit range, 96 × 80). */
    private static Frame cameraFrame(float[] scene, double brightness, double photons, Random r) {
        return Frame.wrap(SceneChangeDetectorTest.W, SceneChangeDetectorTest.H,
                SceneChangeDetectorTest.frame(scene, brightness, photons, 0, r));
    }

    @Test
    void noReFitOnAStaticStreamAtThreeBrightnessLevelsAndTwoNoiseLevels() throws Exception {
        float[] scene = org.n2dlive.synth.CellScene.draw(SceneChangeDetectorTest.W, SceneChangeDetectorTest.H, 21);
        for (double b : new double[] {0.2, 0.5, 1.0}) {
            for (double photons : new double[] {100, 2000}) {
                Random r = new Random(22);
                try (WarmStartDenoiser d = denoiser(Pipeline.STAGE1, 4, 1)) {
                    Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
                    DenoiseReport rep = new DenoiseReport();
                    for (int i = 0; i < 12; i++) {
                        rep.reset();
                        d.denoise(cameraFrame(scene, b, photons, r), out, rep);
                        assertEquals(i == 0, rep.refitted, "brightness " + b + " photons " + photons + " frame " + i);
                        assertEquals(0, rep.refits);
                        if (i > 0) assertTrue(rep.sceneCorrelation > 0.8, "correlation " + rep.sceneCorrelation);
                    }
                }
            }
        }
    }

    @Test
    void aSceneCutStartsOneReFitWithItsReasonAndAFreshWarmUp() throws Exception {
        float[] first = org.n2dlive.synth.CellScene.draw(SceneChangeDetectorTest.W, SceneChangeDetectorTest.H, 23);
        float[] second = org.n2dlive.synth.CellScene.draw(SceneChangeDetectorTest.W, SceneChangeDetectorTest.H, 24);
        Random r = new Random(25);
        try (WarmStartDenoiser d = denoiser(Pipeline.STAGE1, 4, 1)) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int i = 0; i < 16; i++) {
                rep.reset();
                d.denoise(cameraFrame(i < 10 ? first : second, 0.5, 500, r), out, rep);
                assertEquals(i == 0 || i == 10, rep.refitted, "frame " + i);
                // 4 warm-up steps at 2 per frame: two warm-up frames after each start
                assertEquals(i < 2 || i == 10 || i == 11, rep.warmingUp, "frame " + i);
                assertEquals(i < 10 ? 0 : 1, rep.refits, "frame " + i);
                if (i == 10) {
                    assertTrue(rep.refitReason.startsWith("scene change: correlation "), rep.refitReason);
                    assertTrue(rep.sceneCorrelation < 0.5, "correlation " + rep.sceneCorrelation);
                }
            }
        }
    }

    /**
     * A long session has halved its learning rate many times; a scene change must re-adapt at the base rate, not at
     * the session's last one (after 10 min of live view at ~10 steps/s, lr_halving_steps = 1000 leaves 1/64 of it).
     */
    @Test
    void aReFitRestartsTheLearningRateScheduleAtTheBaseRate() throws Exception {
        float[] first = org.n2dlive.synth.CellScene.draw(SceneChangeDetectorTest.W, SceneChangeDetectorTest.H, 23);
        float[] second = org.n2dlive.synth.CellScene.draw(SceneChangeDetectorTest.W, SceneChangeDetectorTest.H, 24);
        Random r = new Random(26);
        double base = 1e-3;
        // halving every 4 steps; 4 warm-up steps at 2 per frame, then 1 step per frame
        WarmStartSettings s = new WarmStartSettings(Pipeline.STAGE1, 8, 4, 32, 1, 32, 1000, 4, base, 4, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "full-range");
        try (WarmStartDenoiser d = new WarmStartDenoiser(s, new TickingClock(MS))) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int i = 0; i < 14; i++) { // 2 warm-up frames (4 steps) and 12 adapting frames (12 steps): 16 steps
                rep.reset();
                d.denoise(cameraFrame(first, 0.5, 500, r), out, rep);
            }
            assertEquals(base / 16, d.optimizerF().currentLearningRate(), 1e-12, "16 steps at halving 4: four halvings");
            rep.reset();
            d.denoise(cameraFrame(second, 0.5, 500, r), out, rep);
            assertTrue(rep.refitted, "the cut starts a re-fit");
            assertEquals(2, rep.adaptationSteps);
            assertEquals(base, d.optimizerF().currentLearningRate(), 1e-12, "2 steps into the re-fit: the base rate again");
            rep.reset();
            d.denoise(cameraFrame(second, 0.5, 500, r), out, rep);
            assertEquals(base / 2, d.optimizerF().currentLearningRate(), 1e-12, "4 steps after the re-fit: one halving");
        }
    }

    @Test
    void everyProfileGivesItsFirstDenoisedFrameAfterOneBudgetedWorkerFrame() throws Exception {
        for (String name : org.n2dlive.profile.Profile.BUILT_INS) {
            org.n2dlive.profile.Profile p = org.n2dlive.profile.Profile.resolve(name).with("engine", "pytorch").with("device", "cpu");
            WarmStartSettings s = WarmStartSettings.from(p);
            // every clock read costs a quarter of the warm-up budget: 2 steps fit, whatever the machine
            long tick = Math.round(s.warmupBudgetMs() * MS / 4);
            int nets = s.pipeline() == Pipeline.FULL ? 2 : 1;
            Random r = new Random(30);
            try (WarmStartDenoiser d = new WarmStartDenoiser(s, new TickingClock(tick))) {
                Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
                DenoiseReport rep = new DenoiseReport();
                String before = "";
                for (int i = 0; i < 2; i++) {
                    Frame in = noisyFrame(48, 40, r, null);
                    rep.reset();
                    d.denoise(in, out, rep);
                    assertTrue(rep.warmingUp, name + " frame " + i);
                    assertEquals(2 * nets, rep.adaptationSteps, name + " frame " + i + ": the budget, not initial_steps ("
                            + s.initialSteps() + "), bounds the frame");
                    assertEquals(48, out.width(), name);
                    // the fresh residual net starts at the identity and has taken 2 small steps: still close to the raw frame
                    for (int k = 0; k < in.pixelCount(); k++) assertEquals(in.get(k), out.get(k), 8.0, name + " pixel " + k);
                    assertNotEquals(before, d.weightsFingerprint(), name + " frame " + i + " trained");
                    before = d.weightsFingerprint();
                }
            }
        }
    }
}
