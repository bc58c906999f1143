package org.n2dlive.temporal;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/** Frames to and from float raw units (camera values, unsigned). Stateless; no allocation. */
public final class RawPixels {
    private RawPixels() {
    }

    /** dst[i] = the raw value of pixel i. */
    public static void toFloat(Frame f, float[] dst) {
        toFloat(f, dst, 0, f.pixelCount());
    }

    /** dst[i] = the raw value of pixel i, for i in [from, to). */
    public static void toFloat(Frame f, float[] dst, int from, int to) {
        switch (f.type()) {
            case GRAY8: {
                byte[] p = f.bytes();
                for (int i = from; i < to; i++) dst[i] = p[i] & 0xFF;
                break;
            }
            case GRAY16: {
                short[] p = f.shorts();
                for (int i = from; i < to; i++) dst[i] = p[i] & 0xFFFF;
                break;
            }
            default:
                System.arraycopy(f.floats(), from, dst, from, to - from);
        }
    }

    /** Writes raw values into dst, reshaped to (type, w, h): integer types rounded and clipped to their range. */
    public static Frame fromFloat(float[] src, PixelType type, int w, int h, Frame dst) {
        dst.reshape(type, w, h);
        fromFloat(src, dst, 0, w * h);
        return dst;
    }

    /** Pixels [from, to) of {@link #fromFloat(float[], PixelType, int, int, Frame)} into dst, already reshaped. */
    public static void fromFloat(float[] src, Frame dst, int from, int to) {
        switch (dst.type()) {
            case GRAY8: {
                byte[] p = dst.bytes();
                for (int i = from; i < to; i++) p[i] = (byte) clip(src[i], 255);
                break;
            }
            case GRAY16: {
                short[] p = dst.shorts();
                for (int i = from; i < to; i++) p[i] = (short) clip(src[i], 65535);
                break;
            }
            default:
                System.arraycopy(src, from, dst.floats(), from, to - from);
        }
    }

    /**
     * {@link #fromFloat(float[], PixelType, int, int, Frame)} over a {@link RowPool}'s bands. One per caller, made once;
     * not for concurrent use.
     */
    public static final class Banded implements RowPool.Rows {
        private final RowPool pool;
        private float[] src;
        private Frame dst;
        private int w;

        public Banded(RowPool pool) {
            this.pool = pool;
        }

        public Frame fromFloat(float[] src, PixelType type, int w, int h, Frame dst) {
            dst.reshape(type, w, h);
            this.src = src;
            this.dst = dst;
            this.w = w;
            try {
                pool.run(w, h, this);
            } finally {
                this.src = null;
                this.dst = null;
            }
            return dst;
        }

        @Override
        public void rows(int band, int y0, int y1) {
            RawPixels.fromFloat(src, dst, y0 * w, y1 * w);
        }
    }

    private static int clip(float v, int max) {
        int r = Math.round(v);
        return r < 0 ? 0 : (r > max ? max : r);
    }
}
