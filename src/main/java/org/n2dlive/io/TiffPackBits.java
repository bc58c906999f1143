package org.n2dlive.io;

/**
 * Decodes PackBits (compression 32773, TIFF 6.0 section 9): a header byte n, then n+1 literal bytes for
 * n in 0..127, or one byte repeated 1-n times for n in -127..-1; -128 is a no-op. Stateless.
 */
final class TiffPackBits {
    private TiffPackBits() {
    }

    /**
     * Decodes {@code src[off, off+len)} into dst until dst is full or the input ends; returns the number
     * of bytes written (less than dst.length means the data was short).
     */
    static int decode(byte[] src, int off, int len, byte[] dst) {
        int in = off;
        int end = off + len;
        int out = 0;
        while (in < end && out < dst.length) {
            int n = src[in++];
            if (n >= 0) {
                int count = Math.min(n + 1, Math.min(end - in, dst.length - out));
                System.arraycopy(src, in, dst, out, count);
                in += n + 1;
                out += count;
            } else if (n != -128) {
                if (in >= end) break;
                byte b = src[in++];
                int count = Math.min(1 - n, dst.length - out);
                for (int i = 0; i < count; i++) dst[out++] = b;
            }
        }
        return out;
    }
}
