package org.n2dlive.metrics;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * PSNR of a frame against its ground truth as every stream figure states it: both divided by the tested frame's
 * full scale (8-bit /255, 16-bit /65535, float /1), data range 1 (the reference's convention). Keeps a scratch buffer
 * that grows to the largest frame seen, so per-frame use does not allocate. One thread.
 *
 * <p>The stream computes it twice a frame on its main thread, beside the worker it measures: integer pixels go
 * through a table of their scaled values and the test frame is compared as it is read (~4× faster at 2048² than
 * reading both frames pixel by pixel into arrays), with the same floats and the same sum, in pixel order, as
 * {@link Psnr#psnr} over the two scaled frames.
 */
public final class FramePsnr {
    private float[] clean = new float[0];
    private float[] table = new float[0];
    private PixelType tableType;
    private double tableScale;

    /** NaN when there is no ground truth or the sizes differ (a recording whose frames change size). */
    public double of(Frame clean, Frame test) {
        if (clean == null || clean.width() != test.width() || clean.height() != test.height()) return Double.NaN;
        int n = test.pixelCount();
        if (n <= 0) throw new IllegalArgumentException("need at least one pixel, got n=" + n);
        if (this.clean.length < n) this.clean = new float[n];
        double scale = test.type().fullScale();
        float[] a = this.clean;
        toUnit(clean, scale, a, n);
        double sum = 0;
        if (test.type() == PixelType.GRAY16) {
            float[] t = table(PixelType.GRAY16, scale);
            short[] p = test.shorts();
            for (int i = 0; i < n; i++) {
                double d = (double) a[i] - t[p[i] & 0xFFFF];
                sum += d * d;
            }
        } else if (test.type() == PixelType.GRAY8) {
            float[] t = table(PixelType.GRAY8, scale);
            byte[] p = test.bytes();
            for (int i = 0; i < n; i++) {
                double d = (double) a[i] - t[p[i] & 0xFF];
                sum += d * d;
            }
        } else {
            float[] p = test.floats();
            for (int i = 0; i < n; i++) {
                double d = (double) a[i] - (float) (p[i] / scale);
                sum += d * d;
            }
        }
        return Psnr.fromMse(sum / n);
    }

    /** value / scale per pixel: the floats {@code (float) (frame.get(i) / scale)} gives. */
    private void toUnit(Frame f, double scale, float[] out, int n) {
        if (f.type() == PixelType.GRAY16) {
            float[] t = table(PixelType.GRAY16, scale);
            short[] p = f.shorts();
            for (int i = 0; i < n; i++) out[i] = t[p[i] & 0xFFFF];
        } else if (f.type() == PixelType.GRAY8) {
            float[] t = table(PixelType.GRAY8, scale);
            byte[] p = f.bytes();
            for (int i = 0; i < n; i++) out[i] = t[p[i] & 0xFF];
        } else {
            float[] p = f.floats();
            for (int i = 0; i < n; i++) out[i] = (float) (p[i] / scale);
        }
    }

    /** (float) (v / scale) for every value v of an integer type, made when the type or the scale changes. */
    private float[] table(PixelType type, double scale) {
        if (type != tableType || scale != tableScale) {
            int values = type == PixelType.GRAY16 ? 65536 : 256;
            if (table.length != values) table = new float[values];
            for (int v = 0; v < values; v++) table[v] = (float) (v / scale);
            tableType = type;
            tableScale = scale;
        }
        return table;
    }
}
