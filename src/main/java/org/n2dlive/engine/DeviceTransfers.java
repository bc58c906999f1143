package org.n2dlive.engine;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the copies between Java memory and backend tensors at the engine's seams (a Java array into a
 * tensor, a tensor back into a Java array), by kind, so a check can assert that a frame crosses to the
 * device once and comes back once. On a GPU each of these is a host↔device transfer; on the CPU it is the
 * same copy into PyTorch-owned memory, which lets the rule be tested without a GPU.
 *
 * <p>Copies made inside DJL that never pass through the engine's code (e.g. the 0-d tensor behind
 * {@code NDArray.mul(Number)}) are not seen here.
 *
 * <p>Threading: any thread may record; counters are atomic and never allocate, so recording costs two
 * atomic adds on the hot path. {@link #snapshot()} may run on any thread.
 */
public final class DeviceTransfers {

    /** What was copied, and which way. */
    public enum Kind {
        /** Image data (a frame, a stage image) from Java into a tensor. */
        FRAME_UPLOAD,
        /** A training crop from Java into a tensor (64² to 256² pixels a step). */
        CROP_UPLOAD,
        /** Image data from a tensor back into a Java array. */
        FRAME_DOWNLOAD,
        /** Network parameters into tensors (installing weights). */
        WEIGHTS_UPLOAD,
        /** Network parameters back to Java (weight snapshots). */
        WEIGHTS_DOWNLOAD,
        /** Single numbers into tensors (constants of the loss and the ensemble). */
        SCALAR_UPLOAD,
        /** Single numbers back to Java (loss values). */
        SCALAR_DOWNLOAD
    }

    private static final int KINDS = Kind.values().length;
    private static final AtomicLongArray COUNTS = new AtomicLongArray(KINDS);
    private static final AtomicLongArray BYTES = new AtomicLongArray(KINDS);

    private DeviceTransfers() {
    }

    /** Records one copy of {@code bytes} bytes. */
    public static void record(Kind kind, long bytes) {
        COUNTS.incrementAndGet(kind.ordinal());
        BYTES.addAndGet(kind.ordinal(), bytes);
    }

    /** The totals so far (since the JVM started). Subtract two snapshots for what happened in between. */
    public static Snapshot snapshot() {
        long[] c = new long[KINDS];
        long[] b = new long[KINDS];
        for (int i = 0; i < KINDS; i++) {
            c[i] = COUNTS.get(i);
            b[i] = BYTES.get(i);
        }
        return new Snapshot(c, b);
    }

    /** Counts and bytes per kind at one moment, or the difference of two moments. Immutable. */
    public static final class Snapshot {
        private final long[] counts;
        private final long[] bytes;

        private Snapshot(long[] counts, long[] bytes) {
            this.counts = counts;
            this.bytes = bytes;
        }

        public long count(Kind k) {
            return counts[k.ordinal()];
        }

        public long bytes(Kind k) {
            return bytes[k.ordinal()];
        }

        /** This snapshot minus an earlier one: what was copied in between. */
        public Snapshot since(Snapshot earlier) {
            long[] c = new long[KINDS];
            long[] b = new long[KINDS];
            for (int i = 0; i < KINDS; i++) {
                c[i] = counts[i] - earlier.counts[i];
                b[i] = bytes[i] - earlier.bytes[i];
            }
            return new Snapshot(c, b);
        }

        /** {kind name in lower case: {count, bytes}}, for reports. */
        public Map<String, long[]> asMap() {
            Map<String, long[]> m = new java.util.LinkedHashMap<>();
            for (Kind k : Kind.values()) m.put(k.name().toLowerCase(Locale.ROOT), new long[] {count(k), bytes(k)});
            return m;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            Map<Kind, String> parts = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) parts.put(k, count(k) + "x/" + bytes(k) + "B");
            for (Map.Entry<Kind, String> e : parts.entrySet()) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(e.getKey().name().toLowerCase(Locale.ROOT)).append(' ').append(e.getValue());
            }
            return sb.toString();
        }
    }
}
