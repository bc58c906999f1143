package org.n2dlive.mm;

import java.util.Random;
import org.n2dlive.mm.host.SimCoords;
import org.n2dlive.mm.host.SimImage;

/** Synthetic camera frames for the tests. Stateless. */
final class SyntheticFrames {
    private SyntheticFrames() {
    }

    /** A GRAY16 frame whose pixels encode its time point: p[i] = (t * 131 + i) mod 65536. */
    static SimImage stamped16(int w, int h, int channel, int t) {
        short[] p = new short[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (short) (t * 131 + i);
        return SimImage.gray16(p, w, h, SimCoords.of(channel, t));
    }

    /** A GRAY8 frame whose pixels encode its time point: p[i] = (t + i) mod 256. */
    static SimImage stamped8(int w, int h, int channel, int t) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (t + i);
        return SimImage.gray8(p, w, h, SimCoords.of(channel, t));
    }

    /** The pixel value stamped16 puts at index i of time point t. */
    static int stamp16(int t, int i) {
        return (t * 131 + i) & 0xFFFF;
    }

    /** A noisy GRAY16 picture of a smooth scene (Gaussian noise, fixed seed per frame). */
    static SimImage noisy16(int w, int h, int t, double sigma) {
        Random r = new Random(1000L + t);
        short[] p = new short[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double clean = 2000 + 1500 * Math.sin(x * 0.3) * Math.cos(y * 0.2);
                long v = Math.round(clean + sigma * r.nextGaussian());
                p[y * w + x] = (short) Math.max(0, Math.min(65535, v));
            }
        }
        return SimImage.gray16(p, w, h, SimCoords.of(0, t));
    }

    /** An RGB32 (BGRA) frame. */
    static SimImage rgb32(int w, int h, int t) {
        byte[] p = new byte[4 * w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (i + t);
        return new SimImage(p, w, h, 4, 3, SimCoords.of(0, t), org.n2dlive.mm.host.SimMetadata.fresh());
    }
}
