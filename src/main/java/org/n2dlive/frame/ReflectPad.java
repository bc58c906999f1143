package org.n2dlive.frame;

/**
 * Pads an image to a multiple of a block size by mirror reflection (numpy's "reflect": the edge pixel is
 * not repeated) and crops it back. N2D needs sizes divisible by 4 (pair split, then shuffle by 4); padding
 * instead of resizing keeps every original pixel where it was. Stateless, thread-safe.
 */
public final class ReflectPad {
    private ReflectPad() {
    }

    /** The smallest multiple of {@code block} that is ≥ n. */
    public static int paddedSize(int n, int block) {
        return (n + block - 1) / block * block;
    }

    /** Copies src (w×h) into dst (pw×ph, pw ≥ w, ph ≥ h) and fills the extra right/bottom band by reflection. */
    public static void pad(float[] src, int w, int h, float[] dst, int pw, int ph) {
        if (pw < w || ph < h) throw new IllegalArgumentException("padded size smaller than the image");
        for (int y = 0; y < ph; y++) {
            int sy = mirror(y, h);
            int srow = sy * w;
            int drow = y * pw;
            System.arraycopy(src, srow, dst, drow, w);
            for (int x = w; x < pw; x++) dst[drow + x] = src[srow + mirror(x, w)];
        }
    }

    /** Copies the top-left w×h window of src (pw wide) into dst. */
    public static void crop(float[] src, int pw, float[] dst, int w, int h) {
        for (int y = 0; y < h; y++) System.arraycopy(src, y * pw, dst, y * w, w);
    }

    /** Copies the ch×cw window of src (pw wide) whose top-left pixel is (c0, r0) into dst, row after row. */
    public static void window(float[] src, int pw, int r0, int c0, int ch, int cw, float[] dst) {
        for (int y = 0; y < ch; y++) System.arraycopy(src, (r0 + y) * pw + c0, dst, y * cw, cw);
    }

    /** Index reflected into [0, n): n → n−2, n+1 → n−3, …; sizes 1 and 2 fall back to edge repetition. */
    public static int mirror(int i, int n) {
        if (i < n) return i;
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int r = i % period;
        return r < n ? r : period - r;
    }
}
