package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CellSceneTest {

    @Test
    void theSceneIsDeterministicInRangeAndHasStructure() {
        float[] a = CellScene.draw(256, 256, 1);
        assertArrayEquals(a, CellScene.draw(256, 256, 1));
        assertFalse(Arrays.equals(a, CellScene.draw(256, 256, 2)));
        float min = 1;
        float max = 0;
        double mean = 0;
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
            min = Math.min(min, v);
            max = Math.max(max, v);
            mean += v / a.length;
        }
        assertTrue(min < 0.08, "a dark background: " + min);
        assertTrue(max > 0.5, "bright nuclei and puncta: " + max);
        assertTrue(mean > 0.03 && mean < 0.4, "mostly dim, like fluorescence: " + mean);
        // Fine detail: many large jumps between neighbouring pixels (edges, filaments, puncta).
        int edges = 0;
        for (int y = 0; y < 256; y++) {
            for (int x = 1; x < 256; x++) if (Math.abs(a[y * 256 + x] - a[y * 256 + x - 1]) > 0.05) edges++;
        }
        assertTrue(edges > 300, "edges: " + edges);
    }

    @Test
    void otherSizesWork() {
        float[] s = CellScene.draw(60, 36, 4);
        assertTrue(s.length == 60 * 36);
    }
}
