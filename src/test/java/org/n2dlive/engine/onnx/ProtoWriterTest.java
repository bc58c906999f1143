package org.n2dlive.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Wire bytes worked out by hand from the protobuf encoding rules. */
class ProtoWriterTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void varintsUseSevenBitGroupsLowFirst() {
        assertArrayEquals(bytes(0x08, 0x08), new ProtoWriter().varint(1, 8).toByteArray());
        assertArrayEquals(bytes(0x10, 0xAC, 0x02), new ProtoWriter().varint(2, 300).toByteArray());
        assertArrayEquals(bytes(0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                new ProtoWriter().varint(3, -1).toByteArray(), "negative int64 is ten bytes");
        assertArrayEquals(bytes(0x80, 0x01, 0x00), new ProtoWriter().varint(16, 0).toByteArray(), "field 16 needs a two-byte tag");
    }

    @Test
    void fixed32FloatIsLittleEndian() {
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1.0f).toByteArray());
    }

    @Test
    void lengthDelimitedFields() {
        assertArrayEquals(bytes(0x42, 0x02, 'a', 'b'), new ProtoWriter().string(8, "ab").toByteArray());
        ProtoWriter sub = new ProtoWriter().varint(1, 1);
        assertArrayEquals(bytes(0x3A, 0x02, 0x08, 0x01), new ProtoWriter().message(7, sub).toByteArray());
        assertArrayEquals(bytes(0x3A, 0x00), new ProtoWriter().message(7, new ProtoWriter()).toByteArray());
    }

    @Test
    void packedRepeatedFields() {
        assertArrayEquals(bytes(0x22, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0),
                new ProtoWriter().packedFloats(4, new float[] {1f, -2f}).toByteArray());
        assertArrayEquals(bytes(0x0A, 0x03, 0x03, 0xAC, 0x02), new ProtoWriter().packedInt64(1, new long[] {3, 300}).toByteArray());
    }

    @Test
    void growsPastInitialCapacity() {
        float[] many = new float[10_000];
        ProtoWriter w = new ProtoWriter(16).packedFloats(4, many);
        assertTrue(w.size() == 1 + 3 + 40_000, "tag + 3-byte length + payload, got " + w.size());
    }

    @Test
    void rejectsBadFieldNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(0, 1));
    }
}
