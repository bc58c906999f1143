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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.n2dlive.n2d.WarmWeights;
import org.n2dlive.profile.Profile;

/**
 * The plugin end to end with the engine's real warm-start model (PyTorch, CPU) on tiny frames and a tiny
 * profile, in our model of Micro-Manager's pipeline contract (and, in mm-real-tests, in Micro-Manager's own): the frames are denoised (closer to the known clean
 * scene than the camera's), provenance is recorded, and later pipelines (acquisition, live mode) start from the
 * warm weights.
 */
class RealModelTest {
    static final int INITIAL_STEPS = 100;
    static final int SIZE = 64;
    static final int ADAPT_STEPS = 1;
    static final double SIGMA = 300;
    /** A profile file: stage 1, 16 channels, 100 initial and 1 adaptation step per frame, PyTorch on the CPU. */
    static final String TINY_PROFILE = writeTinyProfile();

    private final StudioStandIn studio = new StudioStandIn();
    private final N2DPlugin plugin = Plugins.real(studio);

    @AfterEach
    void closeHost() {
        plugin.host().close();
    }

    static String writeTinyProfile() {
        try {
            String text = Profile.defaults().with("pipeline", "stage1").with("channels", "16")
                    .with("initial_steps", Integer.toString(INITIAL_STEPS)).with("initial_crop", "64")
                    .with("adapt_steps", Integer.toString(ADAPT_STEPS)).with("adapt_crop", "48")
                    .with("frame_budget_ms", "200").with("warmup_budget_ms", "60000").with("engine", "pytorch").with("device", "cpu").toText();
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

    private static Acquisition acquire(N2DPlugin plugin, PropertyMap settings, int frames, int firstT) throws Exception {
        Acquisition acq = new Acquisition(plugin, settings);
        acq.start(Acquisition.summary(frames, "GFP"), false);
        acq.save(frames, k -> Camera.noisy16(SIZE, SIZE, firstT + k, SIGMA));
        acq.finish();
        assertTrue(acq.errors.isEmpty(), acq.errors.toString());
        return acq;
    }

    /**
     * Live mode until the model has shown a denoised frame; returns the first one shown. The model's first frame
     * (a fit) takes as long as the machine makes it (over 40 s of camera time on the 2-core box under load), so the
     * bound is the model's progress, not the clock: once the stream's first frame is done, 2,000 more camera frames
     * without a denoised one shown fail; a model that never finishes a frame fails after 10 minutes.
     */
    private static Image liveUntilDenoised(N2DPlugin plugin, PropertyMap settings, int firstT) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (LiveMode live = new LiveMode(plugin, settings)) {
            int roundsSinceFirstFrame = 0;
            for (int round = 0; ; round++) { // a camera at ~50 frames/s, in rounds of 10 frames
                int base = firstT + 10 * round;
                live.run(10, 20, k -> Camera.noisy16(SIZE, SIZE, base + k, SIGMA));
                for (Image i : live.shown) {
                    // frames before the engine is ready show the fused frame with no steps: wait for a trained one
                    if (i.getMetadata().getUserData().containsKey(Provenance.WEIGHTS) && Plugins.steps(i) > 0) {
                        live.resetDisplay();
                        assertTrue(live.errors.isEmpty(), live.errors.toString());
                        return i;
                    }
                }
                if (!Double.isNaN(plugin.host().latencyMs()) && ++roundsSinceFirstFrame >= 200) {
                    throw new AssertionError("the model finished frames, but live mode showed none of them in the "
                            + "2,000 frames since");
                }
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("the model finished no frame in 10 minutes of live mode");
                }
            }
        }
    }

    @Test
    void denoisesAnAcquisitionCloserToTheCleanSceneAndTheNextOneStartsWarm() throws Exception {
        PropertyMap settings = Plugins.settings(b -> b.profile(TINY_PROFILE));
        Acquisition first = acquire(plugin, settings, 4, 0);
        List<Image> raw = first.channel(0);
        List<Image> den = first.channel(1);
        assertEquals(4, raw.size());
        assertEquals(4, den.size(), studio.lines().toString());
        StringBuilder mse = new StringBuilder();
        for (int t = 0; t < 4; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint());
            assertFalse(Plugins.passedThrough(d), studio.lines().toString());
            assertEquals(SIZE, d.getWidth());
            assertEquals(2, d.getBytesPerPixel());
            assertFalse(Plugins.fingerprint(d).isEmpty());
            // The oracle is the scene the noise was added to: an inverted, shifted or garbled output fails.
            double noisy = Camera.mseToClean(raw.get(t));
            double denoised = Camera.mseToClean(d);
            assertTrue(noisy > 0.8 * SIGMA * SIGMA && noisy < 1.2 * SIGMA * SIGMA, "the camera's noise: " + noisy);
            assertTrue(denoised < noisy, "frame " + t + ": MSE to the clean scene " + denoised + " >= noisy " + noisy);
            mse.append(String.format(Locale.ROOT, " %.0f->%.0f", noisy, denoised));
        }
        assertEquals(INITIAL_STEPS, Plugins.steps(den.get(0)), "the first frame fits the model");
        assertEquals(ADAPT_STEPS, Plugins.steps(den.get(1)), "later frames adapt it");
        assertNotEquals(Plugins.fingerprint(den.get(0)), Plugins.fingerprint(den.get(3)), "the weights adapt");

        // A new acquisition: new pipeline, new thread, new stream; the model starts from the carried weights.
        List<Image> second = acquire(plugin, settings, 2, 10).channel(1);
        assertEquals(2, second.size());
        assertEquals(ADAPT_STEPS, Plugins.steps(second.get(0)), "warm start: no fit from scratch on the first frame");
        System.out.println("real model, MSE to the clean scene noisy->denoised:" + mse);
    }

    @Test
    void liveThenAcquisitionThenLiveKeepsTheWarmWeights() throws Exception {
        PropertyMap settings = Plugins.settings(b -> b.profile(TINY_PROFILE));
        Image firstLive = liveUntilDenoised(plugin, settings, 0);
        // Live mode shows only the newest frame of each drain, so the warm-up frame itself may never be shown; its
        // steps are the telemetry's. What must hold is that the later pipelines start warm.
        assertTrue(Plugins.steps(firstLive) >= ADAPT_STEPS, "a model frame");
        assertEquals(0, firstLive.getCoords().getChannel());
        List<Image> den = acquire(plugin, settings, 2, 5000).channel(1);
        assertEquals(ADAPT_STEPS, Plugins.steps(den.get(0)), "the acquisition starts from live mode's weights");
        Image secondLive = liveUntilDenoised(plugin, settings, 6000);
        assertEquals(ADAPT_STEPS, Plugins.steps(secondLive), "live mode again starts from the acquisition's weights");
        Plugins.settledTelemetry(plugin);
    }

    @Test
    void warmWeightsSaveAndLoadThroughTheHost() throws Exception {
        PropertyMap settings = Plugins.settings(b -> b.profile(TINY_PROFILE));
        Path dir = Files.createTempDirectory("n2d-weights");
        Path file = dir.resolve("warm.n2dw");
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> plugin.host().saveWeights(file));
        assertTrue(none.getMessage().contains("no warm weights"), none.getMessage());
        List<Image> den = acquire(plugin, settings, 2, 0).channel(1);
        plugin.host().saveWeights(file);
        WarmWeights w = WarmWeights.load(file);
        assertEquals(16, w.channels());
        assertEquals(Plugins.fingerprint(den.get(1)), w.fingerprint(), "the saved weights are the last frame's");

        // A fresh plugin (a new Micro-Manager session) whose settings name the file starts warm.
        StudioStandIn studio2 = new StudioStandIn();
        N2DPlugin second = Plugins.real(studio2);
        try {
            PropertyMap withFile = Plugins.settings(b -> b.profile(TINY_PROFILE).weightsFile(file.toString()));
            List<Image> next = acquire(second, withFile, 1, 0).channel(1);
            assertEquals(ADAPT_STEPS, Plugins.steps(next.get(0)), "started from the weights file: " + studio2.lines());
            Path bad = dir.resolve("bad.n2dw");
            Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            IOException e = assertThrows(IOException.class, () -> second.host().loadWeights(bad));
            assertTrue(e.getMessage().contains("not an n2d-live weights file"), e.getMessage());
        } finally {
            second.host().close();
        }
    }

    @Test
    void aCorruptWeightsFileSettingLogsOneErrorAndFitsFromScratch() throws Exception {
        // A real weights file cut in the middle of its arrays.
        PropertyMap settings = Plugins.settings(b -> b.profile(TINY_PROFILE));
        acquire(plugin, settings, 1, 0);
        Path dir = Files.createTempDirectory("n2d-weights");
        Path good = dir.resolve("good.n2dw");
        plugin.host().saveWeights(good);
        byte[] bytes = Files.readAllBytes(good);
        Path corrupt = dir.resolve("corrupt.n2dw");
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        StudioStandIn studio2 = new StudioStandIn();
        N2DPlugin fresh = Plugins.real(studio2);
        try {
            PropertyMap withFile = Plugins.settings(b -> b.profile(TINY_PROFILE).weightsFile(corrupt.toString()));
            List<Image> den = acquire(fresh, withFile, 3, 0).channel(1);
            assertEquals(3, den.size());
            for (Image d : den) assertFalse(Plugins.passedThrough(d), "denoised, not passed through: " + studio2.lines());
            assertEquals(INITIAL_STEPS, Plugins.steps(den.get(0)), "fits from scratch");
            assertEquals(1, studio2.count("ERROR"), studio2.lines().toString());
            assertEquals(1, studio2.count("could not load warm weights from " + corrupt), studio2.lines().toString());
        } finally {
            fresh.host().close();
        }
    }
}
