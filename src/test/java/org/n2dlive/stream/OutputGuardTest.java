package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.junit.jupiter.api.Test;

/**
 * The output check on each pixel type: a denoising passes; a black frame, a shifted level and an output far from its
 * input do not. Integer frames are summed exactly in their own loops; converted to floats, every frame gets the same
 * verdict from the generic loop.
 */
class OutputGuardTest {
    private static final int W = 97;
    private static final int H = 61;

    @Test
    void denoisingPassesAndBrokenOutputsFailOnEveryType() {
        for (PixelType type : new PixelType[] {PixelType.GRAY8, PixelType.GRAY16}) {
            double peak = type == PixelType.GRAY8 ? 200 : 3000;
            Frame raw = noisy(type, peak, 1);
            assertVerdict(raw, smoothed(raw), null);
            assertVerdict(raw, Frame.allocate(type, W, H), "output mean");
            Frame brighter = smoothed(raw);
            for (int i = 0; i < W * H; i++) set(brighter, i, brighter.get(i) * 1.5);
            assertVerdict(raw, brighter, "output mean");
            assertVerdict(raw, mirrored(raw), "energy"); // the same level, another picture
        }
    }

    @Test
    void aNonFiniteFloatPixelFails() {
        Frame raw = toFloat(noisy(PixelType.GRAY16, 3000, 1));
        Frame out = toFloat(smoothed(noisy(PixelType.GRAY16, 3000, 1)));
        out.floats()[5 * W + 7] = Float.NaN;
        String why = OutputGuard.check(raw, out);
        assertNotNull(why);
        assertTrue(why.contains("(7,5)"), why);
    }

    /** The verdict on the frames as given and as floats; {@code expected} null for a pass, else part of the reason. */
    private static void assertVerdict(Frame raw, Frame out, String expected) {
        String asIs = OutputGuard.check(raw, out);
        String asFloat = OutputGuard.check(toFloat(raw), toFloat(out));
        if (expected == null) {
            assertNull(asIs, raw.type().toString());
            assertNull(asFloat, raw.type().toString());
        } else {
            assertNotNull(asIs, raw.type() + ": expected a failure with " + expected);
            assertTrue(asIs.contains(expected), asIs);
            assertEquals(asIs.substring(0, 12), asFloat.substring(0, 12), asIs + " / " + asFloat);
        }
    }

    /** A smooth scene with Poisson-like noise, at most {@code peak} counts. */
    private static Frame noisy(PixelType type, double peak, long seed) {
        Random r = new Random(seed);
        Frame f = Frame.allocate(type, W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double clean = peak * (0.3 + 0.25 * Math.sin(x * 0.15) * Math.cos(y * 0.11));
                set(f, y * W + x, clean + Math.sqrt(clean) * r.nextGaussian());
            }
        }
        return f;
    }

    /** A 3×3 mean of f: what a denoiser does, roughly. */
    private static Frame smoothed(Frame f) {
        Frame s = Frame.allocate(f.type(), W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double sum = 0;
                int n = 0;
                for (int yy = Math.max(0, y - 1); yy <= Math.min(H - 1, y + 1); yy++) {
                    for (int xx = Math.max(0, x - 1); xx <= Math.min(W - 1, x + 1); xx++) {
                        sum += f.get(yy * W + xx);
                        n++;
                    }
                }
                set(s, y * W + x, sum / n);
            }
        }
        return s;
    }

    private static Frame mirrored(Frame f) {
        Frame m = Frame.allocate(f.type(), W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) set(m, y * W + x, f.get(y * W + W - 1 - x));
        }
        return m;
    }

    private static void set(Frame f, int i, double v) {
        double max = f.type() == PixelType.GRAY8 ? 255 : 65535;
        long c = Math.round(Math.max(0, Math.min(max, v)));
        if (f.type() == PixelType.GRAY8) f.bytes()[i] = (byte) c;
        else f.shorts()[i] = (short) c;
    }

    private static Frame toFloat(Frame f) {
        float[] v = new float[W * H];
        for (int i = 0; i < v.length; i++) v[i] = (float) f.get(i);
        return Frame.wrap(W, H, v);
    }
}
