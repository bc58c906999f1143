package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Noise2DetailTest {

    private static double mse(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        return s / a.length;
    }

    @Test
    void threeStagesOnAnOddSizedImageDenoiseAndKeepTheSize() {
        int w = 45;
        int h = 38; // neither a multiple of 4: reflect-padded, cropped back
        Random r = new Random(11);
        float[] clean = new float[w * h];
        float[] noisy = new float[w * h];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (float) (0.4 + 0.3 * Math.sin((i % w) * 0.3) * Math.cos((i / w) * 0.2));
            noisy[i] = (float) (clean[i] + 0.1 * r.nextGaussian());
        }
        N2dConfig cfg = N2dConfig.PAPER.withSteps(250).withChannels(12);
        try (Noise2Detail n2d = Noise2Detail.create("pytorch", "cpu")) {
            Noise2Detail.Result res = n2d.run(noisy, w, h, cfg, null);
            assertEquals(w * h, res.stage1.length);
            assertEquals(w * h, res.stage3.length);
            for (float[] s : new float[][] {res.stage1, res.stage2, res.stage3}) {
                for (float v : s) assertTrue(v >= 0 && v <= 1, "stage output outside [0,1]: " + v);
            }
            double noisyMse = mse(noisy, clean);
            assertTrue(mse(res.stage1, clean) < 0.6 * noisyMse, "stage 1 did not denoise");
            assertTrue(mse(res.stage2, clean) < 0.6 * noisyMse, "stage 2 did not denoise");
            assertTrue(mse(res.stage3, clean) < 0.6 * noisyMse, "stage 3 did not denoise");
            assertEquals(12, res.f.channels);
        }
    }

    @Test
    void seededRunsRepeatAndSeedsDiffer() {
        float[] y = new float[16 * 16];
        Random r = new Random(2);
        for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
        N2dConfig cfg = N2dConfig.PAPER.withSteps(3).withChannels(4);
        try (Noise2Detail n2d = Noise2Detail.create("pytorch", "cpu")) {
            Noise2Detail.Result a = n2d.run(y, 16, 16, cfg, null);
            Noise2Detail.Result b = n2d.run(y, 16, 16, cfg, null);
            Noise2Detail.Result c = n2d.run(y, 16, 16, cfg.withSeed(9), null);
            assertEquals(a.f, b.f);
            assertTrue(!a.f.equals(c.f));
        }
    }

    @Test
    void nonFinitePixelsAreRejected() {
        float[] y = new float[8 * 8];
        y[9] = Float.NaN;
        try (Noise2Detail n2d = Noise2Detail.create("pytorch", "cpu")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> n2d.run(y, 8, 8, N2dConfig.PAPER.withSteps(1).withChannels(4), null));
            assertTrue(e.getMessage().contains("(1,1)"));
        }
    }

    @Test
    void aBackendIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Noise2Detail(ai.djl.Device.cpu(), null));
        assertTrue(e.getMessage().contains("Backends.create"), e.getMessage());
    }
}
