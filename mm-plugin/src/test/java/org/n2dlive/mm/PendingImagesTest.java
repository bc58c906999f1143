package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.n2dlive.frame.PixelType;
import org.n2dlive.mm.host.SimCoords;
import org.n2dlive.mm.host.SimMetadata;

class PendingImagesTest {

    @Test
    void keepsOrderAcrossGrowth() {
        PendingImages p = new PendingImages(4);
        for (int t = 1; t <= 100; t++) p.add(t * 10L, SimCoords.of(0, t), SimMetadata.fresh(), PixelType.GRAY16);
        for (int t = 1; t <= 100; t++) {
            assertTrue(p.seek(t * 10L));
            assertEquals(0, p.lastSkipped);
            assertEquals(t, p.headCoords().getTimePoint());
            p.pop();
        }
        assertTrue(p.isEmpty());
    }

    @Test
    void seekDropsSkippedFramesAndIgnoresOlderTags() {
        PendingImages p = new PendingImages(4);
        for (int t = 5; t <= 9; t++) p.add(t, SimCoords.of(0, t), SimMetadata.fresh(), PixelType.GRAY8);
        assertFalse(p.seek(3), "a tag from before this processor");
        assertEquals(5, p.size());
        assertTrue(p.seek(8));
        assertEquals(3, p.lastSkipped);
        assertEquals(8, p.headCoords().getTimePoint());
        assertEquals(PixelType.GRAY8, p.headType());
        p.pop();
        assertEquals(1, p.size());
    }

    @Test
    void rejectsTagsOutOfOrder() {
        PendingImages p = new PendingImages(4);
        p.add(2, SimCoords.of(0, 0), SimMetadata.fresh(), PixelType.GRAY8);
        assertThrows(IllegalArgumentException.class, () -> p.add(2, SimCoords.of(0, 1), SimMetadata.fresh(), PixelType.GRAY8));
    }
}
