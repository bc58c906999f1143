package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The strip decoders on small hand-built inputs. */
class TiffCodecsTest {

    @Test
    void packBitsSpecExample() {
        // The example in TIFF 6.0, section 9 (literal runs, replicate runs, a -128 no-op added).
        byte[] packed = TiffBuilder.bytes(0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x80, 0x03, 0x80, 0x00, 0x2A, 0x22,
                0xF7, 0xAA);
        byte[] expected = TiffBuilder.bytes(0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A,
                0x22, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA);
        byte[] out = new byte[expected.length];
        assertEquals(expected.length, TiffPackBits.decode(packed, 0, packed.length, out));
        assertArrayEquals(expected, out);
    }

    @Test
    void packBitsShortInputReportsFewerBytes() {
        byte[] packed = TiffBuilder.bytes(0x03, 1, 2); // announces 4 literals, holds 2
        byte[] out = new byte[4];
        assertEquals(2, TiffPackBits.decode(packed, 0, packed.length, out));
    }

    @Test
    void lzwDecodesHandEncodedCodes() {
        // "ABABABA" by hand: Clear, 'A'(65), 'B'(66), 258 ("AB"), 260 ("ABA", the KwKwK case), EOI; 9-bit MSB-first.
        int[] codes = {256, 65, 66, 258, 260, 257};
        byte[] packed = packCodes9(codes);
        byte[] out = new byte[7];
        assertEquals(7, TiffLzw.decode(packed, 0, packed.length, out));
        assertArrayEquals("ABABABA".getBytes(java.nio.charset.StandardCharsets.US_ASCII), out);
    }

    @Test
    void lzwMatchesIndependentEncoderAcrossWidthsAndClears() {
        // Enough varied data to grow codes to 12 bits and fill the table (forcing a Clear) several times.
        Random rnd = new Random(7);
        byte[] data = new byte[60000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 3 == 0 ? rnd.nextInt(256) : (rnd.nextInt(6) + 'a'));
        }
        byte[] packed = TestLzwEncoder.encode(data);
        byte[] out = new byte[data.length];
        assertEquals(data.length, TiffLzw.decode(packed, 0, packed.length, out));
        assertArrayEquals(data, out);
    }

    @Test
    void lzwRepetitiveData() {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i / 700);
        byte[] packed = TestLzwEncoder.encode(data);
        byte[] out = new byte[data.length];
        TiffLzw.decode(packed, 0, packed.length, out);
        assertArrayEquals(data, out);
    }

    @Test
    void lzwRejectsUndefinedCode() {
        byte[] packed = packCodes9(new int[] {256, 65, 400, 257});
        assertThrows(IllegalStateException.class, () -> TiffLzw.decode(packed, 0, packed.length, new byte[10]));
    }

    @Test
    void predictorUndoesHorizontalDifferences() {
        // 8-bit row 10, 12, 9, 200 is stored as 10, +2, -3, +191.
        byte[] row = TiffBuilder.bytes(10, 2, 253, 191);
        TiffReader.undoPredictor(row, 1, 4, 1, ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(TiffBuilder.bytes(10, 12, 9, 200), row);
        // 16-bit big-endian row 1000, 65535, 5, 300 is stored as 1000, 64535, 6 (wraps), 295; two rows.
        byte[] rows = TiffBuilder.shorts(ByteOrder.BIG_ENDIAN, 1000, 64535, 6, 295, 7, 1, 1, 1);
        TiffReader.undoPredictor(rows, 2, 4, 2, ByteOrder.BIG_ENDIAN);
        assertArrayEquals(TiffBuilder.shorts(ByteOrder.BIG_ENDIAN, 1000, 65535, 5, 300, 7, 8, 9, 10), rows);
    }

    /** Packs 9-bit codes MSB-first (enough for short streams that never widen). */
    static byte[] packCodes9(int[] codes) {
        int bits = codes.length * 9;
        byte[] out = new byte[(bits + 7) / 8];
        int pos = 0;
        for (int c : codes) {
            for (int b = 8; b >= 0; b--) {
                if (((c >> b) & 1) != 0) out[pos >> 3] |= (byte) (0x80 >>> (pos & 7));
                pos++;
            }
        }
        return out;
    }
}
