package org.n2dlive.io;

/**
 * Decodes TIFF's LZW (compression 5, TIFF 6.0 section 13): codes of 9 to 12 bits, most significant bit
 * first, Clear = 256, EndOfInformation = 257, and the "early change" that widens codes one entry before
 * the table needs it. Stateless; each call builds its own table.
 */
final class TiffLzw {
    private static final int CLEAR = 256;
    private static final int EOI = 257;
    private static final int FIRST_FREE = 258;
    private static final int TABLE_SIZE = 4096;

    private TiffLzw() {
    }

    /**
     * Decodes {@code src[off, off+len)} into {@code dst}, stopping at EndOfInformation, at the end of the
     * input, or when dst is full (writers may pad). Returns the number of bytes written.
     *
     * @throws IllegalStateException on a code that cannot occur in a valid stream (the caller names the file)
     */
    static int decode(byte[] src, int off, int len, byte[] dst) {
        // Each entry is its prefix entry plus one byte; strings are written back to front.
        int[] prefix = new int[TABLE_SIZE];
        byte[] suffix = new byte[TABLE_SIZE];
        int[] length = new int[TABLE_SIZE];
        byte[] first = new byte[TABLE_SIZE];
        for (int i = 0; i < 256; i++) {
            suffix[i] = (byte) i;
            first[i] = (byte) i;
            length[i] = 1;
            prefix[i] = -1;
        }
        long bitPos = (long) off * 8;
        long bitEnd = (long) (off + len) * 8;
        int width = 9;
        int next = FIRST_FREE;
        int old = -1;
        int out = 0;
        while (out < dst.length && bitPos + width <= bitEnd) {
            int code = readCode(src, bitPos, width);
            bitPos += width;
            if (code == EOI) break;
            if (code == CLEAR) {
                width = 9;
                next = FIRST_FREE;
                old = -1;
                continue;
            }
            int written;
            if (old == -1) {
                if (code > 255) throw new IllegalStateException("LZW stream starts with code " + code + " after a Clear");
                dst[out] = (byte) code;
                written = 1;
            } else if (code < next) {
                written = emit(code, prefix, suffix, length, dst, out);
                add(next, old, first[code], prefix, suffix, length, first);
                if (next < TABLE_SIZE) next++;
            } else if (code == next && next < TABLE_SIZE) {
                // The KwKwK case: the new string is old's string plus its own first byte.
                add(next, old, first[old], prefix, suffix, length, first);
                next++;
                written = emit(code, prefix, suffix, length, dst, out);
            } else {
                throw new IllegalStateException("LZW code " + code + " is not yet defined (next free " + next + ")");
            }
            out += written;
            old = code;
            // Early change: the decoder widens when the next free code is one short of 2^width.
            if (next + 1 >= (1 << width) && width < 12) width++;
        }
        return Math.min(out, dst.length);
    }

    private static void add(int code, int prev, byte b, int[] prefix, byte[] suffix, int[] length, byte[] first) {
        if (code >= TABLE_SIZE) return; // full table without a Clear: keep decoding with what we have
        prefix[code] = prev;
        suffix[code] = b;
        length[code] = length[prev] + 1;
        first[code] = first[prev];
    }

    /** Writes the string of code at dst[out..], clipped to dst; returns its full length. */
    private static int emit(int code, int[] prefix, byte[] suffix, int[] length, byte[] dst, int out) {
        int n = length[code];
        int c = code;
        for (int i = n - 1; i >= 0; i--) {
            if (out + i < dst.length) dst[out + i] = suffix[c];
            c = prefix[c];
        }
        return n;
    }

    private static int readCode(byte[] src, long bitPos, int width) {
        int byteIdx = (int) (bitPos >>> 3);
        int bitOff = (int) (bitPos & 7);
        // Up to 12 bits starting anywhere within a byte span at most 3 bytes.
        int v = (src[byteIdx] & 0xFF) << 16;
        if (byteIdx + 1 < src.length) v |= (src[byteIdx + 1] & 0xFF) << 8;
        if (byteIdx + 2 < src.length) v |= src[byteIdx + 2] & 0xFF;
        return (v >>> (24 - bitOff - width)) & ((1 << width) - 1);
    }
}
