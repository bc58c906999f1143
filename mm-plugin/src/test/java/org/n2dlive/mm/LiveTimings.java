package org.n2dlive.mm;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The live-mode timing figures of one {@link LiveMode#run}, printed as ONE line of {@code key=value} tokens
 * (milliseconds) that a script can grep ({@code LIVE-TIMING}) and parse. Printed, never asserted: the machine's
 * load decides them as much as the code (the line carries the 1-minute load average for that reason).
 *
 * <p>Per call: {@code insertImage} (the whole call on the Swing thread: the pipeline, the processor
 * and the store behind it), {@code processImage} (the processor as the pipeline calls it), {@code own}
 * (processImage less the time inside {@code context.outputImage}: the processor's own work), {@code output}
 * (inside {@code context.outputImage}, over the calls that output an image: the store insert) and
 * {@code cpu} (the Swing thread's CPU time in processImage: the work, without the time it waited for a core).
 * Distributions are nearest-rank percentiles over every call, the first (which opens the stream) included.
 * Stateless.
 */
final class LiveTimings {
    private LiveTimings() {
    }

    /** The LIVE-TIMING line of {@code live}'s last run, with {@code extra} tokens appended. */
    static String line(String processor, long[] insertNanos, LiveMode live, String extra) {
        int n = insertNanos.length;
        long[] own = new long[n];
        int withOutput = 0;
        for (int k = 0; k < n; k++) {
            own[k] = live.processNanos[k] - live.outputNanos[k];
            if (live.outputs[k] > 0) withOutput++;
        }
        long[] output = new long[withOutput];
        for (int k = 0, j = 0; k < n; k++) {
            if (live.outputs[k] > 0) output[j++] = live.outputNanos[k];
        }
        StringBuilder b = new StringBuilder("LIVE-TIMING processor=").append(processor)
                .append(" load1=").append(String.format(Locale.ROOT, "%.2f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(" cores=").append(Runtime.getRuntime().availableProcessors())
                .append(" calls=").append(n)
                .append(" callsWithOutput=").append(withOutput);
        dist(b, "insertImage", insertNanos);
        dist(b, "processImage", live.processNanos);
        dist(b, "own", own);
        dist(b, "output", output);
        dist(b, "cpu", live.processCpuNanos);
        b.append(String.format(Locale.ROOT, " firstCall=%.3f", n > 0 ? live.processNanos[0] / 1e6 : Double.NaN));
        if (!extra.isEmpty()) b.append(' ').append(extra);
        return b.toString();
    }

    /** Appends {@code name.p50=… name.p90=… name.p99=… name.max=…} (ms, nearest rank). */
    private static void dist(StringBuilder b, String name, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        b.append(String.format(Locale.ROOT, " %1$s.p50=%2$.3f %1$s.p90=%3$.3f %1$s.p99=%4$.3f %1$s.max=%5$.3f", name,
                rank(s, 0.50), rank(s, 0.90), rank(s, 0.99), s.length == 0 ? Double.NaN : s[s.length - 1] / 1e6));
    }

    static double rank(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
