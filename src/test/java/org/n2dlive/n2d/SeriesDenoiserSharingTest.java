package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.synth.CameraModel;
import org.n2dlive.synth.CellScene;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

/**
 * The positions and z-slices of a channel share one warm model, each series with its own scene detector and temporal
 * stage (tiny nets, 64² frames; the clock stands still so every frame runs its full step count).
 */
class SeriesDenoiserSharingTest {
    private static WarmStartSettings settings() {
        return new WarmStartSettings(Pipeline.STAGE1, 4, 3, 16, 2, 16, 1000, 1000, 1e-3, 1000, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
    }

    /**
     * A static p × c × z × t acquisition: each series its own cell scene (so any two series are unrelated scenes, the
     * hardest case for a shared detector), every frame a new noise draw. cams[p][c][z].
     */
    private static SyntheticCamera[][][] acquisition(int positions, int channels, int slices) {
        SyntheticCamera[][][] cams = new SyntheticCamera[positions][channels][slices];
        for (int p = 0; p < positions; p++) {
            for (int c = 0; c < channels; c++) {
                for (int z = 0; z < slices; z++) {
                    int id = 100 * p + 10 * c + z;
                    cams[p][c][z] = new SyntheticCamera(List.of(CellScene.draw(64, 64, 40 + id)), 64, 64,
                            SceneMotion.NONE, new CameraModel(16, 100 + 200 * c, 2, 100, 2), 300 + id, 10);
                }
            }
        }
        return cams;
    }

    private static WarmStartDenoiser warm() {
        return new WarmStartDenoiser(settings(), () -> 0L);
    }

    private static TemporalDenoiser temporal() {
        return new TemporalDenoiser(warm(), 64);
    }

    @Test
    void anAcquisitionBuildsOneModelPerChannelSharedByItsPositionsAndSlices() throws Exception {
        int positions = 2, channels = 2, slices = 2, frames = 3;
        SyntheticCamera[][][] cams = acquisition(positions, channels, slices);
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSharingTest::temporal, 8, 16, null, true)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < positions; p++) {
                    for (int z = 0; z < slices; z++) {
                        for (int c = 0; c < channels; c++) {
                            rep.reset();
                            d.denoise(new SeriesKey(p, c, z), cams[p][c][z].frame(t), out, rep);
                            boolean first = t == 0 && p == 0 && z == 0;
                            assertEquals(first, rep.refitted, "p" + p + " c" + c + " z" + z + " t" + t
                                    + ": only a channel's first frame warms up, a new position or slice continues its model");
                        }
                    }
                }
            }
            assertEquals(channels, d.modelsBuilt(), "one model per channel");
            for (int c = 0; c < channels; c++) { // every series is live, and a channel's share one model
                WarmStartDenoiser model = d.model(new SeriesKey(0, c, 0)).core();
                assertSame(model, d.model(new SeriesKey(0, c, 1)).core(), "c" + c + ": a slice shares the model");
                assertSame(model, d.model(new SeriesKey(1, c, 0)).core(), "c" + c + ": another position shares the model");
                assertSame(model, d.model(new SeriesKey(1, c, 1)).core(), "c" + c + ": and its slices");
                // 3 warm-up steps on the channel's first frame, then 2 per frame of any of its series
                assertEquals(3 + 2L * (frames * positions * slices - 1), model.suspend().adamF.steps(),
                        "c" + c + ": every series' steps train one model");
            }
            assertNotSame(d.model(new SeriesKey(0, 0, 0)).core(), d.model(new SeriesKey(0, 1, 0)).core(), "channels never share");
            assertNotSame(d.model(new SeriesKey(0, 0, 0)), d.model(new SeriesKey(0, 0, 1)), "a temporal stage per series");
            assertNotSame(d.model(new SeriesKey(0, 0, 0)), d.model(new SeriesKey(1, 0, 0)), "a temporal stage per series");
        }
    }

    @Test
    void aStaticMultiPositionZStackTimeLapseIsNeverTakenForASceneChangeAndEachSeriesFusesOnlyItsOwnFrames()
            throws Exception {
        int positions = 2, slices = 2, frames = 5;
        SyntheticCamera[][][] cams = acquisition(positions, 1, slices);
        List<String> log = new ArrayList<>();
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSharingTest::temporal, 8, 16, log::add, true)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            int warmups = 0;
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < positions; p++) {
                    for (int z = 0; z < slices; z++) {
                        rep.reset();
                        SeriesKey key = new SeriesKey(p, 0, z);
                        d.denoise(key, cams[p][0][z].frame(t), out, rep);
                        if (rep.refitted) warmups++;
                        String at = "t" + t + " p" + p + " z" + z;
                        assertEquals(0, rep.refits, at + ": " + rep.refitReason);
                        TemporalDenoiser stage = (TemporalDenoiser) d.model(key);
                        // A history fed another series' frame would see a new scene and restart.
                        assertFalse(stage.filter().sceneChange(), at);
                        assertEquals(t + 1, stage.filter().framesSinceReset(), at + ": frames of its series fused");
                        assertEquals(t > 0, stage.filter().usedHistory(), at);
                    }
                }
            }
            assertEquals(1, warmups, "only the model's first frame warms up; a new series continues the model");
            assertEquals(1, d.modelsBuilt());
            assertEquals(1, log.size(), "the sharing is logged once: " + log);
            // Each series' history is its own scene: closer to its clean scene than to any other.
            for (int k = 0; k < positions * slices; k++) {
                SyntheticCamera own = cams[k / slices][0][k % slices];
                float[] hist = ((TemporalDenoiser) d.model(new SeriesKey(k / slices, 0, k % slices))).filter().history();
                for (int o = 0; o < positions * slices; o++) {
                    if (o != k) {
                        assertTrue(distance(hist, own) < 0.5 * distance(hist, cams[o / slices][0][o % slices]), k + " vs " + o);
                    }
                }
            }
        }
        // The oracle that these scenes do look like scene changes to one shared detector: the same frames as one
        // series through one model re-fit.
        try (WarmStartDenoiser one = warm()) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            int refits = 0;
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < positions; p++) {
                    for (int z = 0; z < slices; z++) {
                        rep.reset();
                        one.denoise(cams[p][0][z].frame(t), out, rep);
                        refits = rep.refits;
                    }
                }
            }
            assertTrue(refits >= 1, "one detector for all series re-fits: " + refits);
        }
    }

    /** Mean absolute difference between a history (counts) and a camera's expected frame (counts). */
    private static double distance(float[] history, SyntheticCamera cam) {
        float[] clean = new float[cam.width() * cam.height()];
        cam.cleanScene(0, clean);
        double s = 0;
        for (int i = 0; i < clean.length; i++) s += Math.abs(history[i] - cam.camera().expected(clean[i]));
        return s / clean.length;
    }

    /**
     * With 2 models (and 2 temporal stages) for 3 channels × 2 positions × 2 slices, both models and stages are parked
     * and resumed; every output and readout must be bit for bit those of a run with room for all.
     */
    @Test
    void parkingModelsAndSeriesStagesIsExact() throws Exception {
        int positions = 2, channels = 3, slices = 2, frames = 2;
        SyntheticCamera[][][] cams = acquisition(positions, channels, slices);
        try (SeriesDenoiser capped = new SeriesDenoiser(SeriesDenoiserSharingTest::temporal, 2, 16, null, true);
             SeriesDenoiser roomy = new SeriesDenoiser(SeriesDenoiserSharingTest::temporal, 12, 16, null, true)) {
            Frame a = Frame.allocate(PixelType.GRAY16, 1, 1);
            Frame b = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport ra = new DenoiseReport();
            DenoiseReport rb = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < positions; p++) {
                    for (int z = 0; z < slices; z++) {
                        for (int c = 0; c < channels; c++) {
                            SeriesKey key = new SeriesKey(p, c, z);
                            ra.reset();
                            rb.reset();
                            capped.denoise(key, cams[p][c][z].frame(t), a, ra);
                            roomy.denoise(key, cams[p][c][z].frame(t), b, rb);
                            String at = key + " t" + t;
                            assertArrayEquals(b.shorts(), a.shorts(), at + ": output as without a cap");
                            assertEquals(rb.estimatedPsnrDb, ra.estimatedPsnrDb, 0.0, at + ": readout");
                            assertEquals(roomy.weightsFingerprint(), capped.weightsFingerprint(), at);
                            TemporalDenoiser stage = (TemporalDenoiser) capped.model(key);
                            assertEquals(t + 1, stage.filter().framesSinceReset(), at + ": its history came back");
                            assertTrue(capped.stagesHeld() <= 2, "stages within the cap: " + capped.stagesHeld());
                        }
                    }
                }
            }
            assertEquals(2, capped.modelsBuilt(), "no model built beyond the cap");
            assertEquals(channels, roomy.modelsBuilt());
            assertEquals(positions * channels * slices, roomy.stagesHeld());
            assertTrue(capped.parkedHistoryBytes() > 0);
        }
    }

    @Test
    void withoutTemporalDenoisingSlicesShareTheModelAndKeepTheirOwnDetectors() throws Exception {
        int slices = 3, frames = 4;
        SyntheticCamera[][][] cams = acquisition(1, 1, slices);
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSharingTest::warm, 8, 16, null, true)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                for (int z = 0; z < slices; z++) {
                    rep.reset();
                    d.denoise(new SeriesKey(0, 0, z), cams[0][0][z].frame(t), out, rep);
                    assertEquals(0, rep.refits, "t" + t + " z" + z + ": " + rep.refitReason);
                    if (t > 0) assertTrue(rep.sceneCorrelation > 0.9, "t" + t + " z" + z + ": compared with its own slice: "
                            + rep.sceneCorrelation);
                }
            }
            assertEquals(1, d.modelsBuilt());
            assertEquals(0, d.stagesHeld());
        }
    }

    @Test
    void withoutSharingEachSeriesHasItsOwnModelThatWarmsUpFromItsChannelsWeights() throws Exception {
        SyntheticCamera[][][] cams = acquisition(2, 1, 2);
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSharingTest::warm, 8, 16, null, false)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int p = 0; p < 2; p++) {
                for (int z = 0; z < 2; z++) {
                    rep.reset();
                    d.denoise(new SeriesKey(p, 0, z), cams[p][0][z].frame(0), out, rep);
                    assertTrue(rep.refitted, "p" + p + " z" + z + ": its own model warms up on its own scene");
                    assertEquals(0, rep.refits, "its first warm-up, not a re-fit");
                }
            }
            assertEquals(4, d.modelsBuilt());
            assertNotSame(d.model(new SeriesKey(0, 0, 0)).core(), d.model(new SeriesKey(0, 0, 1)).core());
        }
    }
}
