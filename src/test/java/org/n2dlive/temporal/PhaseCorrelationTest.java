package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

class PhaseCorrelationTest {

    /** An analytic scene whose content moved by (dx, dy) between two independently noisy frames. */
    private static double[] measure(double dx, double dy, double noise) {
        float[] ref = TemporalStreams.blobs(128, 128, 0, 0, noise, 4, 1);
        float[] cur = TemporalStreams.blobs(128, 128, dx, dy, noise, 4, 2);
        PhaseCorrelation pc = new PhaseCorrelation(128, 128);
        return pc.estimate(cur, ref, new double[2]);
    }

    @Test
    void recoversSubPixelShiftsWithinATenthOfAPixel() {
        double[][] shifts = {{0, 0}, {0.3, -0.2}, {0.5, 0.5}, {1, 0.5}, {-2.7, 1.25}, {4.4, -3.6}};
        for (double[] s : shifts) {
            double[] est = measure(s[0], s[1], 8); // noise σ 8 on blobs of 20–100 above a background of 10
            assertEquals(s[0], est[0], 0.1, "dx for true shift (" + s[0] + ", " + s[1] + ")");
            assertEquals(s[1], est[1], 0.1, "dy for true shift (" + s[0] + ", " + s[1] + ")");
        }
    }

    /**
     * A frame larger than the correlated window (1200 × 900: a central 512 × 512 is correlated) still gives the
     * shift of the whole content, whether the window's refinement pass runs (shifts of half a pixel or more) or not.
     */
    @Test
    void largeFramesAreMeasuredOnTheirCentre() {
        double[][] shifts = {{0.3, -0.2}, {-2.7, 1.25}, {4.4, -3.6}};
        for (double[] s : shifts) {
            float[] ref = wideBlobs(1200, 900, 0, 0, 1);
            float[] cur = wideBlobs(1200, 900, s[0], s[1], 2);
            double[] est = new PhaseCorrelation(1200, 900).estimate(cur, ref, new double[2]);
            assertEquals(s[0], est[0], 0.1, "dx for true shift (" + s[0] + ", " + s[1] + ")");
            assertEquals(s[1], est[1], 0.1, "dy for true shift (" + s[0] + ", " + s[1] + ")");
        }
    }

    /** As {@link TemporalStreams#blobs} (σ 8 noise), each blob drawn within 6 σ of its centre only: fast at large sizes. */
    private static float[] wideBlobs(int w, int h, double dx, double dy, long noiseSeed) {
        java.util.SplittableRandom scene = new java.util.SplittableRandom(40);
        double[] img = new double[w * h];
        java.util.Arrays.fill(img, 10);
        for (int k = 0, count = w * h / 150; k < count; k++) {
            double cx = scene.nextDouble() * w + dx, cy = scene.nextDouble() * h + dy;
            double sigma = 1.2 + 2.8 * scene.nextDouble(), amp = 20 + 80 * scene.nextDouble();
            int r = (int) Math.ceil(6 * sigma);
            for (int y = Math.max(0, (int) cy - r); y <= Math.min(h - 1, (int) cy + r); y++) {
                for (int x = Math.max(0, (int) cx - r); x <= Math.min(w - 1, (int) cx + r); x++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    if (d2 < 36 * sigma * sigma) img[y * w + x] += amp * Math.exp(-d2 / (2 * sigma * sigma));
                }
            }
        }
        java.util.Random noise = new java.util.Random(noiseSeed);
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) out[i] = (float) (img[i] + 8 * noise.nextGaussian());
        return out;
    }

    @Test
    void peakRatioSeparatesSharedStructureFromUnrelatedImages() {
        SyntheticCamera a = TemporalStreams.camera(128, 4, 50, SceneMotion.NONE, 9);
        SyntheticCamera b = TemporalStreams.camera(128, 5, 50, SceneMotion.NONE, 10);
        PhaseCorrelation pc = new PhaseCorrelation(128, 128);
        double[] out = new double[2];
        pc.estimate(TemporalStreams.floats(a.frame(1)), TemporalStreams.floats(a.frame(0)), out);
        double same = pc.peakRatio();
        pc.estimate(TemporalStreams.floats(b.frame(0)), TemporalStreams.floats(a.frame(0)), out);
        double other = pc.peakRatio();
        assertTrue(same > TemporalFilter.MIN_PEAK_RATIO && other < TemporalFilter.MIN_PEAK_RATIO,
                "peak ratio same scene " + same + ", other scene " + other);
    }
}
