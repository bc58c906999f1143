package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RowBandsTest {

    @Test
    void bandsTileTheFrameAndCarryTheirHalo() {
        for (Pipeline p : Pipeline.values()) {
            for (int height : new int[] {4, 16, 48, 96, 100, 256, 512, 1028}) {
                for (int threads : new int[] {1, 2, 3, 8}) {
                    RowBands b = RowBands.of(height, p, threads);
                    assertTrue(b.count() >= 1 && b.count() <= threads);
                    int next = 0;
                    for (int i = 0; i < b.count(); i++) {
                        assertEquals(next, b.coreStart(i), "bands must tile the frame without gaps");
                        if (p.shuffles()) assertEquals(0, b.coreStart(i) % 4, "shuffle phase");
                        if (p.shuffles()) assertEquals(0, b.inStart(i) % 4, "shuffle phase of the input");
                        assertEquals(Math.max(0, b.coreStart(i) - p.haloRows()), b.inStart(i));
                        int end = b.coreStart(i) + b.coreRows(i);
                        assertEquals(Math.min(height, end + p.haloRows()), b.inStart(i) + b.inRows(i));
                        next = end;
                    }
                    assertEquals(height, next);
                }
            }
        }
    }

    @Test
    void shortFramesStayWholeAndTallOnesSplit() {
        assertEquals(1, RowBands.of(32, Pipeline.FULL, 2).count(), "a 12-row halo on 16 own rows costs more than it saves");
        assertEquals(2, RowBands.of(256, Pipeline.FULL, 2).count());
        assertEquals(2, RowBands.of(512, Pipeline.STAGE1, 2).count());
        RowBands b = RowBands.of(512, Pipeline.STAGE1, 2);
        assertEquals(258, b.inRows(0));
        assertEquals(258, b.maxInRows());
    }

    @Test
    void largeFramesAreCutIntoBandsOfBoundedSizeAMultipleOfTheThreads() {
        assertEquals(2, RowBands.forThreads(512, 512, Pipeline.ENSEMBLE, 2).count(), "a 512² frame: one band per thread");
        RowBands stage1 = RowBands.forThreads(2048, 2048, Pipeline.STAGE1, 2);
        assertEquals(16, stage1.count(), "2048²: 128-row bands, 2^18 pixels each");
        assertTrue((long) stage1.maxInRows() * 2048 <= (1 << 18) + 4L * 2048, "rows read " + stage1.maxInRows());
        RowBands ensemble = RowBands.forThreads(2048, 2048, Pipeline.ENSEMBLE, 2);
        assertEquals(0, ensemble.count() % 2);
        for (int i = 0; i < ensemble.count(); i++) {
            assertTrue(ensemble.coreRows(i) >= 8 * 2 * Pipeline.ENSEMBLE.haloRows(),
                    "the halos cost at most ~1/8 of a band's rows: band " + i + " has " + ensemble.coreRows(i));
        }
        assertEquals(3, RowBands.forThreads(64, 300, Pipeline.STAGE1, 3).count());
        assertThrows(IllegalArgumentException.class, () -> RowBands.forThreads(0, 64, Pipeline.STAGE1, 2));
        assertThrows(IllegalArgumentException.class, () -> RowBands.forThreads(64, 64, Pipeline.STAGE1, 0));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RowBands.of(0, Pipeline.STAGE1, 2));
        assertThrows(IllegalArgumentException.class, () -> RowBands.of(64, null, 2));
        assertThrows(IllegalArgumentException.class, () -> RowBands.of(64, Pipeline.STAGE1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RowBands.of(66, Pipeline.FULL, 2));
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    }
}
