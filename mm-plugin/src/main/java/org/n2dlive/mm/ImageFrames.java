package org.n2dlive.mm;

import org.micromanager.data.Image;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Conversions between Micro-Manager images and the engine's frames. Stateless; thread-safe.
 */
final class ImageFrames {
    private ImageFrames() {
    }

    /** The engine's pixel type for a gray image, or null for anything it cannot take (RGB32, ...). */
    static PixelType pixelType(Image image) {
        if (image.getNumComponents() != 1) return null;
        Object px = image.getRawPixels();
        switch (image.getBytesPerPixel()) {
            case 1: return px instanceof byte[] ? PixelType.GRAY8 : null;
            case 2: return px instanceof short[] ? PixelType.GRAY16 : null;
            default: return null;
        }
    }

    /** A short description of an image's format, for warnings. */
    static String describe(Image image) {
        int bpp = image.getBytesPerPixel();
        int comps = image.getNumComponents();
        Object px = image.getRawPixels();
        String kind = comps == 3 && bpp == 4 ? "RGB32" : comps + " component(s), " + bpp + " byte(s)/pixel";
        return kind + ", pixels " + (px == null ? "null" : px.getClass().getSimpleName());
    }

    /**
     * A new pixel array of type {@code want} holding {@code f}'s pixels: the datastore keeps the array, so
     * the ring's buffer is never handed out. Other types are rounded and clamped to {@code want}'s range.
     */
    static Object newPixels(Frame f, PixelType want) {
        int n = f.pixelCount();
        if (f.type() == want) {
            Object out = want.newArray(n);
            System.arraycopy(f.pixels(), 0, out, 0, n);
            return out;
        }
        double max = want.fullScale();
        if (want == PixelType.GRAY8) {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) out[i] = (byte) clampRound(f.get(i), max);
            return out;
        }
        if (want == PixelType.GRAY16) {
            short[] out = new short[n];
            for (int i = 0; i < n; i++) out[i] = (short) clampRound(f.get(i), max);
            return out;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) f.get(i);
        return out;
    }

    private static long clampRound(double v, double max) {
        if (!(v > 0)) return 0; // also NaN
        long r = Math.round(v);
        return r > max ? (long) max : r;
    }
}
