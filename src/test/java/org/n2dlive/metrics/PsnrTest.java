package org.n2dlive.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PsnrTest {
    @Test
    void handComputedExample() {
        // Errors 0.1, -0.1, 0, 0.2: MSE = (0.01 + 0.01 + 0 + 0.04) / 4 = 0.015; PSNR = -10·log10(0.015) = 18.2390874...
        float[] clean = {0.5f, 0.5f, 0.25f, 0.0f};
        float[] test = {0.6f, 0.4f, 0.25f, 0.2f};
        assertEquals(18.239087409443187, Psnr.psnr(clean, test, 4), 1e-5);
    }

    @Test
    void unitErrorIsZeroDecibelsAndIdenticalIsInfinite() {
        assertEquals(0.0, Psnr.psnr(new float[] {0, 1}, new float[] {1, 0}, 2), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.psnr(new float[] {0.3f, 0.7f}, new float[] {0.3f, 0.7f}, 2));
        // 8-bit step of one level everywhere: MSE = (1/255)^2, PSNR = 20·log10(255) = 48.1308...
        assertEquals(48.13080360867910, Psnr.psnr(new float[] {0f}, new float[] {1f / 255f}, 1), 1e-5);
    }

    @Test
    void onlyFirstNValuesCount() {
        assertEquals(Double.POSITIVE_INFINITY, Psnr.psnr(new float[] {0, 0, 5}, new float[] {0, 0, 9}, 2));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Psnr.psnr(new float[2], new float[2], 0));
        assertThrows(IllegalArgumentException.class, () -> Psnr.psnr(new float[2], new float[1], 2));
    }
}
