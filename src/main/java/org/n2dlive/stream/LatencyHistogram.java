package org.n2dlive.stream;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, in log-linear buckets (exact below 64 µs, then 32 buckets per power of two:
 * about 3 % resolution), so percentiles over a whole stream cost a fixed 10 KB and no allocation per value.
 *
 * <p>Threading: one writer ({@link #record}); any thread may read. A reader racing the writer may miss the
 * latest values, which is fine for telemetry.
 */
final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB; // values below 64 get one bucket each
    private static final int MAX_EXPONENT = 46; // ~2^46 µs: two years
    private static final int BUCKETS = LINEAR + (MAX_EXPONENT - SUB_BITS) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private volatile long total;

    void record(long micros) {
        int i = index(Math.max(0, micros));
        counts.lazySet(i, counts.get(i) + 1);
        total = total + 1; // single writer
    }

    long count() {
        return total;
    }

    /**
     * The q-quantile (0 < q ≤ 1) in microseconds: the middle of the bucket holding the ⌈q·n⌉-th smallest value;
     * -1 when empty.
     */
    long percentile(double q) {
        long n = total;
        if (n == 0) return -1;
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) return middle(i);
        }
        return middle(BUCKETS - 1);
    }

    static int index(long v) {
        if (v < LINEAR) return (int) v;
        int e = 63 - Long.numberOfLeadingZeros(v); // ≥ 6
        if (e > MAX_EXPONENT) return BUCKETS - 1;
        int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
        return LINEAR + (e - SUB_BITS - 1) * SUB + sub;
    }

    /** Lower bound of bucket i. */
    static long lower(int i) {
        if (i < LINEAR) return i;
        int k = i - LINEAR;
        int e = k / SUB + SUB_BITS + 1;
        long sub = k % SUB;
        return (1L << e) + (sub << (e - SUB_BITS));
    }

    static long middle(int i) {
        if (i < LINEAR) return i;
        int e = (i - LINEAR) / SUB + SUB_BITS + 1;
        return lower(i) + ((1L << (e - SUB_BITS)) >> 1);
    }
}
