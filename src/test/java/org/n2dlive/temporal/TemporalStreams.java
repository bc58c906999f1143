package org.n2dlive.temporal;

import java.util.List;
import org.n2dlive.frame.Frame;
import org.n2dlive.synth.CameraModel;
import org.n2dlive.synth.CellScene;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

/** Small synthetic streams with known ground truth for the temporal tests. */
final class TemporalStreams {
    private TemporalStreams() {
    }

    /** A cell scene through a 16-bit camera (offset 100, gain 2, read noise 2 e-): no clipping, no rounding bias. */
    static SyntheticCamera camera(int size, long sceneSeed, double photons, SceneMotion motion, long noiseSeed) {
        float[] clean = CellScene.draw(size, size, sceneSeed);
        return new SyntheticCamera(List.of(clean), size, size, motion, new CameraModel(16, photons, 2, 100, 2), noiseSeed, 10);
    }

    /**
     * An analytic scene (random Gaussian blobs, σ 1.2–4 px, on a dim background) sampled with its content moved by
     * (dx, dy), plus Gaussian noise of the given σ: an exact sub-pixel translation, unlike a resampled image.
     */
    static float[] blobs(int w, int h, double dx, double dy, double noise, long sceneSeed, long noiseSeed) {
        java.util.SplittableRandom scene = new java.util.SplittableRandom(sceneSeed);
        int count = w * h / 150;
        double[][] b = new double[count][];
        for (int k = 0; k < count; k++) {
            b[k] = new double[] {scene.nextDouble() * w, scene.nextDouble() * h, 1.2 + 2.8 * scene.nextDouble(), 20 + 80 * scene.nextDouble()};
        }
        java.util.Random r = new java.util.Random(noiseSeed);
        float[] img = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 10;
                for (double[] o : b) {
                    double ex = x - dx - o[0], ey = y - dy - o[1];
                    double d2 = ex * ex + ey * ey;
                    if (d2 < 36 * o[2] * o[2]) v += o[3] * Math.exp(-d2 / (2 * o[2] * o[2]));
                }
                img[y * w + x] = (float) (v + noise * r.nextGaussian());
            }
        }
        return img;
    }

    static double mse(float[] a, Frame truth) {
        double s = 0;
        for (int i = 0; i < truth.pixelCount(); i++) {
            double d = a[i] - truth.get(i);
            s += d * d;
        }
        return s / truth.pixelCount();
    }

    static float[] floats(Frame f) {
        float[] out = new float[f.pixelCount()];
        RawPixels.toFloat(f, out);
        return out;
    }
}
