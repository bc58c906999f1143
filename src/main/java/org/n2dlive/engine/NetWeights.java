package org.n2dlive.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/**
 * The weights of one N2D network, as plain arrays in PyTorch's layouts:
 * conv1 3×3 1→C, LeakyReLU(0.2), conv2 3×3 C→C, LeakyReLU(0.2), conv3 1×1 C→1; 3×3 convs use zero padding 1.
 *
 * <ul>
 *   <li>{@code w1}: [C,1,3,3], {@code b1}: [C]</li>
 *   <li>{@code w2}: [C,C,3,3], {@code b2}: [C]</li>
 *   <li>{@code w3}: [1,C,1,1], {@code b3}: [1]</li>
 * </ul>
 * A snapshot (copied in and out of a backend); mutable arrays, not thread-safe.
 */
public final class NetWeights {
    public static final float LEAKY_SLOPE = 0.2f;
    private static final int MAGIC = 0x4E32444E; // "N2DN"
    /** A sanity bound of the file format (profiles allow far fewer): 4096 channels are 600 MB of weights. */
    private static final int MAX_CHANNELS = 4096;

    public final int channels;
    public final float[] w1;
    public final float[] b1;
    public final float[] w2;
    public final float[] b2;
    public final float[] w3;
    public final float[] b3;

    public NetWeights(int channels) {
        if (channels <= 0) throw new IllegalArgumentException("channels must be positive, got " + channels);
        this.channels = channels;
        w1 = new float[channels * 9];
        b1 = new float[channels];
        w2 = new float[channels * channels * 9];
        b2 = new float[channels];
        w3 = new float[channels];
        b3 = new float[1];
    }

    /**
     * PyTorch's default Conv2d initialisation (kaiming-uniform with a=√5, which reduces to
     * U(−1/√fan_in, 1/√fan_in) for weights and biases), from a seeded generator so runs repeat.
     */
    public static NetWeights initialise(int channels, long seed) {
        NetWeights w = new NetWeights(channels);
        Random r = new Random(seed);
        fill(w.w1, 1.0 / Math.sqrt(9), r);
        fill(w.b1, 1.0 / Math.sqrt(9), r);
        fill(w.w2, 1.0 / Math.sqrt(channels * 9.0), r);
        fill(w.b2, 1.0 / Math.sqrt(channels * 9.0), r);
        fill(w.w3, 1.0 / Math.sqrt(channels), r);
        fill(w.b3, 1.0 / Math.sqrt(channels), r);
        return w;
    }

    private static void fill(float[] a, double bound, Random r) {
        for (int i = 0; i < a.length; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
    }

    /** The six arrays in graph order: w1, b1, w2, b2, w3, b3. */
    public float[][] arrays() {
        return new float[][] {w1, b1, w2, b2, w3, b3};
    }

    /** Shapes matching {@link #arrays()}. */
    public long[][] shapes() {
        int c = channels;
        return new long[][] {{c, 1, 3, 3}, {c}, {c, c, 3, 3}, {c}, {1, c, 1, 1}, {1}};
    }

    public NetWeights copy() {
        NetWeights o = new NetWeights(channels);
        float[][] src = arrays();
        float[][] dst = o.arrays();
        for (int i = 0; i < src.length; i++) System.arraycopy(src[i], 0, dst[i], 0, src[i].length);
        return o;
    }

    /**
     * This net laid into a wider one of {@code width} channels whose extra channels are all zero. The wider net
     * computes exactly the same function (an extra channel's activation is LeakyReLU(0) = 0 and nothing reads it),
     * and under gradient descent its extra weights get exactly zero gradients, so they stay zero: a way to run a
     * channel count on the kernels of another.
     */
    public NetWeights widenedTo(int width) {
        if (width < channels) throw new IllegalArgumentException("cannot narrow " + channels + " channels to " + width);
        return width == channels ? copy() : copyInto(new NetWeights(width), channels);
    }

    /** The first {@code channels} channels of a net {@link #widenedTo} a wider one (the inverse of that). */
    public NetWeights narrowedTo(int channels) {
        if (channels > this.channels) throw new IllegalArgumentException("cannot widen " + this.channels + " to " + channels);
        return channels == this.channels ? copy() : copyInto(new NetWeights(channels), channels);
    }

    /** This net's first {@code m} channels laid into {@code o} (m at most either's channel count); returns o. */
    private NetWeights copyInto(NetWeights o, int m) {
        System.arraycopy(w1, 0, o.w1, 0, m * 9);
        System.arraycopy(b1, 0, o.b1, 0, m);
        for (int k = 0; k < m; k++) System.arraycopy(w2, k * channels * 9, o.w2, k * o.channels * 9, m * 9);
        System.arraycopy(b2, 0, o.b2, 0, m);
        System.arraycopy(w3, 0, o.w3, 0, m);
        o.b3[0] = b3[0];
        return o;
    }

    /** A short hex fingerprint of the values (for provenance: which weights produced a frame). */
    public String fingerprint() {
        long h = 0xcbf29ce484222325L;
        for (float[] a : arrays()) {
            for (float v : a) h = (h ^ Float.floatToIntBits(v)) * 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    /** Bytes {@link #write} produces for a net of {@code channels} channels: magic, channels, six lengths and the floats. */
    public static long serializedBytes(int channels) {
        long c = channels;
        return 4L * (2 + 6) + 4L * (c * 9 + c + c * c * 9 + c + c + 1);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(channels);
        for (float[] a : arrays()) {
            out.writeInt(a.length);
            for (float v : a) out.writeFloat(v);
        }
    }

    /**
     * Reads what {@link #write} wrote. The header is checked against {@code available} (the bytes left in the
     * source, this net's included) before anything is allocated, so a corrupt channel count cannot claim
     * hundreds of MB of heap.
     *
     * @throws IOException naming what is wrong (bad magic, implausible or truncated sizes, a wrong array length,
     *                     a non-finite weight); an {@link java.io.EOFException} when the stream ends early
     */
    public static NetWeights read(DataInputStream in, long available) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not an n2d-live network (bad magic number)");
        int c = in.readInt();
        if (c <= 0 || c > MAX_CHANNELS) {
            throw new IOException("implausible channel count " + c + " (a net has 1.." + MAX_CHANNELS + ")");
        }
        long needed = serializedBytes(c);
        if (needed > available) {
            throw new IOException("truncated: a " + c + "-channel net takes " + needed + " bytes, only " + available
                    + " are left");
        }
        NetWeights w = new NetWeights(c);
        String[] names = {"w1", "b1", "w2", "b2", "w3", "b3"};
        float[][] arrays = w.arrays();
        for (int k = 0; k < arrays.length; k++) {
            float[] a = arrays[k];
            int n = in.readInt();
            if (n != a.length) {
                throw new IOException("array " + names[k] + " has length " + n + " where a " + c + "-channel net has "
                        + a.length);
            }
            for (int i = 0; i < n; i++) {
                float v = in.readFloat();
                if (!Float.isFinite(v)) throw new IOException("weight " + names[k] + "[" + i + "] is " + v);
                a[i] = v;
            }
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NetWeights)) return false;
        NetWeights w = (NetWeights) o;
        return channels == w.channels && Arrays.deepEquals(arrays(), w.arrays());
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(arrays());
    }
}
