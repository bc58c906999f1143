package org.n2dlive.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.metrics.FramePsnr;
import org.n2dlive.stream.CompletedFrame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.synth.FrameSource;

/**
 * What a headless stream run records, on the producer thread: per published frame (by tag) its publish time and
 * noisy PSNR; per output frame its PSNR against the ground truth, the denoiser's time, whether it started or was
 * part of a warm-up, the worker's completion time, and the order and latency of the outputs. {@code stream} and
 * {@code compare} both build their figures from it.
 *
 * <p>Threading: {@link #published} and {@link #accept} on the producer thread only.
 */
final class StreamRecorder implements CompletedFrameConsumer {
    /** Output frames left out of the PSNR means: the model is still warming up on the first ones. */
    static final int PSNR_SKIP = 10;
    /** The output frame after which resident memory is read as "warm". */
    static final int WARM_AFTER = 10;

    /** A re-fit as the worker reported it, for the log. */
    static final class Refit {
        final int tag;
        final String reason;

        Refit(int tag, String reason) {
            this.tag = tag;
            this.reason = reason;
        }
    }

    private final FrameSource src;
    private final boolean keep;
    private final FramePsnr psnrOf = new FramePsnr();
    private final long[] publishedNanos;
    final double[] noisy;
    final double[] psnr;
    /** The denoiser's own time on the frame (adaptation + inference), ms; NaN if it did not come out denoised. */
    final double[] ms;
    final boolean[] refitted;
    final boolean[] warming;
    private final long[] latencies;
    final List<Double> perFrame = new ArrayList<>();
    /** With {@link #perFrame}: when each of those frames was finished, s after the first frame was published. */
    final List<Double> perFrameSeconds = new ArrayList<>();
    /** Every output frame, in output order: the denoiser's training and inference ms, and its training steps. */
    final List<Double> perFrameTrainMs = new ArrayList<>();
    final List<Double> perFrameInferMs = new ArrayList<>();
    final List<Integer> perFrameSteps = new ArrayList<>();
    /** Every output frame, in output order: its source frame (tag; LIVE drops frames) and whether it warmed up. */
    final List<Integer> perFrameTag = new ArrayList<>();
    final List<Boolean> perFrameWarming = new ArrayList<>();
    /** With ground truth, beside {@link #perFrame}: the raw frame's PSNR (what the denoiser started from). */
    final List<Double> perFrameNoisy = new ArrayList<>();
    final List<Frame> kept = new ArrayList<>();
    /** Drift, estimated PSNR and the temporal stage's share of the worker time. */
    final TemporalFigures temporal = new TemporalFigures();
    final List<Refit> refits = new ArrayList<>();
    int outCount;
    long outOfOrder;
    private long lastTag = -1;
    private long firstOutNanos;
    private long lastOutNanos;
    private long firstWarmOutNanos = -1; // the first frame out after the first warm-up
    private int warmOutCount;
    private long firstPublishNanos = -1;
    private long firstDenoisedNanos = -1;
    private double lossSum;
    private int lossCount;
    private double psnrSum;
    private double noisySum;
    int psnrFrames;
    /** Output pixels clipped where the input was not saturated, all frames. */
    long clippedPixels;
    double rssWarm = Double.NaN;
    /** Set by the command once the first denoiser error has been shown. */
    boolean errorShown;
    /** How many of {@link #refits} the command has logged. */
    int refitsLogged;

    /**
     * @param n    frames to be published, tagged 0..n-1
     * @param keep keep a copy of every output frame (for {@code -o})
     */
    StreamRecorder(FrameSource src, int n, boolean keep) {
        this.src = src;
        this.keep = keep;
        this.publishedNanos = new long[n];
        this.noisy = nan(n);
        this.psnr = nan(n);
        this.ms = nan(n);
        this.refitted = new boolean[n];
        this.warming = new boolean[n];
        this.latencies = new long[n];
    }

    private static double[] nan(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Frame i is about to be published now: its time, and the PSNR of the raw frame to compare its twin with. */
    void published(int i, Frame f) {
        if (src.hasGroundTruth()) noisy[i] = psnrOf.of(src.groundTruth(i), f);
        long now = System.nanoTime();
        publishedNanos[i] = now;
        if (firstPublishNanos < 0) firstPublishNanos = now;
    }

    @Override
    public void accept(CompletedFrame f) {
        int tag = (int) f.tag();
        if (tag <= lastTag) outOfOrder++;
        lastTag = Math.max(lastTag, tag);
        if (outCount < latencies.length) latencies[outCount] = f.latencyNanos();
        outCount++;
        long now = System.nanoTime();
        if (outCount == 1) firstOutNanos = now;
        lastOutNanos = now;
        if (outCount == WARM_AFTER) rssWarm = Rss.megabytes();
        DenoiseReport r = f.report();
        if (!r.warmingUp && !f.passedThrough() && firstWarmOutNanos < 0) firstWarmOutNanos = now;
        if (firstWarmOutNanos >= 0) warmOutCount++;
        clippedPixels += r.clippedPixels;
        if (Double.isFinite(r.adaptationLoss)) {
            lossSum += r.adaptationLoss;
            lossCount++;
        }
        perFrameTrainMs.add(Math.round(r.adaptNanos / 1e5) / 10.0);
        perFrameInferMs.add(Math.round(r.inferNanos / 1e5) / 10.0);
        perFrameSteps.add(r.adaptationSteps);
        perFrameTag.add(tag);
        perFrameWarming.add(r.warmingUp);
        boolean inRange = tag >= 0 && tag < psnr.length;
        if (inRange && !f.passedThrough()) {
            ms[tag] = (r.adaptNanos + r.inferNanos) / 1e6;
            refitted[tag] = r.refitted;
            warming[tag] = r.warmingUp;
            if (firstDenoisedNanos < 0) firstDenoisedNanos = publishedNanos[tag] + f.latencyNanos();
        }
        if (r.refitted && r.refits > 0) refits.add(new Refit(tag, r.refitReason));
        if (src.hasGroundTruth() && inRange) {
            double p = psnrOf.of(src.groundTruth(tag), f.denoised());
            psnr[tag] = p;
            perFrame.add(Math.round(p * 100) / 100.0);
            perFrameNoisy.add(Math.round(noisy[tag] * 100) / 100.0);
            perFrameSeconds.add(Math.round((publishedNanos[tag] + f.latencyNanos() - firstPublishNanos) / 1e6) / 1000.0);
            if (outCount > PSNR_SKIP && Double.isFinite(p) && Double.isFinite(noisy[tag])) {
                psnrSum += p;
                noisySum += noisy[tag];
                psnrFrames++;
            }
        }
        if (keep) kept.add(f.denoised().copy());
        temporal.accept(r, outCount > PSNR_SKIP);
    }

    /**
     * From the first frame published to the worker's completion of the first frame that came out denoised (not
     * passed through), ms; NaN if none did. The worker's completion, not the drain that hands it out: that waits
     * for the producer's next call, up to a camera frame later.
     */
    double timeToFirstOutputMs() {
        return firstDenoisedNanos < 0 || firstPublishNanos < 0 ? Double.NaN : (firstDenoisedNanos - firstPublishNanos) / 1e6;
    }

    /**
     * Frames per second after the first frame came out, i.e. without the first frame's warm-up: what the stream
     * sustains. NaN with fewer than 2 frames out.
     */
    double steadyFps() {
        return outCount < 2 || lastOutNanos == firstOutNanos ? Double.NaN : (outCount - 1) / ((lastOutNanos - firstOutNanos) / 1e9);
    }

    /**
     * Frames per second from the first frame out after the first warm-up to the last: the rate once the model is warm,
     * which a short run's {@link #steadyFps} mixes with the warm-up's slower frames (on 2-core host D, FMD field 1 over
     * 50 frames: 3.3 frames/s steady, 30 of them warming up; 5.0 after). NaN with fewer than 2 such frames.
     */
    double warmFps() {
        return warmOutCount < 2 || lastOutNanos == firstWarmOutNanos ? Double.NaN
                : (warmOutCount - 1) / ((lastOutNanos - firstWarmOutNanos) / 1e9);
    }

    /** The denoiser's mean time per frame after frame 0 (which carries the start), ms; NaN before frame 1. */
    double meanMsAfterFirst() {
        double sum = 0;
        int count = 0;
        for (int i = 1; i < ms.length; i++) {
            if (Double.isFinite(ms[i])) {
                sum += ms[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Mean PSNR of the output frames after the first {@link #PSNR_SKIP}; NaN without ground truth. */
    double psnr() {
        return psnrFrames == 0 ? Double.NaN : psnrSum / psnrFrames;
    }

    /**
     * Per series (several positions, channels or z): frames out and mean PSNR after each series' first
     * {@link #PSNR_SKIP} frames; empty for a single series.
     */
    List<Map<String, Object>> perSeries() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (src.seriesCount() < 2) return out;
        Map<SeriesKey, double[]> acc = new LinkedHashMap<>(); // series -> {frames seen, used, psnr sum, noisy sum}
        for (int tag = 0; tag < psnr.length; tag++) {
            double[] a = acc.computeIfAbsent(src.series(tag), k -> new double[4]);
            if (!Double.isFinite(psnr[tag])) continue;
            if (++a[0] <= PSNR_SKIP) continue;
            a[1]++;
            a[2] += psnr[tag];
            a[3] += noisy[tag];
        }
        for (Map.Entry<SeriesKey, double[]> e : acc.entrySet()) {
            double[] a = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("series", e.getKey().toString());
            m.put("psnr_db", a[1] == 0 ? null : a[2] / a[1]);
            m.put("psnr_noisy_db", a[1] == 0 ? null : a[3] / a[1]);
            m.put("psnr_frames", (int) a[1]);
            out.add(m);
        }
        return out;
    }

    /** Mean PSNR of the raw twins of the frames in {@link #psnr()}. */
    double noisyPsnrMean() {
        return psnrFrames == 0 ? Double.NaN : noisySum / psnrFrames;
    }

    double meanLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    double latencyPercentileMs(double q) {
        int n = Math.min(outCount, latencies.length);
        if (n == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }

    /** Frames of the first warm-up: from the first output frame to the first one no longer warming up. */
    int firstWarmupFrames() {
        int count = 0;
        for (int i = 0; i < warming.length; i++) {
            if (Double.isNaN(ms[i])) continue; // dropped or passed through
            if (!warming[i]) return count;
            count++;
        }
        return count;
    }
}
