package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TelemetryTest {
    private static final long MS = 1_000_000L;

    @Test
    void rateLossesAndTheAccountingIdentity() {
        Telemetry t = new Telemetry();
        long now = 0;
        // 11 frames out, the last 10 at 10 frames/s; then one unsupported image and 7 dropped.
        t.frameIn();
        t.frameOut(now, 0.5, 300, false);
        for (int i = 1; i <= 10; i++) {
            now += 100 * MS;
            t.frameIn();
            t.frameOut(now, 0.5 / (i + 1), 1, i == 3);
        }
        t.frameIn();
        t.unsupported();
        for (int i = 0; i < 7; i++) t.frameIn();
        t.dropped(7);
        Telemetry.Snapshot s = t.snapshot(now + 10 * MS);
        assertEquals(10.0, s.framesPerSecond, 1e-9);
        assertEquals(11, s.framesOut);
        assertEquals(19, s.framesIn);
        assertEquals(1, s.unsupported);
        assertEquals(0, s.inFlight(), "in = out + dropped + unsupported");
        assertEquals(7, s.dropped);
        assertEquals(1, s.passedThrough);
        assertEquals(1, s.adaptSteps);
        assertEquals(11, s.losses.length);
        assertEquals(0.5, s.losses[0], 0);
        assertEquals(0.5 / 11, s.losses[10], 1e-12, "oldest first");
    }

    @Test
    void aStoppedStreamShowsNoRateAndNaNLossesAreLeftOut() {
        Telemetry t = new Telemetry();
        t.frameOut(0, Double.NaN, 0, false);
        t.frameOut(100 * MS, 1.0, 1, false);
        assertTrue(t.snapshot(200 * MS).framesPerSecond > 0);
        assertEquals(0.0, t.snapshot(5_000 * MS).framesPerSecond, 0, "no frame for seconds: rate 0");
        assertArrayEquals(new double[] {1.0}, t.snapshot(200 * MS).losses);
        assertEquals(-2, t.snapshot(0).inFlight(), "two out without an in: the identity does not hold");
    }

    @Test
    void theModelsReFitsWarmUpFirstOutputAndClippingAreShown() {
        Telemetry t = new Telemetry();
        Telemetry.Snapshot before = t.snapshot(System.nanoTime());
        assertTrue(Double.isNaN(before.firstOutputMs), "nothing out yet");
        assertEquals("–", org.n2dlive.mm.ui.N2DConfigurator.modelText(before));
        t.frameIn();
        t.model(System.nanoTime(), 0, null, true, 0);
        t.frameOut(System.nanoTime(), 0.1, 3, false);
        t.frameIn();
        t.model(System.nanoTime(), 1, "scene change: correlation 0.02", false, 5);
        t.frameOut(System.nanoTime(), 0.1, 1, false);
        Telemetry.Snapshot s = t.snapshot(System.nanoTime());
        assertTrue(s.firstOutputMs >= 0 && Double.isFinite(s.firstOutputMs), "first output " + s.firstOutputMs);
        assertEquals(1, s.refits);
        assertEquals("scene change: correlation 0.02", s.lastRefitReason);
        assertEquals(5, s.clippedPixels);
        String text = org.n2dlive.mm.ui.N2DConfigurator.modelText(s);
        assertTrue(text.startsWith("warm | first output "), text);
        assertTrue(text.contains("re-fits 1 (scene change: correlation 0.02) | clipped 5"), text);
    }
}
