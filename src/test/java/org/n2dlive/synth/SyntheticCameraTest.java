package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

class SyntheticCameraTest {

    private static float[] flat(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Pixel mean and variance over many frames of a flat scene, against the stated model. */
    private static void checkNoise(int bits, double photons, double read, double offset, double gain, double u) {
        int w = 64;
        int h = 64;
        CameraModel model = new CameraModel(bits, photons, read, offset, gain);
        SyntheticCamera cam = new SyntheticCamera(List.of(flat(w * h, (float) u)), w, h, SceneMotion.NONE, model, 3, 10);
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int i = 0; i < 25; i++) {
            Frame f = cam.frame(i);
            assertEquals(bits == 8 ? PixelType.GRAY8 : PixelType.GRAY16, f.type());
            for (int k = 0; k < f.pixelCount(); k++) {
                double v = f.get(k);
                sum += v;
                sq += v * v;
                n++;
            }
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        // The model, written out here: E = offset + gain·photons·u; Var = gain²(photons·u + read²) + 1/12 (rounding).
        double wantMean = offset + gain * photons * u;
        double wantVar = gain * gain * (photons * u + read * read) + 1.0 / 12;
        assertEquals(wantMean, mean, 0.005 * wantMean, "mean, " + bits + "-bit");
        assertEquals(wantVar, var, 0.03 * wantVar, "variance, " + bits + "-bit");
    }

    @Test
    void noiseFollowsThePoissonGaussianModel16Bit() {
        checkNoise(16, 100, 3, 100, 1.5, 0.5);
    }

    @Test
    void noiseFollowsThePoissonGaussianModel8Bit() {
        checkNoise(8, 20, 1, 10, 4, 0.6);
    }

    @Test
    void readNoiseAloneAtZeroSignal() {
        checkNoise(16, 50, 4, 200, 2, 0);
    }

    @Test
    void automaticGainPutsUnitIntensityAt85PercentOfFullScale() {
        CameraModel m = new CameraModel(8, 50, 2, 8, Double.NaN);
        assertEquals(0.85 * 255, m.expected(1), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new CameraModel(12, 50, 2, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> new CameraModel(8, 0, 2, 8, 1));
    }

    @Test
    void aSeedReproducesTheStreamAndFramesCanBeMadeInAnyOrder() {
        float[] scene = CellScene.draw(48, 40, 9);
        CameraModel m = new CameraModel(16, 30, 2, 100, 2);
        SceneMotion motion = new SceneMotion(0.3, -0.2, 2, 1.5, 2, 0.7, 4);
        SyntheticCamera a = new SyntheticCamera(List.of(scene), 48, 40, motion, m, 21, 10);
        SyntheticCamera b = new SyntheticCamera(List.of(scene), 48, 40, motion, m, 21, 10);
        SyntheticCamera c = new SyntheticCamera(List.of(scene), 48, 40, motion, m, 22, 10);
        long f5 = a.frame(5).checksum();
        for (int i = 9; i >= 0; i--) b.frame(i); // another order first
        assertEquals(f5, b.frame(5).checksum());
        assertNotEquals(f5, c.frame(5).checksum(), "another seed, other noise");
        assertNotEquals(a.frame(4).checksum(), a.frame(5).checksum(), "fresh noise every frame");
        assertEquals(a.groundTruth(5).checksum(), c.groundTruth(5).checksum(), "the truth does not depend on the noise seed");
    }

    @Test
    void groundTruthIsTheNoiseFreeCameraValueOfTheMovedScene() {
        int w = 40;
        int h = 30;
        float[] scene = CellScene.draw(w, h, 5);
        CameraModel m = new CameraModel(16, 40, 2, 100, 3);
        // Whole-pixel drift: frame i is the scene shifted by (2i, i) pixels.
        SyntheticCamera cam = new SyntheticCamera(List.of(scene), w, h, new SceneMotion(2, 1, 0, 0, 2, 0.5, 0), m, 1, 10);
        Frame t3 = cam.groundTruth(3);
        assertEquals(PixelType.FLOAT32, t3.type());
        for (int y = 3; y < h; y++) {
            for (int x = 6; x < w; x++) {
                double want = 100 + 3 * 40 * scene[(y - 3) * w + (x - 6)];
                assertEquals(want, t3.get(x, y), 1e-3, "(" + x + "," + y + ")");
            }
        }
        // Averaging many noisy exposures of one frame converges to its ground truth.
        SyntheticCamera still = new SyntheticCamera(List.of(scene), w, h, SceneMotion.NONE, m, 1, 10);
        double[] mean = new double[w * h];
        int reps = 400;
        for (int r = 0; r < reps; r++) {
            // frames of a static scene differ only in noise
            Frame f = still.frame(r);
            for (int k = 0; k < mean.length; k++) mean[k] += f.get(k) / reps;
        }
        Frame truth = still.groundTruth(0);
        double maxErr = 0;
        for (int k = 0; k < mean.length; k++) {
            double sd = Math.sqrt(m.variance(scene[k]) / reps);
            maxErr = Math.max(maxErr, Math.abs(mean[k] - truth.get(k)) / sd);
        }
        assertTrue(maxErr < 5.5, "worst pixel is " + maxErr + " standard errors from the truth");
    }

    @Test
    void movingObjectsAddABrightSpotThatMoves() {
        int w = 64;
        int h = 64;
        float[] dark = new float[w * h];
        CameraModel m = new CameraModel(8, 50, 0, 0, 1);
        SyntheticCamera cam = new SyntheticCamera(List.of(dark), w, h, new SceneMotion(0, 0, 1, 3, 2, 0.8, 9), m, 1, 10);
        float[] a = new float[w * h];
        float[] b = new float[w * h];
        cam.cleanScene(0, a);
        cam.cleanScene(4, b);
        int pa = argmax(a);
        int pb = argmax(b);
        assertEquals(0.8, a[pa], 0.15, "the object's peak");
        double dist = Math.hypot(pa % w - pb % w, pa / w - pb / w);
        assertTrue(dist > 4, "it moved: " + dist + " px in 4 frames at 3 px/frame");
    }

    @Test
    void aStackOfCleanPlanesIsCycled() {
        float[] p0 = flat(16, 0.2f);
        float[] p1 = flat(16, 0.7f);
        CameraModel m = new CameraModel(8, 100, 0, 0, 1);
        SyntheticCamera cam = new SyntheticCamera(List.of(p0, p1), 4, 4, SceneMotion.NONE, m, 1, 10);
        assertEquals(20, cam.groundTruth(0).get(0), 1e-4);
        assertEquals(70, cam.groundTruth(1).get(0), 1e-4);
        assertEquals(20, cam.groundTruth(2).get(0), 1e-4);
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
