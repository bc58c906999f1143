package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.micromanager.data.SummaryMetadata;

/**
 * Acquisitions in {@link MicroManager}'s pipeline ({@link Acquisition}): asynchronous pipeline, one-slot queue,
 * images from a saving thread, halt() then freeze(), everything read back from the frozen store. Faults included:
 * nothing the plugin does may make the pipeline record an exception (Micro-Manager would abort the acquisition) or
 * breach its threading contract (where the pipeline checks it).
 */
class AcquisitionTest {
    private final StudioStandIn studio = new StudioStandIn();
    private N2DPlugin plugin;

    @AfterEach
    void closeHost() {
        if (plugin != null) plugin.host().close();
    }

    private static void assertClean(Acquisition acq) {
        assertTrue(acq.errors.isEmpty(), "the pipeline recorded " + acq.errors);
    }

    @Test
    void tenThousandFramesKeepRawNothingLostNothingReordered() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> new InvertingDenoiser());
        int n = 10_000;
        int w = 16;
        int h = 8;
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.ringMemoryMb(16)));
        // Started from the dialog: the summary comes from the Swing thread, the images do not.
        SummaryMetadata stored = acq.start(Acquisition.summary(n, "GFP"), true);
        acq.save(n, t -> Camera.stamped16(w, h, 0, t));
        assertTrue(plugin.host().status().startsWith("RECORD stream for an acquisition"), plugin.host().status());
        acq.finish();
        assertClean(acq);
        assertArrayEquals(new String[] {"GFP", "GFP-n2d"}, stored.getChannelNames());
        assertEquals(2, stored.getIntendedDimensions().getChannel());
        assertEquals(2 * n, acq.imageCount(), "all 2N images in the frozen store");
        List<Image> raw = acq.channel(0);
        List<Image> den = acq.channel(1);
        assertEquals(n, raw.size());
        assertEquals(n, den.size());
        for (int t = 0; t < n; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint(), "denoised frame order");
            assertEquals(t, raw.get(t).getCoords().getTimePoint(), "raw frame order");
            assertFalse(Plugins.passedThrough(d));
            // Provenance names the weights after this very frame (the test model counts its frames).
            assertEquals("inv-" + (t + 1), Plugins.fingerprint(d));
            for (int i : new int[] {0, 7, w * h - 1}) {
                assertEquals(65535 - Camera.stamp16(t, i), Camera.value(d, i), "frame " + t + " pixel " + i);
                assertEquals(Camera.stamp16(t, i), Camera.value(raw.get(t), i), "raw frame " + t + " untouched");
            }
        }
        Telemetry.Snapshot s = Plugins.settledTelemetry(plugin);
        assertEquals(0, s.dropped);
        assertEquals(n, s.framesOut);
    }

    @Test
    void backPressureSmallRingSlowModelProcessImageWaitsNothingLostOrderKept() throws Exception {
        InvertingDenoiser model = new InvertingDenoiser(TimeUnit.MILLISECONDS.toNanos(50), k -> false);
        plugin = Plugins.plugin(studio, (p, s) -> model);
        // 1024x1024 GRAY16: 4 MiB a slot (in + out), so the 16 MiB minimum budget gives a 4-slot ring. A 50 ms model:
        // the saving thread (a 1024² image made per frame) outruns it even on a loaded machine, so the ring fills.
        int n = 30;
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.ringMemoryMb(16).keepRaw(false)));
        acq.start(Acquisition.summary(n, "GFP"), false);
        acq.save(n, t -> Camera.stamped16(1024, 1024, 0, t));
        long waitsBeforeCleanup = plugin.host().publishWaits();
        acq.finish();
        assertClean(acq);
        assertTrue(waitsBeforeCleanup > 0, "processImage waited for room in the ring: " + waitsBeforeCleanup);
        List<Image> den = acq.channel(0);
        assertEquals(n, den.size());
        for (int t = 0; t < n; t++) {
            assertEquals(t, den.get(t).getCoords().getTimePoint());
            assertEquals(65535 - Camera.stamp16(t, 12345), Camera.value(den.get(t), 12345));
        }
        assertEquals(n, model.calls());
        assertEquals(0, Plugins.settledTelemetry(plugin).dropped);
    }

    @Test
    void denoisedImagesKeepCoordinatesAndMetadataAndCarryProvenance() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> new InvertingDenoiser());
        Image in = Camera.stamped8(8, 8, 2, 5);
        in = in.copyWithMetadata(in.getMetadata().copyBuilderPreservingUUID()
                .userData(in.getMetadata().getUserData().copyBuilder().putString("Camera", "Real").build()).build());
        Image input = in;
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.keepRaw(false).profile("live-fast")));
        acq.start(Acquisition.summary(6, "A", "B", "C"), false);
        acq.save(1, t -> input);
        acq.finish();
        assertClean(acq);
        assertEquals(1, acq.imageCount(), "raw replaced by denoised");
        Image d = acq.channel(2).get(0);
        assertEquals(in.getCoords(), d.getCoords());
        assertEquals(1, d.getBytesPerPixel());
        assertEquals(255 - Camera.value(in, 3), Camera.value(d, 3));
        assertEquals("Real", d.getMetadata().getUserData().getString("Camera", null), "input metadata kept");
        assertEquals(MicroManager.uuid(in.getMetadata()), MicroManager.uuid(d.getMetadata()),
                "replacing the raw image: same identity");
        assertEquals(PluginInfo.VERSION, d.getMetadata().getUserData().getString(Provenance.VERSION, null));
        assertEquals("live-fast", d.getMetadata().getUserData().getString(Provenance.PROFILE, null));
        assertEquals(1, Plugins.steps(d));
        assertEquals("inv-1", Plugins.fingerprint(d));
    }

    @Test
    void engineFaultPassesRawFramesThroughFlaggedAndSaysSoOnce() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> new InvertingDenoiser(0, k -> k % 10 == 3));
        int n = 100;
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b));
        acq.start(Acquisition.summary(n, "GFP"), false);
        acq.save(n, t -> Camera.stamped16(8, 8, 0, t));
        acq.finish();
        assertClean(acq);
        List<Image> den = acq.channel(1);
        assertEquals(n, den.size(), "nothing lost");
        for (int t = 0; t < n; t++) {
            Image d = den.get(t);
            boolean faulty = t % 10 == 3;
            assertEquals(faulty, Plugins.passedThrough(d), "frame " + t);
            assertEquals(faulty ? Camera.stamp16(t, 5) : 65535 - Camera.stamp16(t, 5), Camera.value(d, 5), "frame " + t);
            if (faulty) {
                assertTrue(d.getMetadata().getUserData().getString(Provenance.ERROR, "").contains("simulated engine fault"));
            }
        }
        assertEquals(1, studio.count("the denoiser failed"), studio.lines().toString());
        assertEquals(10, Plugins.settledTelemetry(plugin).passedThrough);
    }

    @Test
    void aModelThatCannotStartPassesEverythingThrough() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> {
            throw new UnsatisfiedLinkError("no libtorch for this test");
        });
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b));
        acq.start(Acquisition.summary(20, "GFP"), false);
        acq.save(20, t -> Camera.stamped16(8, 8, 0, t));
        acq.finish();
        assertClean(acq);
        List<Image> den = acq.channel(1);
        assertEquals(20, den.size());
        for (int t = 0; t < 20; t++) {
            assertTrue(Plugins.passedThrough(den.get(t)));
            assertEquals(Camera.stamp16(t, 2), Camera.value(den.get(t), 2));
        }
        assertEquals(1, studio.count("could not start"), studio.lines().toString());
        assertTrue(plugin.host().status().contains("no libtorch"), plugin.host().status());
    }

    @Test
    void rgbAnd32BitPassThroughUnchangedWithOneLogLineEach() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> new InvertingDenoiser());
        // One acquisition of each: a dataset's images share one format (Micro-Manager's store refuses a mix).
        for (boolean rgb : new boolean[] {true, false}) {
            Image[] in = new Image[10];
            Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b));
            acq.start(Acquisition.summary(10, "BF"), false);
            acq.save(10, t -> in[t] = rgb ? Camera.rgb32(8, 8, t) : Camera.float32(8, 8, t));
            acq.finish();
            assertClean(acq);
            assertEquals(10, acq.imageCount(), "no denoised twin for what cannot be denoised");
            List<Image> out = acq.channel(0);
            for (int t = 0; t < 10; t++) {
                assertSame(in[t].getRawPixels(), out.get(t).getRawPixels(), "passed through as is: " + t);
                assertEquals(in[t].getNumComponents(), out.get(t).getNumComponents());
            }
        }
        assertEquals(1, studio.count("RGB32"), studio.lines().toString());
        assertEquals(1, studio.count("1 component(s), 4 byte(s)/pixel"), studio.lines().toString());
        Telemetry.Snapshot s = Plugins.settledTelemetry(plugin);
        assertEquals(20, s.unsupported);
        assertEquals(0, s.framesOut);
    }

    @Test
    void aSecondPipelinePassesThroughWhileAnAcquisitionHoldsTheStream() throws Exception {
        InvertingDenoiser model = new InvertingDenoiser();
        plugin = Plugins.plugin(studio, (p, s) -> model);
        PropertyMap settings = Plugins.settings(b -> b);
        Acquisition first = new Acquisition(plugin, settings);
        first.start(Acquisition.summary(20, "GFP"), false);
        first.save(10, t -> Camera.stamped16(8, 8, 0, t));
        // Meanwhile a second acquisition and live mode: the first holds the stream, so they pass through.
        Acquisition second = new Acquisition(plugin, settings);
        second.start(Acquisition.summary(5, "RFP"), false);
        second.save(5, t -> Camera.stamped16(8, 8, 0, 100 + t));
        second.finish();
        assertClean(second);
        try (LiveMode live = new LiveMode(plugin, settings)) {
            live.run(5, 17, k -> Camera.stamped16(8, 8, 0, 200 + k));
            assertTrue(live.errors.isEmpty(), live.errors.toString());
            assertFalse(isDenoisedStamp(live.current()), "live mode shows the camera while the acquisition runs");
        }
        first.save(10, t -> Camera.stamped16(8, 8, 0, 10 + t));
        first.finish();
        assertClean(first);
        List<Image> twins = second.channel(1);
        assertEquals(5, twins.size(), "the second acquisition's dataset stays whole");
        for (Image i : twins) {
            assertTrue(Plugins.passedThrough(i));
            assertEquals(Camera.stamp16(i.getCoords().getTimePoint(), 3), Camera.value(i, 3));
        }
        List<Image> den = first.channel(1);
        assertEquals(20, den.size());
        for (int t = 0; t < 20; t++) {
            assertFalse(Plugins.passedThrough(den.get(t)));
            assertEquals(65535 - Camera.stamp16(t, 3), Camera.value(den.get(t), 3));
        }
        assertEquals(20, model.calls(), "only the first acquisition's frames reached the model");
        assertEquals(1, studio.count("busy with another acquisition"), studio.lines().toString());
        Plugins.settledTelemetry(plugin);
    }

    private static boolean isDenoisedStamp(Image i) {
        return Camera.value(i, 1) != Camera.stamp16(i.getCoords().getTimePoint(), 1)
                && Camera.value(i, 1) == 65535 - Camera.stamp16(i.getCoords().getTimePoint(), 1);
    }

    @Test
    void eachAcquisitionGetsItsOwnStream() throws Exception {
        InvertingDenoiser.CREATED.set(0);
        plugin = Plugins.plugin(studio, (p, s) -> new InvertingDenoiser());
        PropertyMap settings = Plugins.settings(b -> b);
        for (int run = 0; run < 3; run++) {
            Acquisition acq = new Acquisition(plugin, settings);
            acq.start(Acquisition.summary(5, "GFP"), false);
            acq.save(5, t -> Camera.stamped16(8, 8, 0, t));
            acq.finish();
            assertClean(acq);
            assertEquals(10, acq.imageCount(), "run " + run + " " + studio.lines());
        }
        // Each acquisition runs on a thread of its own and the ring has one producer thread, so each gets a
        // new stream and model (a warm-start model then starts from the last one's weights: RealModelTest).
        assertEquals(3, InvertingDenoiser.CREATED.get());
        assertEquals(0, studio.count("ERROR"), studio.lines().toString());
    }
}
