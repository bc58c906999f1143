package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.n2dlive.synth.CellScene;

/**
 * The scene-change statistic on generated camera frames: a cell scene at three brightness levels and two photon
 * counts (noise levels), static or drifting, and cut to another scene. The oracle is how the frames were made.
 */
class SceneChangeDetectorTest {
    static final int W = 96;
    static final int H = 80;

    /**
     * A camera frame in unit range: {@code brightness × scene}, shifted by {@code shift} pixels (linear
     * interpolation), with Poisson-like noise for {@code photons} photoelectrons at intensity 1 (Gaussian with the
     * Poisson variance) and a read noise of 2 electrons.
     */
    static float[] frame(float[] scene, double brightness, double photons, double shift, Random r) {
        float[] u = new float[W * H];
        int s0 = (int) Math.floor(shift);
        double t = shift - s0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int xa = Math.min(W - 1, Math.max(0, x + s0));
                int xb = Math.min(W - 1, Math.max(0, x + s0 + 1));
                double clean = brightness * ((1 - t) * scene[y * W + xa] + t * scene[y * W + xb]);
                double electrons = clean * photons;
                double noisy = electrons + Math.sqrt(electrons + 4) * r.nextGaussian();
                u[y * W + x] = (float) (noisy / photons);
            }
        }
        return u;
    }

    private static final double[] BRIGHTNESS = {0.2, 0.5, 1.0};
    private static final double[] PHOTONS = {100, 2000};

    @Test
    void aStaticSceneNeverChangesAtAnyBrightnessOrNoiseLevel() {
        float[] scene = CellScene.draw(W, H, 1);
        for (double b : BRIGHTNESS) {
            for (double p : PHOTONS) {
                SceneChangeDetector d = new SceneChangeDetector(0.5);
                Random r = new Random(11);
                double min = 1;
                for (int i = 0; i < 60; i++) {
                    assertFalse(d.observe(frame(scene, b, p, 0, r), W, H), "brightness " + b + " photons " + p + " frame " + i);
                    if (i > 0 && !Double.isNaN(d.lastCorrelation())) min = Math.min(min, d.lastCorrelation());
                }
                assertTrue(min > 0.8, "brightness " + b + " photons " + p + ": lowest correlation " + min);
            }
        }
    }

    @Test
    void theCorrelationDoesNotChangeWithGainOrOffset() {
        float[] scene = CellScene.draw(W, H, 9);
        Random r = new Random(16);
        float[] a = frame(scene, 0.5, 100, 0, r);
        float[] b = frame(scene, 0.5, 100, 0, r);
        SceneChangeDetector plain = new SceneChangeDetector(0.5);
        plain.observe(a, W, H);
        plain.observe(b, W, H);
        SceneChangeDetector scaled = new SceneChangeDetector(0.5);
        scaled.observe(affine(a, 0.1, 0.3), W, H);
        scaled.observe(affine(b, 0.1, 0.3), W, H);
        assertEquals(plain.lastCorrelation(), scaled.lastCorrelation(), 1e-3);
    }

    private static float[] affine(float[] u, double gain, double offset) {
        float[] v = new float[u.length];
        for (int i = 0; i < u.length; i++) v[i] = (float) (gain * u[i] + offset);
        return v;
    }

    @Test
    void aDriftingSceneIsTheSameScene() {
        float[] scene = CellScene.draw(W, H, 2);
        SceneChangeDetector d = new SceneChangeDetector(0.5);
        Random r = new Random(12);
        for (int i = 0; i < 40; i++) assertFalse(d.observe(frame(scene, 0.6, 200, 0.5 * i, r), W, H), "frame " + i);
    }

    @Test
    void aCutToAnotherSceneIsFoundOnceOnItsFirstFrame() {
        float[] first = CellScene.draw(W, H, 3);
        float[] second = CellScene.draw(W, H, 4);
        for (double b : BRIGHTNESS) {
            for (double p : PHOTONS) {
                SceneChangeDetector d = new SceneChangeDetector(0.5);
                Random r = new Random(13);
                for (int i = 0; i < 40; i++) {
                    boolean change = d.observe(frame(i < 20 ? first : second, b, p, 0, r), W, H);
                    assertEquals(i == 20, change, "brightness " + b + " photons " + p + " frame " + i + " correlation "
                            + d.lastCorrelation());
                }
            }
        }
    }

    @Test
    void aFrameWithNoStructureGivesNoVerdictAndIsNoReference() {
        SceneChangeDetector d = new SceneChangeDetector(0.5);
        Random r = new Random(14);
        float[] scene = CellScene.draw(W, H, 5);
        assertFalse(d.observe(frame(scene, 0.5, 200, 0, r), W, H));
        float[] dark = new float[W * H];
        for (int i = 0; i < dark.length; i++) dark[i] = (float) (0.01 * r.nextGaussian()); // shutter closed: noise only
        assertFalse(d.observe(dark, W, H));
        assertTrue(Double.isNaN(d.lastCorrelation()));
        // the shutter opens on the same scene: compared with the frame before the dark one, not with the dark one
        assertFalse(d.observe(frame(scene, 0.5, 200, 0, r), W, H));
        assertTrue(d.lastCorrelation() > 0.8, "correlation " + d.lastCorrelation());
        // too small a frame for a verdict
        assertFalse(new SceneChangeDetector(0.5).observe(new float[16 * 16], 16, 16));
    }

    @Test
    void afterAChangeTheNextNeedsTheSceneToSettleFirst() {
        float[] a = CellScene.draw(W, H, 6);
        float[] b = CellScene.draw(W, H, 7);
        float[] c = CellScene.draw(W, H, 8);
        SceneChangeDetector d = new SceneChangeDetector(0.5);
        Random r = new Random(15);
        assertFalse(d.observe(frame(a, 0.5, 200, 0, r), W, H));
        assertTrue(d.observe(frame(b, 0.5, 200, 0, r), W, H));
        // an unsettled view (a new scene on every frame) starts no second re-fit
        assertFalse(d.observe(frame(c, 0.5, 200, 0, r), W, H));
        assertFalse(d.observe(frame(a, 0.5, 200, 0, r), W, H));
        // settled (the same scene twice), the detector is armed again
        assertFalse(d.observe(frame(a, 0.5, 200, 0, r), W, H));
        assertTrue(d.observe(frame(b, 0.5, 200, 0, r), W, H));
    }
}
