package org.n2dlive.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.metrics.FramePsnr;
import org.n2dlive.stream.CompletedFrame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.synth.FrameSource;

/**
 * What a headless stream run records. Each published frame travels through the ring with its {@link SentFrame} as
 * the per-frame context; when it comes out, the recorder completes that record and keeps it, in output order. Every
 * figure of {@code stream} and {@code compare} is read from those records.
 *
 * <p>Threading: producer thread only ({@link #sent} at publish, {@link #accept} at drain).
 */
final class StreamRecorder implements CompletedFrameConsumer {
    /** Output frames left out of the PSNR means: the model is still warming up on the first ones. */
    static final int PSNR_SKIP = 10;
    /** The output frame after which resident memory is read as "warm". */
    static final int WARM_AFTER = 10;

    /** One frame of the run: what the loop knew as it published it, then what came back for it. Producer thread only. */
    static final class SentFrame {
        /** The source's frame index, also the ring's tag. */
        final int index;
        final long publishedNanos;
        /** The raw frame's PSNR against the ground truth (what the denoiser started from); NaN without one. */
        final double noisyPsnr;
        /** Set when the frame comes out (a LIVE stream may drop it instead). */
        final DenoiseReport report = new DenoiseReport();
        boolean passedThrough;
        long latencyNanos;
        /** When the producer's drain handed it out, System.nanoTime. */
        long drainedNanos;
        double psnr = Double.NaN;
        /** A copy of the output frame, for {@code -o}; null otherwise. */
        Frame denoised;

        SentFrame(int index, long publishedNanos, double noisyPsnr) {
            this.index = index;
            this.publishedNanos = publishedNanos;
            this.noisyPsnr = noisyPsnr;
        }

        /** The denoiser's own time on the frame (adaptation + inference), ms; NaN if it came out raw. */
        double denoiserMs() {
            return passedThrough ? Double.NaN : (report.adaptNanos + report.inferNanos) / 1e6;
        }

        /** When the worker finished it (not when the drain handed it out), System.nanoTime. */
        long doneNanos() {
            return publishedNanos + latencyNanos;
        }
    }

    private final FrameSource src;
    private final boolean keep;
    private final FramePsnr psnrOf = new FramePsnr();
    /** Every frame that came out, in output order. */
    final List<SentFrame> out = new ArrayList<>();
    long outOfOrder;
    private int lastIndex = -1;
    private int published;
    /** When the first frame was published, System.nanoTime. */
    long firstPublishNanos;
    double rssWarm = Double.NaN;

    /** @param keep keep a copy of every output frame (for {@code -o}) */
    StreamRecorder(FrameSource src, boolean keep) {
        this.src = src;
        this.keep = keep;
    }

    /** Frame i (raw pixels f) is about to be published now: its record, to travel as the ring's context. */
    SentFrame sent(int i, Frame f) {
        double noisy = src.hasGroundTruth() ? psnrOf.of(src.groundTruth(i), f) : Double.NaN;
        SentFrame s = new SentFrame(i, System.nanoTime(), noisy);
        if (published++ == 0) firstPublishNanos = s.publishedNanos;
        return s;
    }

    @Override
    public void accept(CompletedFrame f) {
        SentFrame s = (SentFrame) f.context();
        if (s.index <= lastIndex) outOfOrder++;
        lastIndex = Math.max(lastIndex, s.index);
        s.report.copyFrom(f.report());
        s.passedThrough = f.passedThrough();
        s.latencyNanos = f.latencyNanos();
        s.drainedNanos = System.nanoTime();
        if (src.hasGroundTruth()) s.psnr = psnrOf.of(src.groundTruth(s.index), f.denoised());
        if (keep) s.denoised = f.denoised().copy();
        out.add(s);
        if (out.size() == WARM_AFTER) rssWarm = Rss.megabytes();
    }

    /** The record of frame i; only for a frame that came out (a RECORD stream, flushed). */
    SentFrame out(int index) {
        return out.stream().filter(s -> s.index == index).findFirst()
                .orElseThrow(() -> new IllegalStateException("frame " + index + " did not come out"));
    }

    /** The output frames counted in the PSNR means: past the first {@link #PSNR_SKIP} out, raw and output PSNR known. */
    List<SentFrame> psnrCounted() {
        List<SentFrame> counted = new ArrayList<>();
        for (int k = PSNR_SKIP; k < out.size(); k++) {
            SentFrame s = out.get(k);
            if (Double.isFinite(s.psnr) && Double.isFinite(s.noisyPsnr)) counted.add(s);
        }
        return counted;
    }

    /** Mean of a figure over the records that pass, summed in order; NaN if none does. */
    static double mean(List<SentFrame> frames, Predicate<SentFrame> which, ToDoubleFunction<SentFrame> figure) {
        double sum = 0;
        int count = 0;
        for (SentFrame s : frames) {
            if (which.test(s)) {
                sum += figure.applyAsDouble(s);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * From the first frame published to the worker's completion of the first frame that came out denoised (not
     * passed through), ms; NaN if none did. The worker's completion, not the drain that hands it out: that waits
     * for the producer's next call, up to a camera frame later.
     */
    double timeToFirstOutputMs() {
        return out.stream().filter(s -> !s.passedThrough).findFirst()
                .map(s -> (s.doneNanos() - firstPublishNanos) / 1e6).orElse(Double.NaN);
    }

    /**
     * Frames per second after the first frame came out, i.e. without the first frame's warm-up: what the stream
     * sustains. NaN with fewer than 2 frames out.
     */
    double steadyFps() {
        return fpsFrom(0);
    }

    /**
     * Frames per second from the first frame out after the first warm-up to the last: the rate once the model is warm,
     * which a short run's {@link #steadyFps} mixes with the warm-up's slower frames. NaN with fewer than 2 such frames.
     */
    double warmFps() {
        int k = 0;
        while (k < out.size() && (out.get(k).report.warmingUp || out.get(k).passedThrough)) k++;
        return fpsFrom(k);
    }

    /** Output frames per second from the k-th frame drained to the last; NaN with fewer than 2. */
    private double fpsFrom(int k) {
        int frames = out.size() - k;
        if (frames < 2) return Double.NaN;
        long span = out.get(out.size() - 1).drainedNanos - out.get(k).drainedNanos;
        return span == 0 ? Double.NaN : (frames - 1) / (span / 1e9);
    }

    /** The denoiser's mean time per frame after frame 0 (which carries the start), ms; NaN before frame 1. */
    double meanMsAfterFirst() {
        return mean(out, s -> s.index >= 1 && !s.passedThrough, SentFrame::denoiserMs);
    }

    /** Mean PSNR of the output frames after the first {@link #PSNR_SKIP}; NaN without ground truth. */
    double psnr() {
        return mean(psnrCounted(), s -> true, s -> s.psnr);
    }

    /** Mean PSNR of the raw twins of the frames in {@link #psnr()}. */
    double noisyPsnrMean() {
        return mean(psnrCounted(), s -> true, s -> s.noisyPsnr);
    }

    double meanLoss() {
        return mean(out, s -> Double.isFinite(s.report.adaptationLoss), s -> s.report.adaptationLoss);
    }

    /** Output pixels clipped where the input was not saturated, all frames. */
    long clippedPixels() {
        return out.stream().mapToLong(s -> s.report.clippedPixels).sum();
    }

    /**
     * Per series (several positions, channels or z): frames out and mean PSNR after each series' first
     * {@link #PSNR_SKIP} frames; empty for a single series.
     */
    List<Map<String, Object>> perSeries() {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (src.seriesCount() < 2) return rows;
        Map<SeriesKey, List<SentFrame>> bySeries = new LinkedHashMap<>(); // in order of each series' first frame
        for (int i = 0; i < published; i++) bySeries.computeIfAbsent(src.series(i), k -> new ArrayList<>());
        for (SentFrame s : out) {
            if (Double.isFinite(s.psnr)) bySeries.get(src.series(s.index)).add(s);
        }
        for (Map.Entry<SeriesKey, List<SentFrame>> e : bySeries.entrySet()) {
            List<SentFrame> counted = e.getValue().subList(Math.min(PSNR_SKIP, e.getValue().size()), e.getValue().size());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("series", e.getKey().toString());
            m.put("psnr_db", counted.isEmpty() ? null : mean(counted, s -> true, s -> s.psnr));
            m.put("psnr_noisy_db", counted.isEmpty() ? null : mean(counted, s -> true, s -> s.noisyPsnr));
            m.put("psnr_frames", counted.size());
            rows.add(m);
        }
        return rows;
    }

    double latencyPercentileMs(double q) {
        long[] sorted = out.stream().mapToLong(s -> s.latencyNanos).sorted().toArray();
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    /** Frames of the first warm-up: from the first output frame to the first one no longer warming up. */
    int firstWarmupFrames() {
        int count = 0;
        for (SentFrame s : out) {
            if (s.passedThrough) continue;
            if (!s.report.warmingUp) return count;
            count++;
        }
        return count;
    }
}
