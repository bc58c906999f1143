package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.n2dlive.mm.host.SimImage;
import org.n2dlive.mm.host.SimPipeline;
import org.n2dlive.mm.host.SimStudio;
import org.n2dlive.mm.host.SimSummary;
import org.n2dlive.n2d.WarmWeights;
import org.n2dlive.profile.Profile;

/**
 * The plugin end to end with the engine's real warm-start model (PyTorch, CPU) on tiny frames and a tiny
 * profile: frames are denoised by the model, provenance is recorded, and a later pipeline starts from the
 * warm weights instead of fitting again.
 */
class RealModelTest {
    static final int INITIAL_STEPS = 20;
    static final int ADAPT_STEPS = 1;
    /** A profile file: stage 1, 8 channels, 20 initial and 1 adaptation step per frame, PyTorch on the CPU. */
    static final String TINY_PROFILE = writeTinyProfile();

    private final SimStudio studio = new SimStudio();
    private final N2DPlugin plugin = SimPipeline.load(N2DPlugin.class, studio);

    @AfterEach
    void closeHost() {
        plugin.host().close();
    }

    static String writeTinyProfile() {
        try {
            String text = Profile.defaults().with("pipeline", "stage1").with("channels", "8")
                    .with("initial_steps", Integer.toString(INITIAL_STEPS)).with("initial_crop", "32")
                    .with("adapt_steps", Integer.toString(ADAPT_STEPS)).with("adapt_crop", "16")
                    .with("frame_budget_ms", "200").with("engine", "pytorch").with("device", "cpu").toText();
            Path dir = Files.createTempDirectory("n2d-mm-test");
            Path file = dir.resolve("tiny.profile");
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Image> acquire(N2DPlugin plugin, PropertyMap settings, int frames, int firstT) {
        try (SimPipeline acq = new SimPipeline(plugin, settings, SimPipeline.Kind.ACQUISITION)) {
            acq.insertSummary(SimSummary.of(frames, "GFP"));
            for (int t = firstT; t < firstT + frames; t++) acq.insert(SyntheticFrames.noisy16(32, 32, t, 300));
            acq.halt();
            assertTrue(acq.violations().isEmpty(), acq.violations().toString());
            return acq.outputs();
        }
    }

    private static int steps(Image i) {
        return i.getMetadata().getUserData().getInteger(Provenance.ADAPT_STEPS, -1);
    }

    private static String fingerprint(Image i) {
        return i.getMetadata().getUserData().getString(Provenance.WEIGHTS, "");
    }

    @Test
    void denoisesAnAcquisitionAndTheNextOneStartsWarm() {
        PropertyMap settings = Harness.settings(b -> b.profile(TINY_PROFILE));
        List<Image> first = acquire(plugin, settings, 4, 0);
        List<Image> raw = Harness.inChannel(first, 0);
        List<Image> den = Harness.inChannel(first, 1);
        assertEquals(4, raw.size());
        assertEquals(4, den.size(), studio.log().lines().toString());
        for (int t = 0; t < 4; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint());
            assertFalse(Harness.passedThrough(d), studio.log().lines().toString());
            assertEquals(32, d.getWidth());
            assertEquals(2, d.getBytesPerPixel());
            assertFalse(fingerprint(d).isEmpty());
            int differing = 0;
            for (int i = 0; i < 32 * 32; i++) if (Harness.value(d, i) != ((SimImage) raw.get(t)).value(i)) differing++;
            assertTrue(differing > 32 * 32 / 2, "the model changed the frame: " + differing + " pixels differ");
        }
        assertEquals(INITIAL_STEPS, steps(den.get(0)), "the first frame fits the model");
        assertEquals(ADAPT_STEPS, steps(den.get(1)), "later frames adapt it");
        assertNotEquals(fingerprint(den.get(0)), fingerprint(den.get(3)), "the weights adapt from frame to frame");

        // A new acquisition: new pipeline, new thread, new stream; the model starts from the carried weights.
        List<Image> second = Harness.inChannel(acquire(plugin, settings, 2, 10), 1);
        assertEquals(2, second.size());
        assertEquals(ADAPT_STEPS, steps(second.get(0)), "warm start: no fit from scratch on the first frame");
        System.out.printf(Locale.ROOT, "real model: first acquisition %s, second starts at %d step(s)%n",
                den.stream().map(i -> Integer.toString(steps(i))).reduce((a, b) -> a + "," + b).orElse(""), steps(second.get(0)));
    }

    @Test
    void liveModeThenAnAcquisitionCarriesTheWarmWeightsAcrossPolicies() throws Exception {
        PropertyMap settings = Harness.settings(b -> b.profile(TINY_PROFILE));
        try (SimPipeline live = new SimPipeline(plugin, settings, SimPipeline.Kind.LIVE)) {
            // A camera at ~50 frames/s until the model (started on the first frame) has shown a few frames.
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int t = 0; System.nanoTime() < deadline && plugin.host().telemetry().snapshot(System.nanoTime()).framesOut < 3; t++) {
                live.insert(SyntheticFrames.noisy16(32, 32, t, 300));
                Thread.sleep(20);
            }
            live.halt();
        }
        assertTrue(plugin.host().telemetry().snapshot(System.nanoTime()).framesOut >= 1, "live mode produced denoised frames");
        List<Image> den = Harness.inChannel(acquire(plugin, settings, 2, 100), 1);
        assertEquals(ADAPT_STEPS, steps(den.get(0)), "the acquisition starts from live mode's weights");
    }

    @Test
    void warmWeightsSaveAndLoadThroughTheHost() throws Exception {
        PropertyMap settings = Harness.settings(b -> b.profile(TINY_PROFILE));
        Path dir = Files.createTempDirectory("n2d-weights");
        Path file = dir.resolve("warm.n2dw");
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> plugin.host().saveWeights(file));
        assertTrue(none.getMessage().contains("no warm weights"), none.getMessage());
        List<Image> den = Harness.inChannel(acquire(plugin, settings, 2, 0), 1);
        plugin.host().saveWeights(file);
        WarmWeights w = WarmWeights.load(file);
        assertEquals(8, w.channels());
        assertEquals(fingerprint(den.get(1)), w.fingerprint(), "the saved weights are the last frame's");

        // A fresh plugin (a new Micro-Manager session) whose settings name the file starts warm.
        SimStudio studio2 = new SimStudio();
        N2DPlugin second = SimPipeline.load(N2DPlugin.class, studio2);
        try {
            PropertyMap withFile = Harness.settings(b -> b.profile(TINY_PROFILE).weightsFile(file.toString()));
            List<Image> next = Harness.inChannel(acquire(second, withFile, 1, 0), 1);
            assertEquals(ADAPT_STEPS, steps(next.get(0)), "started from the weights file: " + studio2.log().lines());
            Path bad = dir.resolve("bad.n2dw");
            Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            IOException e = assertThrows(IOException.class, () -> second.host().loadWeights(bad));
            assertTrue(e.getMessage().contains("not an n2d-live weights file"), e.getMessage());
        } finally {
            second.host().close();
        }
    }
}
