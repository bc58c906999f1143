package org.n2dlive.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tensor building blocks against plain-Java loops written from their definitions. */
class TorchOpsTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat();
        return a;
    }

    @Test
    void pairDownsampleAveragesTheTwoDiagonalsOfEachBlock() {
        int w = 10;
        int h = 6;
        float[] y = random(w * h, 1);
        NDList halves = TorchOps.pairDownsample(manager.create(y, new Shape(1, 1, h, w)));
        float[] d1 = halves.get(0).toFloatArray();
        float[] d2 = halves.get(1).toFloatArray();
        assertEquals(new Shape(1, 1, h / 2, w / 2), halves.get(0).getShape());
        for (int r = 0; r < h / 2; r++) {
            for (int c = 0; c < w / 2; c++) {
                float a = y[(2 * r) * w + 2 * c];
                float b = y[(2 * r) * w + 2 * c + 1];
                float cc = y[(2 * r + 1) * w + 2 * c];
                float d = y[(2 * r + 1) * w + 2 * c + 1];
                assertEquals((a + d) / 2, d1[r * (w / 2) + c], 1e-6);
                assertEquals((b + cc) / 2, d2[r * (w / 2) + c], 1e-6);
            }
        }
    }

    @Test
    void unshuffleFollowsPixelUnshuffleOrderAndShuffleInvertsIt() {
        for (int s : new int[] {2, 4}) {
            int w = 12;
            int h = 8;
            float[] y = random(w * h, s);
            NDArray x = manager.create(y, new Shape(1, 1, h, w));
            NDArray sub = TorchOps.unshuffle(x, s);
            assertEquals(new Shape(s * s, 1, h / s, w / s), sub.getShape());
            float[] got = sub.toFloatArray();
            int sh = h / s;
            int sw = w / s;
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    int k = i * s + j;
                    for (int r = 0; r < sh; r++) {
                        for (int c = 0; c < sw; c++) {
                            assertEquals(y[(r * s + i) * w + (c * s + j)], got[(k * sh + r) * sw + c], 0f,
                                    "s=" + s + " sub-image " + k + " at " + r + "," + c);
                        }
                    }
                }
            }
            assertArrayEquals(y, TorchOps.shuffle(sub, s).toFloatArray(), 0f);
        }
    }

    @Test
    void mseIsTheMeanOfSquaredDifferences() {
        NDArray a = manager.create(new float[] {1, 2, 3, 4});
        NDArray b = manager.create(new float[] {1, 0, 3, 7});
        assertEquals((0 + 4 + 0 + 9) / 4.0, TorchOps.mse(a, b).getFloat(), 1e-6);
    }
}
