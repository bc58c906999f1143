package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.data.Image;

/**
 * An acquisition while the camera runs a sequence (a hardware-timed burst into the core's circular buffer, which
 * overflows if the pipeline waits): the plugin never makes the pipeline wait for the model, and still loses
 * nothing. Frames the model cannot keep up with reach the dataset raw, flagged, in order.
 */
class CameraSequenceTest {
    private final StudioStandIn studio = new StudioStandIn();
    private N2DPlugin plugin;

    @AfterEach
    void closeHost() {
        if (plugin != null) plugin.host().close();
    }

    @Test
    void aBurstFasterThanTheModelIsNeverMadeToWaitAndLosesNothing() throws Exception {
        InvertingDenoiser model = new InvertingDenoiser(TimeUnit.MILLISECONDS.toNanos(10), k -> false);
        plugin = Plugins.plugin(studio, (p, s) -> model);
        // 64x64 GRAY16: 16 KiB a slot, so 16 MiB gives 1024 slots, fewer than the burst: waiting for the 10 ms model
        // would fill the ring and stall the pipeline. ~2 s of model time is ~200 frames.
        int n = 1500;
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.ringMemoryMb(16).keepRaw(false)));
        acq.start(Acquisition.summary(n, "GFP"), false);
        studio.core().setSequenceRunning(true);
        acq.save(n, t -> Camera.stamped16(64, 64, 0, t));
        studio.core().setSequenceRunning(false);
        assertEquals(0, plugin.host().publishWaits(), "the pipeline waited for the model during a camera sequence");
        acq.finish();
        assertTrue(acq.errors.isEmpty(), "the pipeline recorded " + acq.errors);

        List<Image> den = acq.channel(0);
        assertEquals(n, den.size(), "every frame of the burst is in the dataset");
        int raw = 0;
        for (int t = 0; t < n; t++) {
            Image d = den.get(t);
            assertEquals(t, d.getCoords().getTimePoint());
            if (Plugins.passedThrough(d)) {
                raw++;
                assertEquals(Camera.stamp16(t, 100), Camera.value(d, 100), "frame " + t + " recorded raw");
                assertTrue(d.getMetadata().getUserData().getString(Provenance.ERROR, "").contains("ran ahead of the model"));
            } else {
                assertEquals(65535 - Camera.stamp16(t, 100), Camera.value(d, 100), "frame " + t + " denoised");
            }
        }
        assertTrue(raw > 0 && raw < n, raw + " of " + n + " recorded raw");
        assertEquals(n - raw, model.calls(), "the model saw exactly the frames it denoised");
        assertFalse(Plugins.passedThrough(den.get(n - 1)), "the model finishes the last ~2 s of the burst");
        assertEquals(1, studio.count("ran ahead of the model"), "said once in the log");
        assertEquals(0, studio.count("ERROR"), "running behind is not an error");
        assertEquals(0, Plugins.settledTelemetry(plugin).dropped);
    }
}
