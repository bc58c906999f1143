package org.n2dlive.io;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only TIFF LZW encoder, written from the TIFF 6.0 description (string table keyed by the strings
 * themselves, codes MSB-first, Clear first, EndOfInformation last, code width grown when the next free
 * code reaches 2^width, Clear re-sent when the table reaches 4094 entries, as libtiff's encoder does).
 * Shares no code with the decoder under test.
 */
final class TestLzwEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long bitBuffer;
    private int bitCount;
    private int width = 9;

    static byte[] encode(byte[] data) {
        return new TestLzwEncoder().run(data);
    }

    private byte[] run(byte[] data) {
        Map<String, Integer> table = new HashMap<>();
        reset(table);
        int next = 258;
        put(256); // Clear
        String w = "";
        for (byte b : data) {
            String wc = w + (char) (b & 0xFF);
            if (table.containsKey(wc)) {
                w = wc;
                continue;
            }
            put(table.get(w));
            table.put(wc, next++);
            w = String.valueOf((char) (b & 0xFF));
            if (next == 4094) {
                put(256);
                reset(table);
                next = 258;
                width = 9;
            } else if (next == (1 << width)) {
                width++;
            }
        }
        if (!w.isEmpty()) {
            put(table.get(w));
            next++;
            if (next == (1 << width) && width < 12) width++;
        }
        put(257); // EndOfInformation
        if (bitCount > 0) out.write((int) (bitBuffer << (8 - bitCount)) & 0xFF);
        return out.toByteArray();
    }

    private static void reset(Map<String, Integer> table) {
        table.clear();
        for (int i = 0; i < 256; i++) table.put(String.valueOf((char) i), i);
    }

    private void put(int code) {
        bitBuffer = (bitBuffer << width) | code;
        bitCount += width;
        while (bitCount >= 8) {
            out.write((int) (bitBuffer >>> (bitCount - 8)) & 0xFF);
            bitCount -= 8;
        }
        bitBuffer &= (1L << bitCount) - 1;
    }
}
