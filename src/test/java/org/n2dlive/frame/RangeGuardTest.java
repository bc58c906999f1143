package org.n2dlive.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RangeGuardTest {
    private static Frame gray16(int... v) {
        short[] p = new short[v.length];
        for (int i = 0; i < v.length; i++) p[i] = (short) v[i];
        return Frame.wrap(v.length, 1, p);
    }

    @Test
    void aFrameWithinTheMappingKeepsIt() {
        RangeGuard g = new RangeGuard();
        Normalization n = new Normalization(100, 1000);
        assertSame(n, g.check(n, gray16(100, 500, 1000))); // max at unit 0.9: not above
        assertEquals(0, g.widenings());
    }

    @Test
    void aBrighterFrameWidensTheMappingKeepingTheOffset() {
        RangeGuard g = new RangeGuard();
        Normalization n = new Normalization(100, 1000);
        Normalization w = g.check(n, gray16(100, 3100));
        assertEquals(100, w.offset(), 0);
        assertEquals(3000 * Normalization.AUTO_HEADROOM, w.scale(), 1e-9);
        assertEquals(1, g.widenings());
        // The brightest pixel now lands well inside the unit range.
        assertTrue((3100 - w.offset()) / w.scale() < RangeGuard.WIDEN_ABOVE);
    }

    @Test
    void integerFramesNeverWidenPastTheirType() {
        RangeGuard g = new RangeGuard();
        Normalization n = new Normalization(1000, 60_000);
        Normalization w = g.check(n, gray16(1000, 65_535));
        assertEquals(64_535, w.scale(), 0);
        // 8-bit at full range cannot widen at all.
        Normalization full8 = Normalization.fullRange(PixelType.GRAY8);
        assertSame(full8, g.check(full8, Frame.wrap(2, 1, new byte[] {0, (byte) 255})));
    }

    @Test
    void clippedOutputIsCountedOnlyWhereTheInputWasNotSaturated() {
        RangeGuard g = new RangeGuard();
        Frame raw = gray16(10, 65_535, 20, 30);
        float[] out = {1f, 1f, 0.5f, 1.2f};
        assertEquals(2, g.countClipped(raw, out)); // pixel 1 was saturated at the camera
        assertEquals(2, g.clippedPixels());
    }
}
