package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;

class BleachingTest {
    private static final Path DIR = Path.of(".");
    private static final double OFFSET = 8;

    private static FrameSource open(String extra, int size) throws IOException {
        String text = "kind = synthetic\nscene = cells\nwidth = " + size + "\nheight = " + size + "\nbit_depth = 8\nphotons = 50\n"
                + "offset = " + OFFSET + "\n" + extra;
        return StreamDescriptor.parse(text, "t.stream", DIR).open();
    }

    private static double[] signal(Frame f) {
        double[] s = new double[f.pixelCount()];
        for (int i = 0; i < s.length; i++) s[i] = f.get(i) - OFFSET;
        return s;
    }

    @Test
    void eachPixelsTruthLosesItsOwnFixedFractionPerFrameWithinTheStatedRange() throws IOException {
        double min = 0.002;
        double max = 0.01;
        FrameSource s = open("bleach_min = " + min + "\nbleach_max = " + max + "\nbleach_scale = 16\n", 64);
        double[] g0 = signal(s.groundTruth(0));
        double[] g30 = signal(s.groundTruth(30));
        double lo = 1;
        double hi = 0;
        for (int t : new int[] {0, 1, 7, 29}) {
            double[] a = signal(s.groundTruth(t));
            double[] b = signal(s.groundTruth(t + 1));
            for (int i = 0; i < a.length; i++) {
                assertTrue(a[i] > 2, "every pixel of the cell scene carries fluorescence (background ≥ 0.03)");
                double loss = 1 - b[i] / a[i];
                assertTrue(loss >= min - 1e-5 && loss <= max + 1e-5, "frame " + t + " pixel " + i + " lost " + loss);
                lo = Math.min(lo, loss);
                hi = Math.max(hi, loss);
                if (t == 29) {
                    // a constant rate: 30 frames lose (1 − loss)^30 of frame 0's signal
                    assertEquals(Math.pow(1 - loss, 30), g30[i] / g0[i], 2e-4, "pixel " + i);
                }
            }
        }
        assertEquals(min, lo, 2e-4, "the slowest region fades at bleach_min");
        assertEquals(max, hi, 2e-4, "the fastest region fades at bleach_max");
    }

    @Test
    void aUniformRateDimsTheWholeSignalByTheCompoundLossAndTheNoisyFramesFollow() throws IOException {
        double r = 0.0035; // ~16 % over 50 frames, as FMD field 3
        FrameSource s = open("bleach_min = " + r + "\nbleach_max = " + r + "\n", 128);
        double t0 = 0;
        double t49 = 0;
        double y0 = 0;
        double y49 = 0;
        double[] a = signal(s.groundTruth(0));
        double[] b = signal(s.groundTruth(49));
        double[] c = signal(s.frame(0));
        double[] d = signal(s.frame(49));
        for (int i = 0; i < a.length; i++) {
            t0 += a[i];
            t49 += b[i];
            y0 += c[i];
            y49 += d[i];
        }
        assertEquals(Math.pow(1 - r, 49), t49 / t0, 1e-5);
        assertEquals(0.16, 1 - t49 / t0, 0.005);
        // the camera's frames: Poisson means follow the faded scene (noise of the mean over 128² pixels ≈ 0.3 %)
        assertEquals(t49 / t0, y49 / y0, 0.01);
    }

    @Test
    void theOffsetDoesNotFadeAndTheMovingObjectsAreDrawnUnfaded() {
        int w = 32;
        int h = 32;
        float[] plane = new float[w * h];
        for (int i = w * h / 2; i < w * h; i++) plane[i] = 0.5f; // top half dark
        CameraModel cam = new CameraModel(16, 100, 1, 100, 2);
        SyntheticCamera c = new SyntheticCamera(List.of(plane), w, h, SceneMotion.NONE, cam, 1, 10,
                new Bleaching(w, h, 0.05, 0.05, 8, 3));
        Frame g = c.groundTruth(20);
        assertEquals(100.0, g.get(0), 0, "a dark pixel stays at the offset");
        assertEquals(100 + 2 * 100 * 0.5 * Math.pow(0.95, 20), g.get(w * h - 1), 1e-3);
    }

    @Test
    void streamsWithoutBleachingRenderBitForBitAsBeforeBleachingExisted() throws IOException {
        // checksums taken with the code before the bleaching keys were added (frames 0 and 37, their truths)
        Path root = org.n2dlive.TestPaths.repoRoot().resolve("test-streams");
        FrameSource a = StreamDescriptor.load(root.resolve("cells-256.stream")).open();
        assertEquals(-5821780791697216803L, a.frame(0).checksum());
        assertEquals(368450092503501448L, a.frame(37).checksum());
        assertEquals(3571780623001245657L, a.groundTruth(0).checksum());
        assertEquals(-8019275472257810991L, a.groundTruth(37).checksum());
        FrameSource b = StreamDescriptor.load(root.resolve("cells-256-16bit.stream")).open();
        assertEquals(6674622557752551304L, b.frame(0).checksum());
        assertEquals(1932384151063989885L, b.frame(37).checksum());
        assertEquals(-3338841835758073383L, b.groundTruth(37).checksum());
        assertNull(((SyntheticSource) a).camera().bleaching());
    }

    @Test
    void theBleachingStreamAndItsControlShareSceneAndNoiseAndDifferOnlyByTheFade() throws IOException {
        Path root = org.n2dlive.TestPaths.repoRoot().resolve("test-streams");
        FrameSource bleach = StreamDescriptor.load(root.resolve("cells-256-bleach.stream")).open();
        FrameSource control = StreamDescriptor.load(root.resolve("cells-256-bleach-control.stream")).open();
        assertEquals(control.frame(0).checksum(), bleach.frame(0).checksum(), "frame 0 has not faded yet");
        assertEquals(control.groundTruth(0).checksum(), bleach.groundTruth(0).checksum());
        assertNotEquals(control.groundTruth(10).checksum(), bleach.groundTruth(10).checksum());
        assertEquals(control.groundTruth(0).checksum(), control.groundTruth(49).checksum(), "the control is static");
        double[] g0 = signal(bleach.groundTruth(0));
        double[] g49 = signal(bleach.groundTruth(49));
        double s0 = 0;
        double s49 = 0;
        for (int i = 0; i < g0.length; i++) {
            s0 += g0[i];
            s49 += g49[i];
        }
        assertEquals(0.16, 1 - s49 / s0, 0.02, "about 16 % of the signal lost over 50 frames, like FMD field 3");
    }

    @Test
    void badBleachingKeysAreRejectedWithTheRule() {
        String base = "kind = synthetic\nscene = cells\n";
        String[][] cases = {
            {"bleach_min = 0.01\n", "t.stream:3: key 'bleach_min' needs bleach_max too"},
            {"bleach_max = 0.01\n", "t.stream:3: key 'bleach_max' needs bleach_min too"},
            {"bleach_min = 0.02\nbleach_max = 0.01\n", "t.stream:4: key 'bleach_max': '0.01' is not allowed; allowed: a number ≥ bleach_min"},
            {"bleach_min = -0.1\nbleach_max = 0.01\n", "t.stream:3: key 'bleach_min': '-0.1' is not allowed"},
            {"bleach_min = 0.1\nbleach_max = 0.7\n", "t.stream:4: key 'bleach_max': '0.7' is not allowed"},
            {"bleach_min = 0.1\nbleach_max = x\n", "t.stream:4: key 'bleach_max': 'x' is not allowed"},
            {"bleach_scale = 10\n", "t.stream:3: key 'bleach_scale' needs bleach_min and bleach_max"},
            {"bleach_min = 0.001\nbleach_max = 0.01\nbleach_scale = 0\n", "t.stream:5: key 'bleach_scale': '0' is not allowed"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamDescriptor.parse(base + c[0], "t.stream", DIR));
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = recorded\npath = x.tif\nbleach_min = 0.01\n", "r.stream", DIR));
        assertTrue(e.getMessage().startsWith("r.stream:3: key 'bleach_min' belongs to kind synthetic streams"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bleaching(8, 8, 0.02, 0.01, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bleaching(8, 8, 0, 1, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bleaching(8, 8, 0, 0.1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticCamera(List.of(new float[64]), 8, 8, SceneMotion.NONE,
                new CameraModel(8, 10, 1, 0, Double.NaN), 1, 10, new Bleaching(4, 4, 0, 0.1, 4, 1)));
    }

    @Test
    void theRateFieldIsSmoothRegionsNotPixelNoise() {
        int w = 96;
        Bleaching b = new Bleaching(w, w, 0.001, 0.006, 32, 5);
        double step = 0;
        int count = 0;
        for (int y = 0; y < w; y++) {
            for (int x = 1; x < w; x++) {
                step += Math.abs(b.rate(y * w + x) - b.rate(y * w + x - 1));
                count++;
            }
        }
        // neighbours differ by a few % of the range on average (white noise: ~33 %)
        assertTrue(step / count < 0.05 * 0.005, "mean neighbour step " + step / count);
    }
}
