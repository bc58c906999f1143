package org.n2dlive.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SsimTest {
    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void identicalImagesScoreOne() {
        Random r = new Random(3);
        float[] a = new float[20 * 15];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        assertEquals(1.0, Ssim.ssim(a, a.clone(), 20, 15), 1e-12);
    }

    @Test
    void constantImagesFollowTheLuminanceTerm() {
        // Both constant: all variances and the covariance vanish, so at every pixel
        // SSIM = (2·μa·μb + C1)(C2) / ((μa² + μb² + C1)(C2)) = (2·0.2·0.5 + 1e-4) / (0.04 + 0.25 + 1e-4)
        //      = 0.2001 / 0.2901.
        double expected = 0.2001 / 0.2901;
        assertEquals(expected, Ssim.ssim(filled(16 * 12, 0.2f), filled(16 * 12, 0.5f), 16, 12), 1e-6);
        // Equal constants: exactly 1.
        assertEquals(1.0, Ssim.ssim(filled(121, 0.7f), filled(121, 0.7f), 11, 11), 1e-9);
        // Black against white: (0 + 1e-4) / (0 + 1 + 1e-4).
        assertEquals(1e-4 / 1.0001, Ssim.ssim(filled(144, 0f), filled(144, 1f), 12, 12), 1e-9);
    }

    @Test
    void symmetric() {
        Random r = new Random(11);
        float[] a = new float[30 * 17];
        float[] b = new float[30 * 17];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
            b[i] = Math.min(1f, Math.max(0f, a[i] + (float) r.nextGaussian() * 0.2f));
        }
        double ab = Ssim.ssim(a, b, 30, 17);
        assertEquals(ab, Ssim.ssim(b, a, 30, 17), 0.0);
        assertTrue(ab > 0 && ab < 1, "ssim " + ab);
    }

    @Test
    void matchesScikitImageOnSyntheticPattern() {
        // a = ((7x + 13y) mod 23) / 22, b = clip(a + 0.1·sin(1.3x + 0.7y), 0, 1), 17 wide x 13 high, as float32.
        // skimage 0.26.0 structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
        // use_sample_covariance=False, data_range=1) on the float32 values = 0.9742019866975888.
        int w = 17, h = 13;
        float[] a = new float[w * h];
        float[] b = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double av = ((x * 7 + y * 13) % 23) / 22.0;
                a[y * w + x] = (float) av;
                b[y * w + x] = (float) Math.min(1.0, Math.max(0.0, av + 0.1 * Math.sin(x * 1.3 + y * 0.7)));
            }
        }
        assertEquals(0.9742019866975888, Ssim.ssim(a, b, w, h), 1e-9);
    }

    @Test
    void windowIsElevenWide() {
        assertEquals(5, Ssim.RADIUS);
        assertEquals(11, Ssim.WINDOW);
        assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(new float[100], new float[100], 10, 10));
    }
}
