package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.synth.CameraModel;
import org.n2dlive.synth.CellScene;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

/** Routing by series on real warm-start models (tiny frames and nets). */
class SeriesDenoiserTest {
    private static WarmStartSettings settings() {
        return new WarmStartSettings(Pipeline.STAGE1, 4, 5, 16, 1, 16, 1000, 1000, 1e-3, 1000, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
    }

    /** A 16-bit frame around {@code level} counts with shot-like noise. */
    private static Frame frame16(double level, Random r) {
        short[] px = new short[24 * 20];
        for (int i = 0; i < px.length; i++) {
            double s = level * (1 + 0.3 * Math.sin(i * 0.21));
            px[i] = (short) Math.round(s + Math.sqrt(s) * r.nextGaussian());
        }
        return Frame.wrap(24, 20, px);
    }

    @Test
    void eachSeriesKeepsItsOwnMappingSoABrightChannelIsNotClippedToADimOne() throws Exception {
        Random r = new Random(1);
        SeriesKey dim = new SeriesKey(0, 0, 0);
        SeriesKey bright = new SeriesKey(0, 1, 0);
        try (SeriesDenoiser d = new SeriesDenoiser(() -> new WarmStartDenoiser(settings()), 4, 16, null, true)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            double brightOutMean = 0;
            for (int t = 0; t < 3; t++) {
                d.denoise(dim, frame16(1_100, r), out, rep);
                d.denoise(bright, frame16(30_100, r), out, rep);
                double s = 0;
                for (int i = 0; i < out.pixelCount(); i++) s += out.get(i);
                brightOutMean = s / out.pixelCount();
            }
            double dimScale = ((WarmStartDenoiser) d.model(dim)).normalization().scale();
            double brightScale = ((WarmStartDenoiser) d.model(bright)).normalization().scale();
            assertTrue(brightScale > 10 * dimScale, "each series maps its own range: " + dimScale + " vs " + brightScale);
            // One shared mapping from the dim channel would put the bright one near 1,100 × 1.25 counts.
            assertTrue(brightOutMean > 20_000, "bright channel output mean " + brightOutMean);
        }
    }

    @Test
    void overTheCapTheLeastRecentlyUsedModelIsParkedAndResumesWarm() throws Exception {
        Random r = new Random(2);
        List<String> log = new ArrayList<>();
        SeriesKey a = new SeriesKey(0, 0, 0);
        SeriesKey b = new SeriesKey(0, 1, 0);
        SeriesKey c = new SeriesKey(0, 2, 0);
        try (SeriesDenoiser d = new SeriesDenoiser(() -> new WarmStartDenoiser(settings()), 2, 16, log::add, true)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            rep.reset();
            d.denoise(a, frame16(2_000, r), out, rep);
            assertTrue(rep.refitted, "the first frame of a new channel fits from scratch");
            rep.reset();
            d.denoise(b, frame16(2_000, r), out, rep);
            assertTrue(rep.refitted, "so does the first frame of another channel");
            assertEquals(0, rep.refits, "its first warm-up, not a re-fit");
            rep.reset();
            d.denoise(c, frame16(9_000, r), out, rep); // a third channel: a (least recently used) is parked
            assertTrue(rep.refitted, "a new channel fits from scratch");
            assertNull(d.model(a), "a, least recently used, made room");
            assertNotNull(d.parkedState(a));
            rep.reset();
            d.denoise(a, frame16(2_000, r), out, rep);
            assertFalse(rep.refitted, "a parked series resumes warm");
            assertNull(d.model(b), "b, now least recently used, made room");
            assertNotNull(d.parkedState(b));
            assertNull(d.parkedState(a), "a is live again");
            assertEquals(1, log.size(), "the cap policy is logged once: " + log);
            assertNotNull(d.model(a));
        }
    }

    /** Series k's frame t: its own 64² scene (level and pattern) with noise drawn from (k, t), the same in every run. */
    private static Frame scene(int k, int t) {
        int w = 64;
        Random r = new Random(1_000L * k + t);
        double level = 800 + 700 * k;
        short[] px = new short[w * w];
        for (int i = 0; i < px.length; i++) {
            int x = i % w, y = i / w;
            double s = level * (1 + 0.4 * Math.sin(x * 0.21 + k) * Math.cos(y * 0.17 - 0.5 * k));
            px[i] = (short) Math.round(s + Math.sqrt(s) * r.nextGaussian());
        }
        return Frame.wrap(w, w, px);
    }

    private static WarmStartSettings settings(Pipeline pipeline) {
        return new WarmStartSettings(pipeline, 4, 3, 16, 2, 16, 1000, 1000, 1e-3, 1000, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
    }

    /**
     * The oracle is a run with room for every series (no parking at all): with 2 models for 6 series visited
     * round-robin, every output frame, and the weights after it, must be bit for bit the same. The clock stands
     * still, so every frame runs its full step count in both runs.
     */
    @ParameterizedTest
    @EnumSource(value = Pipeline.class, names = {"STAGE1", "FULL"})
    void withTwoModelsForSixSeriesEachParkedSeriesResumesExactlyAndNoModelIsBuiltBeyondTheCap(Pipeline pipeline)
            throws Exception {
        int seriesCount = 6, rounds = 3;
        List<String> log = new ArrayList<>();
        try (SeriesDenoiser capped = new SeriesDenoiser(() -> new WarmStartDenoiser(settings(pipeline), () -> 0L), 2, 16, log::add, true);
             SeriesDenoiser roomy = new SeriesDenoiser(() -> new WarmStartDenoiser(settings(pipeline), () -> 0L), 6, 16, null, true)) {
            Frame a = Frame.allocate(PixelType.GRAY16, 1, 1);
            Frame b = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport ra = new DenoiseReport();
            DenoiseReport rb = new DenoiseReport();
            String[] lastFingerprint = new String[seriesCount];
            int frames = 0;
            for (int t = 0; t < rounds; t++) {
                for (int k = 0; k < seriesCount; k++) {
                    SeriesKey key = new SeriesKey(0, k, 0); // a channel each: channels never share a model
                    if (t > 0) {
                        SeriesState parked = capped.parkedState(key);
                        assertNotNull(parked, "series " + k + " was parked");
                        assertTrue(parked.complete());
                        assertEquals(lastFingerprint[k], parked.weights.fingerprint(), "parked with its own weights");
                        assertEquals(((WarmStartDenoiser) roomy.model(key)).normalization().scale(),
                                parked.normalization.scale(), "parked with its own mapping");
                        // 3 warm-up steps on its first frame, then 2 per frame
                        assertEquals(3 + 2L * (t - 1), parked.adamF.steps(), "parked with its own optimiser state");
                    }
                    ra.reset();
                    rb.reset();
                    Frame in = scene(k, t);
                    capped.denoise(key, in, a, ra);
                    roomy.denoise(key, scene(k, t), b, rb);
                    frames++;
                    assertArrayEquals(b.shorts(), a.shorts(), "series " + k + " frame " + t + ": output as without a cap");
                    assertEquals(roomy.weightsFingerprint(), capped.weightsFingerprint(), "series " + k + " frame " + t);
                    assertEquals(rb.refitted, ra.refitted, "series " + k + " frame " + t + ": warm-ups as without a cap");
                    assertEquals(rb.adaptationSteps, ra.adaptationSteps);
                    lastFingerprint[k] = capped.weightsFingerprint();
                }
            }
            assertEquals(2, capped.modelsBuilt(), "no model built beyond the cap");
            assertEquals(6, roomy.modelsBuilt());
            for (int k = 0; k < 4; k++) assertNotNull(capped.parkedState(new SeriesKey(0, k, 0)), "series " + k + " parked");
            assertEquals(1, log.size(), "the cap policy is logged once: " + log);
        }
    }

    /**
     * The same oracle with temporal denoising in front of each model: a parked series must come back with its
     * temporal history, learnt blend and readout, so its outputs are bit for bit those of a run that never parked
     * it, and its fused frames keep integrating across visits (frames of a static scene: the temporal stage's
     * history grows, which a restart would lose).
     */
    @Test
    void parkedSeriesKeepTheirTemporalHistory() throws Exception {
        int seriesCount = 4, rounds = 4;
        SyntheticCamera[] cells = new SyntheticCamera[seriesCount];
        for (int k = 0; k < seriesCount; k++) { // static cell scenes, one per channel: frames are new noise draws
            cells[k] = new SyntheticCamera(List.of(CellScene.draw(64, 64, 3 + k)), 64, 64,
                    SceneMotion.NONE, new CameraModel(16, 100, 2, 100, 2), 21 + k, 10);
        }
        List<String> log = new ArrayList<>();
        try (SeriesDenoiser capped = new SeriesDenoiser(
                () -> new TemporalDenoiser(new WarmStartDenoiser(settings(Pipeline.STAGE1), () -> 0L), 64), 2, 16, log::add, true);
             SeriesDenoiser roomy = new SeriesDenoiser(
                () -> new TemporalDenoiser(new WarmStartDenoiser(settings(Pipeline.STAGE1), () -> 0L), 64), 4, 16, null, true)) {
            Frame a = Frame.allocate(PixelType.GRAY16, 1, 1);
            Frame b = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport ra = new DenoiseReport();
            DenoiseReport rb = new DenoiseReport();
            for (int t = 0; t < rounds; t++) {
                for (int k = 0; k < seriesCount; k++) {
                    SeriesKey key = new SeriesKey(0, k, 0); // a channel each: channels never share a model
                    ra.reset();
                    rb.reset();
                    capped.denoise(key, cells[k].frame(t), a, ra);
                    roomy.denoise(key, cells[k].frame(t), b, rb);
                    assertArrayEquals(b.shorts(), a.shorts(), "series " + k + " frame " + t + ": output as without a cap");
                    assertEquals(rb.estimatedPsnrDb, ra.estimatedPsnrDb, 0.0, "series " + k + " frame " + t + ": readout");
                    TemporalDenoiser live = (TemporalDenoiser) capped.model(key);
                    TemporalDenoiser oracle = (TemporalDenoiser) roomy.model(key);
                    assertEquals(oracle.filter().usedHistory(), live.filter().usedHistory(), "series " + k + " frame " + t);
                    if (t > 0) {
                        assertTrue(live.filter().usedHistory(), "series " + k + " frame " + t + " fused with its history");
                    }
                }
            }
            assertEquals(2, capped.modelsBuilt(), "no model built beyond the cap");
            assertTrue(capped.parkedHistoryBytes() > 0, "the parked series hold their histories");
            assertEquals(1, log.size(), "the cap policy is logged once: " + log);
        }
    }

    /** A stand-in model (not the unit under test) that reports pixel 0 of each frame as its clipped-pixel count. */
    private static final class ReportsClipping implements WarmModel {
        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) {
            dst.copyFrom(src);
            report.clippedPixels = (int) src.get(0);
        }

        @Override
        public WarmWeights latestWeights() {
            return null;
        }

        @Override
        public void loadWeights(WarmWeights weights) {
            throw new IllegalArgumentException("no weights");
        }

        @Override
        public void close() {
        }
    }

    private static Frame clipping(int count) {
        short[] px = new short[8 * 8];
        px[0] = (short) count;
        return Frame.wrap(8, 8, px);
    }

    @Test
    void clippingIsLoggedOnceForEachSeriesOnItsFirstClippedFrame() throws Exception {
        List<String> log = new ArrayList<>();
        SeriesKey a = new SeriesKey(0, 0, 0);
        SeriesKey b = new SeriesKey(0, 1, 0);
        SeriesKey c = new SeriesKey(1, 0, 2);
        try (SeriesDenoiser d = new SeriesDenoiser(ReportsClipping::new, 8, 16, log::add, true)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            int[][] clips = {{0, 0, 0}, {7, 0, 0}, {3, 0, 0}, {0, 12, 0}, {5, 4, 0}};
            for (int[] t : clips) {
                SeriesKey[] keys = {a, b, c};
                for (int k = 0; k < 3; k++) {
                    rep.reset();
                    d.denoise(keys[k], clipping(t[k]), out, rep);
                    assertEquals(t[k], rep.clippedPixels, "every clipped pixel is still counted");
                }
            }
        }
        assertEquals(2, log.size(), "one line per series that clipped, none for c: " + log);
        assertTrue(log.get(0).contains("series p0 c0 z0: 7 output pixels clipped"), log.get(0));
        assertTrue(log.get(1).contains("series p0 c1 z0: 12 output pixels clipped"), log.get(1));
        assertTrue(log.get(0).contains("mapping"), log.get(0));
    }
}
