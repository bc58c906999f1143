package org.n2dlive.engine.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal protocol-buffers wire-format encoder: just what an ONNX model needs (varints, 32-bit floats,
 * length-delimited bytes/strings/sub-messages, packed repeated floats and int64s). Sub-messages are encoded
 * into their own writer first so their length is known before they are embedded.
 *
 * <p>Threading: confined to the thread that builds the model; not thread-safe.
 */
final class ProtoWriter {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LEN = 2;
    private static final int WIRE_FIXED32 = 5;

    private byte[] buf;
    private int size;

    ProtoWriter() {
        this(64);
    }

    ProtoWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** An int64/int32/enum/bool field. Negative values take ten bytes, as protobuf specifies for int32/int64. */
    ProtoWriter varint(int field, long value) {
        tag(field, WIRE_VARINT);
        rawVarint(value);
        return this;
    }

    /** A {@code float} field (fixed 32-bit, little-endian). */
    ProtoWriter float32(int field, float value) {
        tag(field, WIRE_FIXED32);
        rawFixed32(Float.floatToRawIntBits(value));
        return this;
    }

    ProtoWriter string(int field, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return bytes(field, b, 0, b.length);
    }

    ProtoWriter bytes(int field, byte[] b, int offset, int length) {
        tag(field, WIRE_LEN);
        rawVarint(length);
        ensure(length);
        System.arraycopy(b, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Embeds {@code message} (possibly empty) as a length-delimited field. */
    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.buf, 0, message.size);
    }

    /** A packed {@code repeated float} field; written even when empty, which decoders read as no elements. */
    ProtoWriter packedFloats(int field, float[] values) {
        tag(field, WIRE_LEN);
        rawVarint(4L * values.length);
        ensure(4 * values.length);
        for (float v : values) rawFixed32(Float.floatToRawIntBits(v));
        return this;
    }

    /** A packed {@code repeated int64} field. */
    ProtoWriter packedInt64(int field, long[] values) {
        int length = 0;
        for (long v : values) length += varintSize(v);
        tag(field, WIRE_LEN);
        rawVarint(length);
        for (long v : values) rawVarint(v);
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void tag(int field, int wireType) {
        if (field <= 0 || field > 0x1FFFFFFF) throw new IllegalArgumentException("bad protobuf field number " + field);
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        ensure(10);
        // Unsigned shift: negative values are sign-extended to 64 bits and take all ten bytes.
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void rawFixed32(int bits) {
        ensure(4);
        buf[size++] = (byte) bits;
        buf[size++] = (byte) (bits >>> 8);
        buf[size++] = (byte) (bits >>> 16);
        buf[size++] = (byte) (bits >>> 24);
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private void ensure(int extra) {
        long need = (long) size + extra;
        if (need > Integer.MAX_VALUE - 8) throw new IllegalStateException("protobuf message too large (>2 GB)");
        if (need > buf.length) buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 8L, 2L * buf.length)));
    }
}
