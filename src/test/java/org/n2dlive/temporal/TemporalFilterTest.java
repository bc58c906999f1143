package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

class TemporalFilterTest {
    private static final int SIZE = 96;

    @Test
    void errorFallsWithTheNumberOfFramesOnAStaticScene() {
        SyntheticCamera cam = TemporalStreams.camera(SIZE, 1, 30, SceneMotion.NONE, 3);
        TemporalFilter filter = new TemporalFilter(64);
        float[] fused = new float[SIZE * SIZE];
        double rawMse = 0;
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 16; i++) {
            filter.process(cam.frame(i), fused);
            double mse = TemporalStreams.mse(fused, cam.groundTruth(i));
            if (i == 0) rawMse = mse;
            if (i == 1 || i == 3 || i == 7 || i == 15) {
                assertTrue(mse < previous, "frame " + i + ": error " + mse + " did not fall below " + previous);
                previous = mse;
            }
        }
        // 16 frames average the noise variance down ~16x; allow for the few pixels the agreement test rejects
        assertTrue(previous < rawMse / 10, "after 16 frames the error is " + previous + ", raw " + rawMse);
        assertEquals(16, filter.framesSinceReset());
    }

    /**
     * A lone pixel 6σ off on a still scene is the detector's tail, not something the optics could resolve: it keeps
     * its history and is mixed in like any other draw. A lone pixel 20σ off is shown as it is, with its history reset.
     */
    @Test
    void aLoneOutlierKeepsItsHistoryAndAHugeOneIsShown() {
        SyntheticCamera cam = TemporalStreams.camera(SIZE, 1, 30, SceneMotion.NONE, 3);
        TemporalFilter filter = new TemporalFilter(64);
        float[] history = new float[SIZE * SIZE];
        // on a still scene with no offset the fused frame is the history the next frame meets (checked below)
        for (int i = 0; i <= 10; i++) filter.process(cam.frame(i), history);
        float[] precisionBefore = filter.precision().clone();
        int tail = 40 * SIZE + 40, spike = 60 * SIZE + 60;
        float sigmaTail = (float) Math.sqrt(filter.noise().variance(history[tail]) * (1 + 1 / precisionBefore[tail]));
        float sigmaSpike = (float) Math.sqrt(filter.noise().variance(history[spike]) * (1 + 1 / precisionBefore[spike]));
        Frame f = cam.frame(11).copy();
        short[] p = f.shorts();
        p[tail] = (short) Math.round(history[tail] + 6 * sigmaTail);
        p[spike] = (short) Math.round(history[spike] + 20 * sigmaSpike);
        float[] fused = new float[SIZE * SIZE];
        filter.process(f, fused);
        assertEquals(history[tail], filter.alignedHistory()[tail], 1e-3, "frame 11 met the history the deviations were sized on");
        assertTrue(precisionBefore[tail] >= 10, "precision before: " + precisionBefore[tail]);
        assertTrue(filter.precision()[tail] > 10, "the 6σ pixel keeps its history: precision " + filter.precision()[tail]);
        assertTrue(Math.abs(fused[tail] - filter.alignedHistory()[tail]) < sigmaTail,
                "the 6σ pixel is mixed in with the weight of one draw: " + fused[tail] + " against history " + filter.alignedHistory()[tail]);
        assertEquals(p[spike] & 0xFFFF, fused[spike], 1e-3, "the 20σ pixel is shown as the camera gave it");
        assertTrue(filter.precision()[spike] < 1.5f, "the 20σ pixel starts a new history: precision " + filter.precision()[spike]);
    }

    /**
     * A bright spot appears on frame 8 and then moves 3 px per frame: on every frame its contrast in the fused
     * frame is at least 90 % of the true one (no lag), and where it was it leaves less than 10 % behind (no ghost).
     */
    @Test
    void aBrightObjectShowsUpInTheFrameItAppearsAndLeavesNoGhost() {
        SyntheticCamera cam = TemporalStreams.camera(SIZE, 2, 40, SceneMotion.NONE, 5);
        TemporalFilter filter = new TemporalFilter(64);
        float[] fused = new float[SIZE * SIZE];
        // ADU above the scene at the spot's centre: bright enough that the noise summed over the 7x7 window (~80 ADU)
        // stays well inside the 10 % the test allows (contrast ~2200 ADU)
        double peak = 2 * cam.camera().gain() * cam.camera().photons();
        double[] lastPos = null;
        for (int i = 0; i < 16; i++) {
            Frame frame = cam.frame(i).copy();
            Frame truth = cam.groundTruth(i).copy();
            double[] pos = i >= 8 ? new double[] {30 + 3 * (i - 8), 40 + 2 * (i - 8)} : null;
            if (pos != null) addSpot(frame, truth, pos, peak, 5 + i);
            filter.process(frame, fused);
            if (pos == null) continue;
            double trueContrast = 0;
            double seen = 0;
            for (int y = (int) pos[1] - 3; y <= pos[1] + 3; y++) {
                for (int x = (int) pos[0] - 3; x <= pos[0] + 3; x++) {
                    int k = y * SIZE + x;
                    double spot = spot(x, y, pos, peak);
                    trueContrast += spot;
                    seen += fused[k] - (truth.get(k) - spot);
                }
            }
            assertTrue(seen >= 0.9 * trueContrast, "frame " + i + ": contrast " + seen + " of " + trueContrast);
            if (lastPos != null) {
                double ghost = 0;
                double was = 0;
                for (int y = (int) lastPos[1] - 2; y <= lastPos[1] + 2; y++) {
                    for (int x = (int) lastPos[0] - 2; x <= lastPos[0] + 2; x++) {
                        int k = y * SIZE + x;
                        ghost += fused[k] - truth.get(k);
                        was += spot(x, y, lastPos, peak) - spot(x, y, pos, peak);
                    }
                }
                assertTrue(ghost < 0.1 * was, "frame " + i + ": ghost " + ghost + " where the spot was (" + was + ")");
            }
            lastPos = pos;
        }
    }

    private static double spot(int x, int y, double[] pos, double peak) {
        double dx = x - pos[0], dy = y - pos[1];
        return peak * Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
    }

    /** Adds the spot to the truth and, with its own Poisson-like noise (σ² = 2·value ADU at gain 2), to the frame. */
    private static void addSpot(Frame frame, Frame truth, double[] pos, double peak, long seed) {
        java.util.Random r = new java.util.Random(seed);
        short[] p = frame.shorts();
        float[] t = truth.floats();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double s = spot(x, y, pos, peak);
                if (s < 1e-3) continue;
                int k = y * SIZE + x;
                t[k] += (float) s;
                p[k] = (short) Math.min(65535, Math.max(0, Math.round((p[k] & 0xFFFF) + s + Math.sqrt(2 * s) * r.nextGaussian())));
            }
        }
    }

    @Test
    void resetSizeChangeBitDepthChangeAndSceneChangeClearTheHistory() {
        SyntheticCamera cam = TemporalStreams.camera(SIZE, 1, 30, SceneMotion.NONE, 3);
        TemporalFilter filter = new TemporalFilter(64);
        float[] fused = new float[SIZE * SIZE];
        warm(filter, cam, fused);

        filter.reset();
        Frame f = cam.frame(10);
        filter.process(f, fused);
        assertStartsOver(filter, f, fused, "reset");

        warm(filter, cam, fused);
        SyntheticCamera small = TemporalStreams.camera(64, 1, 30, SceneMotion.NONE, 3);
        f = small.frame(0);
        filter.process(f, fused);
        assertStartsOver(filter, f, fused, "size change");

        warm(filter, cam, fused);
        Frame eight = Frame.allocate(PixelType.GRAY8, SIZE, SIZE);
        Frame sixteen = cam.frame(11);
        for (int i = 0; i < SIZE * SIZE; i++) eight.bytes()[i] = (byte) Math.min(255, (sixteen.shorts()[i] & 0xFFFF) / 4);
        filter.process(eight, fused);
        assertStartsOver(filter, eight, fused, "bit-depth change");

        warm(filter, cam, fused);
        SyntheticCamera other = TemporalStreams.camera(SIZE, 7, 30, SceneMotion.NONE, 4);
        f = other.frame(0);
        filter.process(f, fused);
        assertTrue(filter.sceneChange(), "another scene is a scene change");
        assertStartsOver(filter, f, fused, "scene change");
    }

    /**
     * A flat field (the demo camera's "Noise" mode, an empty region of a dim sample) has nothing to align on. It is
     * still one scene: its frames are averaged, not taken as a scene change each. A flat field at another level is.
     */
    @Test
    void aFlatFieldWithNothingToAlignOnIsAveragedAndAnotherLevelIsASceneChange() {
        int n = SIZE * SIZE;
        java.util.Random rnd = new java.util.Random(5);
        TemporalFilter filter = new TemporalFilter(64);
        float[] fused = new float[n];
        double level = 1000, sigma = 30;
        double rawMse = 0, mse = 0;
        for (int t = 0; t < 16; t++) {
            Frame f = flat(level, sigma, rnd);
            filter.process(f, fused);
            double e = 0;
            for (int i = 0; i < n; i++) e += sq(fused[i] - level);
            if (t == 0) rawMse = e / n;
            mse = e / n;
            if (t > 0) assertFalse(filter.sceneChange(), "frame " + t + " of the same flat field");
        }
        assertEquals(16, filter.framesSinceReset());
        assertTrue(mse < rawMse / 8, "16 flat frames: error " + mse + ", raw " + rawMse);

        Frame brighter = flat(1400, sigma, rnd);
        filter.process(brighter, fused);
        assertTrue(filter.sceneChange(), "a flat field 13σ brighter is another scene");
        assertStartsOver(filter, brighter, fused, "flat scene change");
    }

    private static Frame flat(double level, double sigma, java.util.Random rnd) {
        Frame f = Frame.allocate(PixelType.GRAY16, SIZE, SIZE);
        for (int i = 0; i < SIZE * SIZE; i++) f.shorts()[i] = (short) Math.round(level + sigma * rnd.nextGaussian());
        return f;
    }

    private static void warm(TemporalFilter filter, SyntheticCamera cam, float[] fused) {
        long before = filter.framesSinceReset();
        for (int i = 0; i < 4; i++) filter.process(cam.frame(i), fused);
        assertTrue(filter.usedHistory());
        assertTrue(filter.framesSinceReset() >= 4 && filter.framesSinceReset() > before);
    }

    private static void assertStartsOver(TemporalFilter filter, Frame f, float[] fused, String what) {
        assertFalse(filter.usedHistory(), what + ": the history must be cleared");
        assertEquals(1, filter.framesSinceReset(), what);
        float[] raw = TemporalStreams.floats(f);
        float[] out = new float[raw.length];
        System.arraycopy(fused, 0, out, 0, raw.length);
        assertArrayEquals(raw, out, what + ": the first frame of a history is the raw frame");
    }

    @Test
    void followsDriftAndStillIntegrates() {
        // content drifting (0.6, -0.35) px per frame: the filter measures it and its error still falls well below raw
        float[][] frames = new float[12][];
        for (int i = 0; i < frames.length; i++) frames[i] = TemporalStreams.blobs(SIZE, SIZE, 0.6 * i, -0.35 * i, 6, 3, 100 + i);
        TemporalFilter filter = new TemporalFilter(64);
        float[] fused = new float[SIZE * SIZE];
        double rawMse = 0;
        double fusedMse = 0;
        for (int i = 0; i < frames.length; i++) {
            filter.process(Frame.wrap(SIZE, SIZE, frames[i]), fused);
            if (i > 0) {
                assertEquals(0.6, filter.driftX(), 0.1, "drift x on frame " + i);
                assertEquals(-0.35, filter.driftY(), 0.1, "drift y on frame " + i);
            }
            if (i == frames.length - 1) {
                float[] clean = TemporalStreams.blobs(SIZE, SIZE, 0.6 * i, -0.35 * i, 0, 3, 0);
                for (int y = 8; y < SIZE - 8; y++) {
                    for (int x = 8; x < SIZE - 8; x++) {
                        int k = y * SIZE + x;
                        rawMse += sq(frames[i][k] - clean[k]);
                        fusedMse += sq(fused[k] - clean[k]);
                    }
                }
            }
        }
        assertTrue(fusedMse < rawMse / 4, "fused error " + fusedMse + " vs raw " + rawMse + " after 12 drifting frames");
    }

    /**
     * A static fluorescent scene that bleaches 1 % a frame above a camera offset of 100: the fused frame follows the
     * level (its mean stays within 0.5 % of the signal of the truth's, where a history averaging ~30 frames would lag
     * by ~15 %) and still integrates (error under a sixth of the raw frame's).
     */
    @Test
    void followsASceneThatBleaches() {
        int n = SIZE * SIZE;
        float[] scene = TemporalStreams.blobs(SIZE, SIZE, 0, 0, 0, 11, 0);
        TemporalFilter filter = new TemporalFilter(64);
        float[] fused = new float[n];
        double sigma = 1.5;
        java.util.Random noise = new java.util.Random(12);
        double lastBias = 0, lastSignal = 0, fusedMse = 0, rawMse = 0;
        for (int t = 0; t < 40; t++) {
            double level = Math.pow(0.99, t);
            float[] truth = new float[n];
            float[] px = new float[n];
            for (int i = 0; i < n; i++) {
                truth[i] = (float) (100 + level * (scene[i] - 10)); // the blobs above their flat 10: all fluorescence
                px[i] = (float) (truth[i] + sigma * noise.nextGaussian());
            }
            filter.process(Frame.wrap(SIZE, SIZE, px), fused);
            if (t == 39) {
                double bias = 0, signal = 0;
                for (int i = 0; i < n; i++) {
                    bias += fused[i] - truth[i];
                    signal += truth[i] - 100;
                    fusedMse += sq(fused[i] - truth[i]);
                    rawMse += sq(px[i] - truth[i]);
                }
                lastBias = bias / n;
                lastSignal = signal / n;
            }
        }
        assertTrue(Math.abs(lastBias) < 0.005 * lastSignal, "fused level off by " + lastBias + " on a signal of " + lastSignal);
        assertTrue(fusedMse < rawMse / 6, "fused error " + fusedMse / n + ", raw " + rawMse / n);
        assertEquals(0.99, filter.levelGain(), 0.005);
    }

    private static double sq(double v) {
        return v * v;
    }
}
