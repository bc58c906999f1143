package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlendSelectorTest {
    private static final int W = 64;
    private static final int N = W * W;
    private static final double SIGMA = 10;

    /** A static scene's candidates at precision q: the fused frame is unbiased, the denoised one off by {@code bias}. */
    private static final class Frames {
        final float[] truth = new float[N];
        final float[] raw = new float[N];
        final float[] fused = new float[N];
        final float[] denoised = new float[N];
        final float[] q = new float[N];
        final float[] out = new float[N];
        private final Random r = new Random(5);

        Frames() {
            for (int i = 0; i < N; i++) truth[i] = (float) (100 + 40 * Math.sin(i % W * 0.3) * Math.cos(i / W * 0.2));
        }

        void draw(float precision, double bias, BlendSelector b) {
            for (int i = 0; i < N; i++) {
                raw[i] = (float) (truth[i] + SIGMA * r.nextGaussian());
                fused[i] = (float) (truth[i] + SIGMA / Math.sqrt(precision) * r.nextGaussian());
                denoised[i] = (float) (truth[i] + bias);
            }
            Arrays.fill(q, precision);
            b.blend(raw, fused, denoised, q, W, W, 0, 0, true, out);
        }

        double mse(float[] a) {
            double s = 0;
            for (int i = 0; i < N; i++) s += (a[i] - truth[i]) * (a[i] - truth[i]);
            return s / N;
        }
    }

    @Test
    void aNewlyEnteredClassStartsFromItsNeighboursWeightNotTheDenoiserAlone() {
        BlendSelector b = new BlendSelector();
        Frames f = new Frames();
        // q 4 (class 2) for 6 frames: the denoiser's bias of 15 costs far more than the fused frame's noise (σ²/4 = 25)
        for (int k = 0; k < 6; k++) f.draw(4, 15, b);
        assertTrue(b.taught(2));
        assertTrue(b.alpha(2) < 0.2, "class 2 learnt to keep the fused frame: α " + b.alpha(2));
        assertFalse(b.taught(3));
        // every pixel crosses into class 3 (q 6..12) at once, as on a static stream
        f.draw(8, 15, b);
        assertFalse(b.taught(3), "nothing of class 3 seen before this frame");
        assertEquals(b.alpha(2), b.alpha(3), 1e-6, "class 3 borrows class 2's α");
        assertTrue(f.mse(f.out) < 2 * f.mse(f.fused), "the entering frame is near the fused frame (MSE " + f.mse(f.out)
                + ", fused " + f.mse(f.fused) + ", denoised " + f.mse(f.denoised) + ")");
        // then class 3 learns its own α: here a denoiser without bias, which it should take (the biased entering
        // frame fades from the sums at 0.8 a frame)
        for (int k = 0; k < 15; k++) f.draw(8, 0, b);
        assertTrue(b.taught(3));
        assertTrue(b.alpha(3) > 0.6, "class 3's own α: " + b.alpha(3));
        assertTrue(b.alpha(2) < 0.2, "class 2 keeps what it learnt: α " + b.alpha(2));
        // classes above borrow from the nearest taught one
        assertEquals(b.alpha(3), b.alpha(6), 1e-6);
    }

    @Test
    void withNothingLearntTheDenoiserIsTakenAndResetForgetsTheBorrowedWeights() {
        BlendSelector b = new BlendSelector();
        Frames f = new Frames();
        f.draw(1, 15, b); // class 0, the first frame: nothing to learn from yet
        for (int c = 0; c < 7; c++) assertEquals(1f, b.alpha(c), "class " + c);
        for (int k = 0; k < 4; k++) f.draw(4, 15, b);
        assertTrue(b.alpha(5) < 0.2);
        b.reset();
        for (int c = 0; c < 7; c++) {
            assertEquals(1f, b.alpha(c), "class " + c + " after reset");
            assertFalse(b.taught(c));
        }
    }

    @Test
    void anUntaughtClassTakesItsNearestTaughtClassOrTheMeanOfTwo() {
        BlendSelector b = new BlendSelector();
        Frames f = new Frames();
        for (int k = 0; k < 4; k++) f.draw(4, 15, b); // class 2 (3..6): α near 0
        for (int k = 0; k < 15; k++) f.draw(15, 0, b); // class 4 (12..24): α near 1; classes 1, 3, 5, 6 never seen
        assertTrue(b.taught(2) && b.taught(4) && !b.taught(1) && !b.taught(3) && !b.taught(5));
        assertTrue(b.alpha(2) < 0.2 && b.alpha(4) > 0.6, "α " + b.alpha(2) + ", " + b.alpha(4));
        assertEquals(b.alpha(2), b.alpha(1), 1e-6, "class 1 is nearest class 2");
        assertEquals((b.alpha(2) + b.alpha(4)) / 2, b.alpha(3), 1e-6, "class 3 lies midway");
        assertEquals(b.alpha(4), b.alpha(5), 1e-6);
        assertEquals(b.alpha(4), b.alpha(6), 1e-6);
        assertEquals(1f, b.alpha(0), "fresh pixels keep the denoiser");
    }

    @Test
    void aParkedSeriesKeepsWhichClassesItTaught() {
        BlendSelector b = new BlendSelector();
        Frames f = new Frames();
        for (int k = 0; k < 4; k++) f.draw(4, 15, b);
        BlendSelector.State s = b.state();
        b.use(null); // another series meanwhile
        assertFalse(b.taught(2));
        b.use(s);
        assertTrue(b.taught(2));
        assertFalse(b.taught(3));
        f.draw(30, 0, b); // learns class 2 from the previous frame; class 5 still borrows
        assertEquals(b.alpha(2), b.alpha(5), 1e-6);
    }
}
