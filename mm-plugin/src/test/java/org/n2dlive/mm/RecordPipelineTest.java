package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.mm.host.SimImage;
import org.n2dlive.mm.host.SimPipeline;
import org.n2dlive.mm.host.SimStudio;
import org.n2dlive.mm.host.SimSummary;

/** Acquisitions (RECORD) through the plugin as Micro-Manager's pipeline drives it, with a test model. */
class RecordPipelineTest {
    private final SimStudio studio = new SimStudio();
    private N2DPlugin plugin;

    @AfterEach
    void closeHost() {
        if (plugin != null) plugin.host().close();
    }

    @Test
    void tenThousandFramesKeepRawNothingLostNothingReordered() {
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        int n = 10_000;
        int w = 16;
        int h = 8;
        PropertyMap settings = Harness.settings(b -> b.ringMemoryMb(16));
        List<Image> out;
        SummaryMetadata declared;
        try (SimPipeline acq = new SimPipeline(plugin, settings, SimPipeline.Kind.ACQUISITION)) {
            declared = acq.insertSummary(SimSummary.of(n, "GFP"));
            for (int t = 0; t < n; t++) acq.insert(SyntheticFrames.stamped16(w, h, 0, t));
            acq.halt();
            assertTrue(acq.violations().isEmpty(), acq.violations().toString());
            out = acq.outputs();
        }
        assertArrayEquals(new String[] {"GFP", "GFP-n2d"}, declared.getChannelNames());
        assertEquals(2, declared.getIntendedDimensions().getChannel());
        List<Image> raw = Harness.inChannel(out, 0);
        List<Image> den = Harness.inChannel(out, 1);
        assertEquals(n, raw.size(), "raw frames recorded");
        assertEquals(n, den.size(), "denoised frames recorded");
        for (int t = 0; t < n; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint(), "denoised frame order");
            assertEquals(t, raw.get(t).getCoords().getTimePoint(), "raw frame order");
            assertFalse(Harness.passedThrough(d));
            // Provenance names the weights after this very frame (the test model counts its frames).
            assertEquals("inv-" + (t + 1), d.getMetadata().getUserData().getString(Provenance.WEIGHTS, ""));
            // The pixels are the model's output for this very frame (not a neighbour's).
            for (int i : new int[] {0, 7, w * h - 1}) {
                assertEquals(65535 - SyntheticFrames.stamp16(t, i), Harness.value(d, i), "frame " + t + " pixel " + i);
            }
        }
        Telemetry.Snapshot s = plugin.host().telemetry().snapshot(System.nanoTime());
        assertEquals(0, s.dropped);
        assertEquals(n, s.framesOut);
    }

    @Test
    void denoisedImagesKeepCoordinatesAndMetadataAndCarryProvenance() {
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        PropertyMap settings = Harness.settings(b -> b.keepRaw(false).profile("live-fast"));
        SimImage in = SyntheticFrames.stamped8(8, 8, 2, 5);
        in = (SimImage) in.copyWithMetadata(in.getMetadata().copyBuilderPreservingUUID()
                .userData(in.getMetadata().getUserData().copyBuilder().putString("Camera", "Sim").build()).build());
        List<Image> out;
        try (SimPipeline acq = new SimPipeline(plugin, settings, SimPipeline.Kind.ACQUISITION)) {
            acq.insertSummary(SimSummary.of(1, "A", "B", "C"));
            acq.insert(in);
            acq.halt();
            out = acq.outputs();
        }
        assertEquals(1, out.size(), "raw replaced by denoised");
        Image d = out.get(0);
        assertEquals(in.getCoords(), d.getCoords());
        assertEquals(1, d.getBytesPerPixel());
        assertEquals(255 - in.value(3), Harness.value(d, 3));
        assertEquals("Sim", d.getMetadata().getUserData().getString("Camera", null), "input metadata kept");
        assertEquals(PluginInfo.VERSION, d.getMetadata().getUserData().getString(Provenance.VERSION, null));
        assertEquals("live-fast", d.getMetadata().getUserData().getString(Provenance.PROFILE, null));
        assertEquals(1, d.getMetadata().getUserData().getInteger(Provenance.ADAPT_STEPS, -1));
        assertTrue(d.getMetadata().getUserData().getString(Provenance.WEIGHTS, "").startsWith("inv-"));
    }

    @Test
    void frameSizeChangeMidAcquisitionKeepsEveryFrame() {
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        List<Image> out;
        try (SimPipeline acq = new SimPipeline(plugin, Harness.settings(b -> b), SimPipeline.Kind.ACQUISITION)) {
            acq.insertSummary(SimSummary.of(200, "Cy5"));
            for (int t = 0; t < 100; t++) acq.insert(SyntheticFrames.stamped16(32, 32, 0, t));
            for (int t = 100; t < 200; t++) acq.insert(SyntheticFrames.stamped16(48, 40, 0, t));
            acq.halt();
            assertTrue(acq.violations().isEmpty(), acq.violations().toString());
            out = acq.outputs();
        }
        List<Image> den = Harness.inChannel(out, 1);
        assertEquals(200, den.size());
        for (int t = 0; t < 200; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint());
            assertEquals(t < 100 ? 32 : 48, d.getWidth());
            assertEquals(t < 100 ? 32 : 40, d.getHeight());
            assertEquals(65535 - SyntheticFrames.stamp16(t, d.getWidth() * d.getHeight() - 1),
                    Harness.value(d, d.getWidth() * d.getHeight() - 1));
        }
    }

    @Test
    void engineFaultPassesRawFramesThroughFlaggedAndSaysSoOnce() {
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser(0, k -> k % 10 == 3));
        int n = 100;
        List<Image> out;
        try (SimPipeline acq = new SimPipeline(plugin, Harness.settings(b -> b), SimPipeline.Kind.ACQUISITION)) {
            acq.insertSummary(SimSummary.of(n, "GFP"));
            for (int t = 0; t < n; t++) acq.insert(SyntheticFrames.stamped16(8, 8, 0, t));
            acq.halt();
            out = acq.outputs();
        }
        List<Image> den = Harness.inChannel(out, 1);
        assertEquals(n, den.size(), "nothing lost");
        for (int t = 0; t < n; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint());
            boolean faulty = t % 10 == 3;
            assertEquals(faulty, Harness.passedThrough(d), "frame " + t);
            int expected = faulty ? SyntheticFrames.stamp16(t, 5) : 65535 - SyntheticFrames.stamp16(t, 5);
            assertEquals(expected, Harness.value(d, 5), "frame " + t);
            if (faulty) {
                assertTrue(d.getMetadata().getUserData().getString(Provenance.ERROR, "").contains("simulated engine fault"));
            }
        }
        assertEquals(1, studio.log().count("the denoiser failed"), studio.log().lines().toString());
    }

    @Test
    void aModelThatCannotStartPassesEverythingThrough() {
        plugin = Harness.plugin(studio, (p, s) -> {
            throw new UnsatisfiedLinkError("no libtorch for this test");
        });
        List<Image> out;
        try (SimPipeline acq = new SimPipeline(plugin, Harness.settings(b -> b), SimPipeline.Kind.ACQUISITION)) {
            acq.insertSummary(SimSummary.of(20, "GFP"));
            for (int t = 0; t < 20; t++) acq.insert(SyntheticFrames.stamped16(8, 8, 0, t));
            acq.halt();
            assertTrue(acq.violations().isEmpty(), acq.violations().toString());
            out = acq.outputs();
        }
        List<Image> den = Harness.inChannel(out, 1);
        assertEquals(20, den.size());
        for (int t = 0; t < 20; t++) {
            assertTrue(Harness.passedThrough(den.get(t)));
            assertEquals(SyntheticFrames.stamp16(t, 2), Harness.value(den.get(t), 2));
        }
        assertEquals(1, studio.log().count("could not start"), studio.log().lines().toString());
        assertTrue(plugin.host().status().contains("no libtorch"), plugin.host().status());
    }

    @Test
    void rgbPassesThroughUnchangedWithOneWarning() {
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        List<Image> out;
        SimImage[] rgb = new SimImage[10];
        try (SimPipeline acq = new SimPipeline(plugin, Harness.settings(b -> b.keepRaw(false)), SimPipeline.Kind.ACQUISITION)) {
            acq.insertSummary(SimSummary.of(20, "BF"));
            for (int t = 0; t < 20; t++) {
                if (t % 2 == 0) {
                    rgb[t / 2] = SyntheticFrames.rgb32(8, 8, t);
                    acq.insert(rgb[t / 2]);
                } else {
                    acq.insert(SyntheticFrames.stamped16(8, 8, 0, t));
                }
            }
            acq.halt();
            out = acq.outputs();
        }
        assertEquals(20, out.size());
        int rgbSeen = 0;
        for (Image i : out) {
            if (i.getBytesPerPixel() == 4) {
                assertSame(rgb[i.getCoords().getTimePoint() / 2], i, "RGB image passed through as is");
                rgbSeen++;
            } else {
                assertEquals(65535 - SyntheticFrames.stamp16(i.getCoords().getTimePoint(), 0), Harness.value(i, 0));
            }
        }
        assertEquals(10, rgbSeen);
        assertEquals(1, studio.log().count("RGB32"), studio.log().lines().toString());
    }

    @Test
    void eachAcquisitionGetsItsOwnStreamAndNewModelSettingsANewModel() {
        InvertingDenoiser.CREATED.set(0);
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        PropertyMap settings = Harness.settings(b -> b);
        for (int run = 0; run < 3; run++) {
            try (SimPipeline acq = new SimPipeline(plugin, settings, SimPipeline.Kind.ACQUISITION)) {
                acq.insertSummary(SimSummary.of(5, "GFP"));
                for (int t = 0; t < 5; t++) acq.insert(SyntheticFrames.stamped16(8, 8, 0, t));
                acq.halt();
                assertEquals(10, acq.outputs().size(), "run " + run + " " + studio.log().lines());
                assertTrue(acq.violations().isEmpty(), acq.violations().toString());
            }
        }
        // Each acquisition runs on a thread of its own and the ring has one producer thread, so each gets a
        // new stream and model (a warm-start model then starts from the last one's weights: RealModelTest).
        assertEquals(3, InvertingDenoiser.CREATED.get());
        assertEquals(0, studio.log().count("ERROR"), studio.log().lines().toString());
    }
}
