package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TelemetryTest {
    private static final long MS = 1_000_000L;

    @Test
    void rateLatencyAndLossesFromWhatWentOut() {
        Telemetry t = new Telemetry();
        long now = 0;
        // First frame waited 60 s for the initial fit; then 10 frames at 10 frames/s, 80 ms latency each.
        t.frameIn();
        t.frameOut(now, 60_000 * MS, 0.5, 300, false);
        for (int i = 1; i <= 10; i++) {
            now += 100 * MS;
            t.frameIn();
            t.frameOut(now, 80 * MS, 0.5 / (i + 1), 1, i == 3);
        }
        t.dropped(7);
        Telemetry.Snapshot s = t.snapshot(now + 10 * MS);
        assertEquals(10.0, s.framesPerSecond, 1e-9);
        assertEquals(80.0, s.latencyMs, 1e-9, "median: the first frame's long wait does not dominate");
        assertEquals(11, s.framesOut);
        assertEquals(11, s.framesIn);
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
        t.frameOut(0, 5 * MS, Double.NaN, 0, false);
        t.frameOut(100 * MS, 5 * MS, 1.0, 1, false);
        assertTrue(t.snapshot(200 * MS).framesPerSecond > 0);
        assertEquals(0.0, t.snapshot(5_000 * MS).framesPerSecond, 0, "no frame for seconds: rate 0");
        assertArrayEquals(new double[] {1.0}, t.snapshot(200 * MS).losses);
        assertTrue(Double.isNaN(new Telemetry().snapshot(0).latencyMs));
    }
}
