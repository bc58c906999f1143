package org.n2dlive.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

class FramePsnrTest {

    /** The definition: both frames read pixel by pixel, divided by the test frame's full scale, then {@link Psnr}. */
    private static double definition(Frame clean, Frame test) {
        int n = test.pixelCount();
        float[] a = new float[n], b = new float[n];
        double scale = test.type().fullScale();
        for (int i = 0; i < n; i++) {
            a[i] = (float) (clean.get(i) / scale);
            b[i] = (float) (test.get(i) / scale);
        }
        return Psnr.psnr(a, b, n);
    }

    private static Frame random(PixelType type, int w, int h, Random rnd) {
        Frame f = Frame.allocate(type, w, h);
        for (int i = 0; i < w * h; i++) {
            if (type == PixelType.GRAY8) f.bytes()[i] = (byte) rnd.nextInt(256);
            else if (type == PixelType.GRAY16) f.shorts()[i] = (short) rnd.nextInt(65536);
            else f.floats()[i] = (float) (rnd.nextGaussian() * 3000 + 20000);
        }
        return f;
    }

    @Test
    void everyPairOfPixelTypesGivesTheDefinitionsDoubleExactly() {
        Random rnd = new Random(7);
        FramePsnr psnr = new FramePsnr(); // one instance: its table follows the types and scales as they change
        for (int round = 0; round < 2; round++) {
            for (PixelType ct : PixelType.values()) {
                for (PixelType tt : PixelType.values()) {
                    Frame clean = random(ct, 37, 23, rnd);
                    Frame test = random(tt, 37, 23, rnd);
                    assertEquals(definition(clean, test), psnr.of(clean, test), 0.0, ct + " against " + tt);
                }
            }
        }
    }

    @Test
    void identicalFramesAreInfiniteAndMismatchedSizesNaN() {
        Frame f = random(PixelType.GRAY16, 16, 16, new Random(1));
        FramePsnr psnr = new FramePsnr();
        assertEquals(Double.POSITIVE_INFINITY, psnr.of(f, f.copy()));
        assertTrue(Double.isNaN(psnr.of(random(PixelType.GRAY16, 16, 8, new Random(2)), f)));
        assertTrue(Double.isNaN(psnr.of(null, f)));
    }
}
