package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformRangeAreWithinTheBucketResolution() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(-1, h.percentile(0.5));
        for (long v = 1; v <= 10_000; v++) h.record(v);
        assertEquals(10_000, h.count());
        assertEquals(5000, h.percentile(0.5), 5000 * 0.04);
        assertEquals(9900, h.percentile(0.99), 9900 * 0.04);
    }

    @Test
    void smallValuesAreExactAndHugeOnesDoNotOverflow() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 99; i++) h.record(7);
        h.record(Long.MAX_VALUE);
        assertEquals(7, h.percentile(0.5));
        assertTrue(h.percentile(1.0) > 1L << 40);
    }

    @Test
    void bucketsAreContiguous() {
        for (long v = 0; v < 1 << 20; v += 3) {
            int i = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.lower(i) <= v, "v=" + v);
            assertTrue(LatencyHistogram.lower(i + 1) > v, "v=" + v);
        }
    }
}
