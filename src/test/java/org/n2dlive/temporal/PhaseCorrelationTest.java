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
