package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.stream.DenoiseReport;

class WarmStartDenoiserTest {

    /** A smooth 8-bit scene with fresh Gaussian noise per call: a static stream. */
    static Frame noisyFrame(int w, int h, Random r, float[] cleanOut) {
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double clean = 0.45 + 0.3 * Math.sin(x * 0.35) * Math.cos(y * 0.25);
                if (cleanOut != null) cleanOut[y * w + x] = (float) clean;
                long v = Math.round((clean + 0.08 * r.nextGaussian()) * 255);
                px[y * w + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return Frame.wrap(w, h, px);
    }

    static double mse(Frame f, float[] clean) {
        double s = 0;
        for (int i = 0; i < clean.length; i++) {
            double d = f.get(i) / 255.0 - clean[i];
            s += d * d;
        }
        return s / clean.length;
    }

    private static WarmStartSettings settings(Pipeline p, int adaptSteps) {
        return settings(p, 40, adaptSteps);
    }

    private static WarmStartSettings settings(Pipeline p, int initialSteps, int adaptSteps) {
        return new WarmStartSettings(p, 8, initialSteps, 32, adaptSteps, 32, 1000, 1e-3, 1000, 3, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "full-range");
    }

    @Test
    void fitsOnTheFirstFrameThenAdaptsAndBeatsTheNoise() {
        Random r = new Random(5);
        float[] clean = new float[36 * 30];
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.FULL, 300, 4))) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            double noisy = 0;
            double denoised = 0;
            for (int i = 0; i < 16; i++) {
                Frame in = noisyFrame(36, 30, r, clean);
                rep.reset();
                d.denoise(in, out, rep);
                assertEquals(i == 0, rep.refitted, "frame " + i);
                assertEquals(i == 0 ? 600 : 8, rep.adaptationSteps, "frame " + i);
                assertEquals(PixelType.GRAY8, out.type());
                assertEquals(36, out.width());
                assertEquals(30, out.height());
                if (i >= 8) {
                    noisy += mse(in, clean);
                    denoised += mse(out, clean);
                }
            }
            assertTrue(denoised < 0.7 * noisy, "denoised MSE " + denoised + " vs noisy " + noisy);
            assertFalse(d.weightsFingerprint().isEmpty());
        }
    }

    @Test
    void sizeAndBitDepthChangesRefitWithoutCrashing() {
        Random r = new Random(6);
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.ENSEMBLE, 1))) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            d.denoise(noisyFrame(32, 32, r, null), out, rep);
            rep.reset();
            d.denoise(noisyFrame(21, 17, r, null), out, rep); // odd size: padded, cropped back
            assertTrue(rep.refitted);
            assertEquals(21, out.width());
            assertEquals(17, out.height());
            short[] sixteen = new short[20 * 12];
            for (int i = 0; i < sixteen.length; i++) sixteen[i] = (short) (1000 + (i * 37) % 3000);
            rep.reset();
            d.denoise(Frame.wrap(20, 12, sixteen), out, rep);
            assertTrue(rep.refitted);
            assertEquals(PixelType.GRAY16, out.type());
        }
    }

    @Test
    void allZeroSaturatedAndNonFiniteFrames() {
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.STAGE1, 1))) {
            Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            d.denoise(Frame.wrap(16, 16, new byte[256]), out, rep);
            byte[] sat = new byte[256];
            java.util.Arrays.fill(sat, (byte) 255);
            d.denoise(Frame.wrap(16, 16, sat), out, rep);
            for (int i = 0; i < 256; i++) assertTrue(out.get(i) >= 0 && out.get(i) <= 255);
            float[] bad = new float[256];
            bad[17] = Float.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.denoise(Frame.wrap(16, 16, bad), out, rep));
            assertTrue(e.getMessage().contains("(1,1)"), e.getMessage());
        }
    }

    @Test
    void savedWeightsStartANewSessionWarm(@TempDir Path dir) throws Exception {
        Random r = new Random(7);
        Path file = dir.resolve("warm.n2dw");
        Frame out = Frame.allocate(PixelType.GRAY8, 1, 1);
        DenoiseReport rep = new DenoiseReport();
        String fingerprint;
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.FULL, 1))) {
            d.denoise(noisyFrame(32, 32, r, null), out, rep);
            d.latestWeights().save(file);
            fingerprint = d.latestWeights().fingerprint();
        }
        assertTrue(Files.size(file) > 0);
        WarmWeights loaded = WarmWeights.load(file);
        assertEquals(fingerprint, loaded.fingerprint());
        try (WarmStartDenoiser d = new WarmStartDenoiser(settings(Pipeline.FULL, 1))) {
            d.loadWeights(loaded);
            rep.reset();
            d.denoise(noisyFrame(32, 32, r, null), out, rep);
            assertFalse(rep.refitted, "loaded weights must skip the initial fit");
            assertEquals(2, rep.adaptationSteps);
            assertNotEquals(fingerprint, d.weightsFingerprint(), "weights keep adapting after the load");
        }
        WarmStartSettings other = new WarmStartSettings(Pipeline.FULL, 16, 10, 32, 1, 16, 100, 1e-3, 1000, 3, 0,
                WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
        try (WarmStartDenoiser d = new WarmStartDenoiser(other)) {
            assertThrows(IllegalArgumentException.class, () -> d.loadWeights(loaded));
        }
        Files.write(dir.resolve("junk.n2dw"), new byte[] {1, 2, 3});
        assertThrows(java.io.IOException.class, () -> WarmWeights.load(dir.resolve("junk.n2dw")));
    }
}
