package org.n2dlive.temporal;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/** Frames to and from float raw units (camera values, unsigned). Stateless; no allocation. */
public final class RawPixels {
    private RawPixels() {
    }

    /** dst[i] = the raw value of pixel i. */
    public static void toFloat(Frame f, float[] dst) {
        int n = f.pixelCount();
        switch (f.type()) {
            case GRAY8: {
                byte[] p = f.bytes();
                for (int i = 0; i < n; i++) dst[i] = p[i] & 0xFF;
                break;
            }
            case GRAY16: {
                short[] p = f.shorts();
                for (int i = 0; i < n; i++) dst[i] = p[i] & 0xFFFF;
                break;
            }
            default:
                System.arraycopy(f.floats(), 0, dst, 0, n);
        }
    }

    /** Writes raw values into dst, reshaped to (type, w, h): integer types rounded and clipped to their range. */
    public static Frame fromFloat(float[] src, PixelType type, int w, int h, Frame dst) {
        dst.reshape(type, w, h);
        int n = w * h;
        switch (type) {
            case GRAY8: {
                byte[] p = dst.bytes();
                for (int i = 0; i < n; i++) p[i] = (byte) clip(src[i], 255);
                break;
            }
            case GRAY16: {
                short[] p = dst.shorts();
                for (int i = 0; i < n; i++) p[i] = (short) clip(src[i], 65535);
                break;
            }
            default:
                System.arraycopy(src, 0, dst.floats(), 0, n);
        }
        return dst;
    }

    private static int clip(float v, int max) {
        int r = Math.round(v);
        return r < 0 ? 0 : (r > max ? max : r);
    }
}
