package org.n2dlive.mm;

import java.util.Random;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;

/** Camera frames as {@link MicroManager}'s images, at channel c and time point t. Stateless. */
final class Camera {
    private Camera() {
    }

    static Coords at(int channel, int t) {
        return MicroManager.at(channel, t);
    }

    /** A GRAY16 frame whose pixels encode its time point: p[i] = (t * 131 + i) mod 65536. */
    static Image stamped16(int w, int h, int channel, int t) {
        short[] p = new short[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (short) (t * 131 + i);
        return MicroManager.image(p, w, h, 2, 1, at(channel, t));
    }

    /** A GRAY8 frame whose pixels encode its time point: p[i] = (t + i) mod 256. */
    static Image stamped8(int w, int h, int channel, int t) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (t + i);
        return MicroManager.image(p, w, h, 1, 1, at(channel, t));
    }

    /** The pixel value stamped16 puts at index i of time point t. */
    static int stamp16(int t, int i) {
        return (t * 131 + i) & 0xFFFF;
    }

    /** The clean scene behind {@link #noisy16}: a smooth pattern. */
    static double clean(int x, int y) {
        return 2000 + 1500 * Math.sin(x * 0.3) * Math.cos(y * 0.2);
    }

    /** A noisy GRAY16 picture of the {@link #clean} scene (Gaussian noise, fixed seed per frame). */
    static Image noisy16(int w, int h, int t, double sigma) {
        Random r = new Random(1000L + t);
        short[] p = new short[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long v = Math.round(clean(x, y) + sigma * r.nextGaussian());
                p[y * w + x] = (short) Math.max(0, Math.min(65535, v));
            }
        }
        return MicroManager.image(p, w, h, 2, 1, at(0, t));
    }

    /** Mean squared error of a GRAY16 image to the clean scene. */
    static double mseToClean(Image i) {
        short[] p = (short[]) i.getRawPixels();
        int w = i.getWidth();
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            double d = (p[k] & 0xFFFF) - clean(k % w, k / w);
            sum += d * d;
        }
        return sum / p.length;
    }

    /** An RGB32 (BGRA) frame. */
    static Image rgb32(int w, int h, int t) {
        byte[] p = new byte[4 * w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (i + t);
        return MicroManager.image(p, w, h, 4, 3, at(0, t));
    }

    /** A 32-bit float gray frame (Micro-Manager accepts float[] only with 4 bytes per pixel). */
    static Image float32(int w, int h, int t) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) p[i] = i + t;
        return MicroManager.image(p, w, h, 4, 1, at(0, t));
    }

    /** Pixel i of a gray image as an unsigned value. */
    static int value(Image i, int index) {
        Object px = i.getRawPixels();
        if (px instanceof byte[]) return ((byte[]) px)[index] & 0xFF;
        return ((short[]) px)[index] & 0xFFFF;
    }
}
