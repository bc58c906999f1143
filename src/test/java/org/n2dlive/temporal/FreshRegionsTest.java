package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreshRegionsTest {
    private static final int W = 80, H = 60;

    private static void block(float[] a, int x0, int y0, int bw, int bh, float v) {
        for (int y = y0; y < y0 + bh; y++) Arrays.fill(a, y * W + x0, y * W + x0 + bw, v);
    }

    private static float[] still() {
        float[] q = new float[W * H];
        Arrays.fill(q, 40f);
        return q;
    }

    @Test
    void isolatedFalseAlarmsAreDroppedAndChangesKeptWithTheirSpread() {
        float[] q = still(), proven = new float[W * H];
        q[5 * W + 70] = 1; // an isolated false alarm
        block(q, 60, 40, 3, 3, 1); // a clump of 9
        block(q, 10, 10, 5, 5, 1); // a change: 25 px, one of them proven
        proven[12 * W + 12] = 1;
        FreshRegions r = new FreshRegions(1, 4, 16, 2);
        int pixels = r.find(q, proven, W, H);
        assertEquals(1, r.regions());
        assertEquals(9 * 9, pixels, "the 5×5 change spread 2 px");
        int[] box = new int[4];
        assertEquals(FreshRegions.PROVEN, r.box(0, box));
        assertArrayEquals(new int[] {8, 8, 17, 17}, box);
        assertEquals(1 + 9, r.droppedPixels());
        assertEquals(0f, r.share()[5 * W + 70]);
        assertEquals(0f, r.share()[41 * W + 61]);
        assertEquals(1f, r.share()[12 * W + 12]);
        assertEquals(1f, r.share()[8 * W + 8], "the spread takes the full share");
        assertEquals(0f, r.share()[7 * W + 8]);
        assertEquals(FreshRegions.PROVEN, r.kinds()[8 * W + 8]);
        assertEquals(0, r.kinds()[41 * W + 61]);
    }

    @Test
    void fragmentsOfOneChangeJoinWhileApartOnesDoNot() {
        float[] q = still(), proven = new float[W * H];
        block(q, 10, 10, 3, 3, 1);
        block(q, 16, 10, 3, 3, 1); // 3 px apart: within 2 × spread, one region of 18 own pixels
        block(q, 40, 30, 3, 3, 1);
        block(q, 50, 30, 3, 3, 1); // 7 px apart: two clumps of 9, both dropped
        FreshRegions r = new FreshRegions(1, 4, 16, 2);
        r.find(q, proven, W, H);
        assertEquals(1, r.regions());
        int[] box = new int[4];
        assertEquals(FreshRegions.RECOVERING, r.box(0, box), "no proven change in it");
        assertArrayEquals(new int[] {8, 8, 21, 15}, box);
        assertEquals(18, r.droppedPixels());
    }

    /** An exposed edge that touches one proven change: only the part near the change is of the proven kind. */
    @Test
    void aGroupSplitsIntoItsProvenPartAndTheRest() {
        float[] q = still(), proven = new float[W * H];
        block(q, 0, 30, 60, 1, 0); // a row without history
        proven[30 * W + 5] = 1;
        FreshRegions r = new FreshRegions(1, 4, 16, 2);
        r.find(q, proven, W, H);
        assertEquals(2, r.regions());
        int[] box = new int[4];
        assertEquals(FreshRegions.PROVEN, r.box(0, box));
        assertArrayEquals(new int[] {0, 28, 11, 33}, box, "within 5 px of the proven pixel");
        assertEquals(FreshRegions.RECOVERING, r.box(1, box));
        assertArrayEquals(new int[] {11, 28, 62, 33}, box);
        assertEquals(FreshRegions.PROVEN, r.kinds()[32 * W + 10]);
        assertEquals(FreshRegions.RECOVERING, r.kinds()[32 * W + 11]);
    }

    @Test
    void shareRampsWithPrecisionAndAStillFrameHasNone() {
        FreshRegions r = new FreshRegions(1, 4, 1, 0);
        float[] q = still();
        assertEquals(0, r.find(q, new float[W * H], W, H));
        assertEquals(0, r.regions());
        q[30 * W + 30] = 2.5f;
        q[30 * W + 31] = 4f;
        q[30 * W + 32] = 0.5f;
        assertEquals(2, r.find(q, new float[W * H], W, H));
        assertEquals(0.5f, r.share()[30 * W + 30], 1e-6);
        assertEquals(0f, r.share()[30 * W + 31]);
        assertEquals(1f, r.share()[30 * W + 32]);
        assertEquals(2, r.regions(), "q = 4 splits them");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FreshRegions(4, 1, 16, 2));
        assertThrows(IllegalArgumentException.class, () -> new FreshRegions(1, 4, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new FreshRegions(1, 4, 16, -1));
        FreshRegions r = new FreshRegions(1, 4, 16, 2);
        r.find(still(), new float[W * H], W, H);
        assertThrows(IndexOutOfBoundsException.class, () -> r.box(0, new int[4]));
    }
}
