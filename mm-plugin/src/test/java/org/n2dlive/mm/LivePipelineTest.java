package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.data.Image;
import org.n2dlive.mm.host.SimImage;
import org.n2dlive.mm.host.SimPipeline;
import org.n2dlive.mm.host.SimStudio;

/** Live mode (LIVE): processImage on the Swing event thread, never waiting for a busy model. */
class LivePipelineTest {
    private final SimStudio studio = new SimStudio();
    private N2DPlugin plugin;

    @AfterEach
    void closeHost() {
        if (plugin != null) plugin.host().close();
    }

    @Test
    void processImageNeverWaitsForABusyModelAndShowsTheNewestDenoisedFrame() throws Exception {
        long modelMs = 60;
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser(TimeUnit.MILLISECONDS.toNanos(modelMs), k -> false));
        int n = 300;
        long[] nanos = new long[n];
        List<Image> out;
        try (SimPipeline live = new SimPipeline(plugin, Harness.settings(b -> b), SimPipeline.Kind.LIVE)) {
            for (int t = 0; t < n; t++) {
                nanos[t] = live.insert(SyntheticFrames.stamped16(64, 64, 0, t));
                Thread.sleep(2); // a fast camera: far more frames than the model can take
            }
            long t0 = System.nanoTime();
            live.halt();
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(modelMs * 5),
                    "live cleanup does not wait for the model");
            assertTrue(live.violations().isEmpty(), live.violations().toString());
            out = live.outputs();
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[n / 2] / 1e6;
        double p99 = sorted[(int) (n * 0.99)] / 1e6;
        double max = sorted[n - 1] / 1e6;
        System.out.printf(Locale.ROOT, "LIVE processImage while the model is busy (%d ms/frame): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                modelMs, p50, p99, max);
        // Generous bound (shared 2-core machine); the point: far below one model frame, so it never waited.
        assertTrue(p99 < modelMs / 2.0, "p99 " + p99 + " ms");

        // Raw frames only until the first denoised one, then only denoised frames, newest first-come, in order.
        int firstDenoised = -1;
        int lastT = -1;
        int denoised = 0;
        for (int k = 0; k < out.size(); k++) {
            Image i = out.get(k);
            int t = i.getCoords().getTimePoint();
            boolean isDenoised = Harness.value(i, 1) == 65535 - SyntheticFrames.stamp16(t, 1);
            if (isDenoised) {
                if (firstDenoised < 0) firstDenoised = k;
                denoised++;
                assertTrue(t > lastT, "denoised frames go forward in time");
                lastT = t;
            } else {
                assertTrue(firstDenoised < 0, "a raw frame after denoised ones at output " + k);
                assertEquals(SyntheticFrames.stamp16(t, 1), Harness.value(i, 1));
            }
        }
        assertTrue(denoised >= 2, "some denoised frames shown: " + denoised);
        assertTrue(denoised < n / 2, "the busy model skipped frames: " + denoised + " of " + n);
        Telemetry.Snapshot s = plugin.host().telemetry().snapshot(System.nanoTime());
        assertTrue(s.dropped > 0, "skipped frames are counted as dropped");
    }

    @Test
    void liveRebuildKeepsTheWarmModel() {
        InvertingDenoiser.CREATED.set(0);
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        for (int rebuild = 0; rebuild < 4; rebuild++) {
            try (SimPipeline live = new SimPipeline(plugin, Harness.settings(b -> b), SimPipeline.Kind.LIVE)) {
                for (int t = 0; t < 20; t++) live.insert(SyntheticFrames.stamped8(16, 16, 0, t));
                live.halt();
                assertFalse(live.outputs().isEmpty());
            }
        }
        assertEquals(1, InvertingDenoiser.CREATED.get(), "display resets rebuild the pipeline, not the model");
    }

    @Test
    void liveNeverRecordsRawAndDenoisedTwice() {
        plugin = Harness.plugin(studio, (p, s) -> new InvertingDenoiser());
        try (SimPipeline live = new SimPipeline(plugin, Harness.settings(b -> b.keepRaw(true)), SimPipeline.Kind.LIVE)) {
            for (int t = 0; t < 50; t++) live.insert(SyntheticFrames.stamped8(16, 16, 0, t));
            live.halt();
            for (Image i : live.outputs()) {
                assertEquals(0, i.getCoords().getChannel(), "live mode shows one channel");
                assertTrue(i instanceof SimImage);
            }
        }
    }
}
