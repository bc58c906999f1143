package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class QualityReadoutTest {
    private static final int W = 128;
    private static final int H = 128;
    private static final double READ_VARIANCE = 4; // ADU²

    /**
     * A static scene (a ramp of 5..40 ADU above a 10 ADU dark level, noise variance = signal + 4 ADU², as a camera at
     * 1 ADU per electron) whose signal changes by {@code perFrame} (−0.02: fades 2 % a frame) and an output with a
     * known error: the clean frame plus a ±2 ADU checkerboard (MSE 4 ADU², independent of the noise). Returns the
     * mean over frames 10..39 of readout − true PSNR (dB), the true PSNR of output t−1 being 10·log10(255²/4).
     */
    private static double readoutBias(double perFrame, long seed) {
        Random r = new Random(seed);
        QualityReadout q = new QualityReadout();
        float[] raw = new float[W * H];
        float[] out = new float[W * H];
        double truePsnr = 10 * Math.log10(255.0 * 255 / 4);
        double sum = 0;
        int count = 0;
        for (int t = 0; t < 40; t++) {
            double keep = Math.pow(1 + perFrame, t);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    double signal = (5 + 35.0 * x / (W - 1)) * keep;
                    double clean = 10 + signal;
                    raw[i] = (float) (clean + Math.sqrt(signal + READ_VARIANCE) * r.nextGaussian());
                    out[i] = (float) (clean + (((x + y) & 1) == 0 ? 2 : -2));
                }
            }
            double est = q.update(raw, out, W, H, 0, 0, true, 255, false);
            if (t >= 11) {
                assertTrue(Double.isFinite(est), "frame " + t);
                sum += est - truePsnr;
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void onAStaticSceneTheReadoutIsTheOutputsError() {
        assertEquals(0, readoutBias(0, 1), 0.15);
    }

    @Test
    void aFadingSceneIsNotReadHigh() {
        // The noise term is a running mean over ~2 frames and lags a noise that falls with the brightness; taken at
        // the mean level of those frames, it read this scene +0.8 dB high (bleaching as FMD field 3's, faster).
        // Transported to this frame's level it reads within the sampling noise.
        assertEquals(0, readoutBias(-0.02, 2), 0.25);
    }

    @Test
    void aBrighteningSceneIsNotReadLow() {
        assertEquals(0, readoutBias(0.01, 3), 0.25);
    }
}
