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
 * The z-slices of a (position, channel) share one warm model, each with its own scene detector and temporal stage
 * (tiny nets, 64² frames; the clock stands still so every frame runs its full step count).
 */
class SeriesDenoiserSlicesTest {
    private static WarmStartSettings settings() {
        return new WarmStartSettings(Pipeline.STAGE1, 4, 3, 16, 2, 16, 1000, 1000, 1e-3, 1000, 0.5, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
    }

    /**
     * A static z × t stack: each slice its own cell scene (so any two slices are unrelated scenes, the hardest case
     * for a shared detector), every frame a new noise draw.
     */
    private static SyntheticCamera[][] stack(int positions, int slices) {
        SyntheticCamera[][] cams = new SyntheticCamera[positions][slices];
        for (int p = 0; p < positions; p++) {
            for (int z = 0; z < slices; z++) {
                cams[p][z] = new SyntheticCamera(List.of(CellScene.draw(64, 64, 40 + 10 * p + z)), 64, 64,
                        SceneMotion.NONE, new CameraModel(16, 100, 2, 100, 2), 300 + 10 * p + z, 10);
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
    void aZByTStackBuildsOneModelPerPositionAndChannelNotPerSlice() throws Exception {
        int positions = 2, slices = 3, frames = 3;
        SyntheticCamera[][] cams = stack(positions, slices);
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSlicesTest::temporal, 8, 16, null)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            long stepsBefore = 0;
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < positions; p++) {
                    for (int z = 0; z < slices; z++) {
                        rep.reset();
                        d.denoise(new SeriesKey(p, 0, z), cams[p][z].frame(t), out, rep);
                    }
                }
            }
            assertEquals(positions, d.modelsBuilt(), "one model per (position, channel)");
            assertEquals(positions * slices, d.liveSeries().size(), "every slice is live");
            WarmStartDenoiser p0 = d.core(new SeriesKey(0, 0, 0));
            for (int z = 1; z < slices; z++) assertSame(p0, d.core(new SeriesKey(0, 0, z)), "slice " + z + " shares p0's model");
            assertNotSame(p0, d.core(new SeriesKey(1, 0, 0)), "another position has its own model");
            // Each slice has its own temporal stage, and the shared model trained on every slice's frames:
            // 3 warm-up steps on the first frame of the position, then 2 per frame.
            assertNotSame(d.model(new SeriesKey(0, 0, 0)), d.model(new SeriesKey(0, 0, 1)));
            assertEquals(3 + 2L * (frames * slices - 1), p0.suspend().optimizerSteps(), "every slice's steps train one model");
        }
    }

    @Test
    void aStaticZStackTimeLapseIsNeverTakenForASceneChangeAndEachSliceFusesOnlyItsOwnFrames() throws Exception {
        int slices = 3, frames = 5;
        SyntheticCamera[][] cams = stack(1, slices);
        List<String> log = new ArrayList<>();
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSlicesTest::temporal, 8, 16, log::add)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            int warmups = 0;
            for (int t = 0; t < frames; t++) {
                for (int z = 0; z < slices; z++) {
                    rep.reset();
                    SeriesKey key = new SeriesKey(0, 0, z);
                    d.denoise(key, cams[0][z].frame(t), out, rep);
                    if (rep.refitted) warmups++;
                    assertEquals(0, rep.refits, "t" + t + " z" + z + ": " + rep.refitReason);
                    TemporalDenoiser stage = (TemporalDenoiser) d.model(key);
                    // A history fed another slice's frame would see a new scene and restart.
                    assertFalse(stage.filter().sceneChange(), "t" + t + " z" + z);
                    assertEquals(t + 1, stage.filter().framesSinceReset(), "t" + t + " z" + z + ": frames of its slice fused");
                    assertEquals(t > 0, stage.filter().usedHistory(), "t" + t + " z" + z);
                }
            }
            assertEquals(1, warmups, "only the model's first frame warms up; a new slice continues the model");
            assertEquals(1, d.modelsBuilt());
            assertEquals(1, log.size(), "the sharing is logged once: " + log);
            // Each slice's history is its own scene: closer to its clean slice than to any other.
            for (int z = 0; z < slices; z++) {
                float[] hist = ((TemporalDenoiser) d.model(new SeriesKey(0, 0, z))).filter().alignedHistory();
                double own = distance(hist, cams[0][z]);
                for (int o = 0; o < slices; o++) {
                    if (o != z) assertTrue(own < 0.5 * distance(hist, cams[0][o]), "slice " + z + " vs " + o);
                }
            }
        }
        // The oracle that the stack does look like scene changes to one shared detector: the same frames as one
        // series through one model re-fit.
        try (WarmStartDenoiser one = warm()) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            int refits = 0;
            for (int t = 0; t < frames; t++) {
                for (int z = 0; z < slices; z++) {
                    rep.reset();
                    one.denoise(cams[0][z].frame(t), out, rep);
                    refits = rep.refits;
                }
            }
            assertTrue(refits >= 1, "one detector for all slices re-fits: " + refits);
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
     * With 2 models (and 2 temporal stages) for 3 positions × 2 slices, both models and stages are parked and
     * resumed; every output and readout must be bit for bit those of a run with room for all.
     */
    @Test
    void parkingModelsAndSliceStagesIsExact() throws Exception {
        int positions = 3, slices = 2, frames = 3;
        SyntheticCamera[][] cams = stack(positions, slices);
        try (SeriesDenoiser capped = new SeriesDenoiser(SeriesDenoiserSlicesTest::temporal, 2, 16, null);
             SeriesDenoiser roomy = new SeriesDenoiser(SeriesDenoiserSlicesTest::temporal, 8, 16, null)) {
            Frame a = Frame.allocate(PixelType.GRAY16, 1, 1);
            Frame b = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport ra = new DenoiseReport();
            DenoiseReport rb = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < positions; p++) {
                    for (int z = 0; z < slices; z++) {
                        SeriesKey key = new SeriesKey(p, 0, z);
                        ra.reset();
                        rb.reset();
                        capped.denoise(key, cams[p][z].frame(t), a, ra);
                        roomy.denoise(key, cams[p][z].frame(t), b, rb);
                        String at = "p" + p + " z" + z + " t" + t;
                        assertArrayEquals(b.shorts(), a.shorts(), at + ": output as without a cap");
                        assertEquals(rb.estimatedPsnrDb, ra.estimatedPsnrDb, 0.0, at + ": readout");
                        assertEquals(roomy.weightsFingerprint(), capped.weightsFingerprint(), at);
                        TemporalDenoiser stage = (TemporalDenoiser) capped.model(key);
                        assertEquals(t + 1, stage.filter().framesSinceReset(), at + ": its history came back");
                        assertTrue(capped.stagesHeld() <= 2, "stages within the cap: " + capped.stagesHeld());
                    }
                }
            }
            assertEquals(2, capped.modelsBuilt(), "no model built beyond the cap");
            assertEquals(positions, roomy.modelsBuilt());
            assertEquals(positions * slices, roomy.stagesHeld());
            assertTrue(capped.parkedHistoryBytes() > 0);
        }
    }

    @Test
    void withoutTemporalDenoisingSlicesShareTheModelAndKeepTheirOwnDetectors() throws Exception {
        int slices = 3, frames = 4;
        SyntheticCamera[][] cams = stack(1, slices);
        try (SeriesDenoiser d = new SeriesDenoiser(SeriesDenoiserSlicesTest::warm, 8, 16, null)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                for (int z = 0; z < slices; z++) {
                    rep.reset();
                    d.denoise(new SeriesKey(0, 0, z), cams[0][z].frame(t), out, rep);
                    assertEquals(0, rep.refits, "t" + t + " z" + z + ": " + rep.refitReason);
                    if (t > 0) assertTrue(rep.sceneCorrelation > 0.9, "t" + t + " z" + z + ": compared with its own slice: "
                            + rep.sceneCorrelation);
                }
            }
            assertEquals(1, d.modelsBuilt());
            assertEquals(0, d.stagesHeld());
        }
    }
}
