package org.n2dlive.metrics;

import org.n2dlive.frame.Frame;

/**
 * PSNR of a frame against its ground truth as every stream figure states it: both divided by the tested frame's
 * full scale (8-bit /255, 16-bit /65535, float /1), data range 1 (the reference's convention). Keeps two scratch
 * buffers that grow to the largest frame seen, so per-frame use does not allocate. One thread.
 */
public final class FramePsnr {
    private float[] a = new float[0];
    private float[] b = new float[0];

    /** NaN when there is no ground truth or the sizes differ (a recording whose frames change size). */
    public double of(Frame clean, Frame test) {
        if (clean == null || clean.width() != test.width() || clean.height() != test.height()) return Double.NaN;
        int n = test.pixelCount();
        if (a.length < n) {
            a = new float[n];
            b = new float[n];
        }
        double scale = test.type().fullScale();
        for (int i = 0; i < n; i++) {
            a[i] = (float) (clean.get(i) / scale);
            b[i] = (float) (test.get(i) / scale);
        }
        return Psnr.psnr(a, b, n);
    }
}
