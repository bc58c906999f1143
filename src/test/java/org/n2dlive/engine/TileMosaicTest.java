package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.n2dlive.engine.onnx.OnnxInference;

/** Tiles give exactly the whole-frame result inside what they cover, wherever they lie. */
class TileMosaicTest {

    private static float[] image(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] y = new float[w * h];
        for (int i = 0; i < y.length; i++) y[i] = 0.3f + 0.2f * (float) Math.sin(i % w * 0.21) + 0.1f * r.nextFloat();
        return y;
    }

    private static float[] whole(InferenceBackend b, float[] y, int w, int h, Pipeline p) {
        float[][] out = new float[p.stages()][];
        out[p.stages() - 1] = new float[w * h];
        b.infer(y, w, h, p, out);
        return out[p.stages() - 1];
    }

    /** Covers the regions, runs, and checks every covered pixel against the whole frame (NaN left elsewhere). */
    private static int check(InferenceBackend b, int w, int h, Pipeline p, int[][] regions) {
        float[] y = image(w, h, w * 31L + h);
        float[] expected = whole(b, y, w, h, p);
        TileMosaic tiles = new TileMosaic(p);
        tiles.reset(w, h);
        for (int[] r : regions) tiles.cover(r[0], r[1], r[2], r[3]);
        float[] result = new float[w * h];
        Arrays.fill(result, Float.NaN);
        tiles.run(b, y, result);
        int untouched = 0;
        for (int[] r : regions) {
            for (int yy = r[1]; yy < r[3]; yy++) {
                for (int x = r[0]; x < r[2]; x++) {
                    int i = yy * w + x;
                    assertEquals(expected[i], result[i], 2e-5f, p + " " + w + "x" + h + ": pixel (" + x + ", " + yy + ")");
                }
            }
        }
        for (int i = 0; i < result.length; i++) {
            if (Float.isNaN(result[i])) untouched++;
            else assertEquals(expected[i], result[i], 2e-5f, p + ": whatever a tile writes is exact, pixel " + i);
        }
        assertTrue(untouched > 0 || tiles.pixels() >= (long) w * h, "tiles write their valid parts only");
        return tiles.count();
    }

    @ParameterizedTest
    @EnumSource(value = Pipeline.class, names = {"STAGE1", "ENSEMBLE"})
    void tilesAtEdgesCornersAndInsideMatchTheWholeFrame(Pipeline p) {
        try (OnnxInference onnx = new OnnxInference(2)) {
            onnx.setWeights(NetWeights.initialise(8, 5), null);
            int[][] regions = {
                {0, 0, 7, 5}, // top-left corner
                {130, 190, 136, 200}, // bottom-right corner
                {60, 0, 90, 3}, // top edge
                {20, 197, 50, 200}, // bottom edge
                {0, 90, 2, 130}, // left edge, taller than a core
                {70, 80, 85, 95}, // inside
                {33, 41, 118, 49}, // wider than a core: several tiles
            };
            int n = check(onnx, 136, 200, p, regions);
            assertTrue(n >= 8, "several tiles, got " + n);
        }
    }

    @Test
    void moreTilesThanOneCallTakesRunInSeveralAndAFrameOneTileHighRunsThemAlone() {
        try (OnnxInference onnx = new OnnxInference(2)) {
            onnx.setWeights(NetWeights.initialise(8, 6), null);
            int n = check(onnx, 216, 244, Pipeline.ENSEMBLE, new int[][] {{0, 0, 216, 244}});
            assertTrue(n > TileMosaic.MAX_PER_CALL, "the whole frame needs " + n + " tiles");
            int m = check(onnx, 200, 64, Pipeline.ENSEMBLE, new int[][] {{0, 0, 5, 5}, {100, 30, 150, 64}, {190, 0, 200, 64}});
            assertTrue(m >= 3, "tiles that reach both the top and the bottom: " + m);
        }
    }

    @Test
    void aRegionInsideOneCoreTakesOneTile() {
        TileMosaic t = new TileMosaic(Pipeline.ENSEMBLE);
        t.reset(256, 256);
        assertEquals(40, t.core());
        t.cover(100, 100, 140, 140);
        assertEquals(1, t.count());
        t.cover(100, 100, 140, 140);
        assertEquals(1, t.count(), "the same tile is not added twice");
        t.cover(101, 100, 141, 140);
        assertEquals(2, t.count(), "a core starts on a multiple of 4: 41 px from 100 need one more tile");
        t.reset(256, 256);
        assertEquals(0, t.count());
    }

    @Test
    void badGeometryAndRegionsAreRefused() {
        TileMosaic t = new TileMosaic(Pipeline.ENSEMBLE);
        assertThrows(IllegalStateException.class, () -> t.cover(0, 0, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> t.reset(60, 256));
        assertThrows(IllegalArgumentException.class, () -> t.reset(130, 256));
        assertFalse(t.fits(256, 60));
        assertEquals(28, new TileMosaic(Pipeline.STAGE1).core(), "stage 1: 32 px tiles, 2 px halo");
        t.reset(128, 128);
        assertThrows(IllegalArgumentException.class, () -> t.cover(0, 0, 129, 4));
        assertThrows(IllegalArgumentException.class, () -> t.cover(5, 5, 5, 9));
        assertThrows(IllegalArgumentException.class, () -> new TileMosaic(null));
    }
}
