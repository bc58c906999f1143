package org.n2dlive.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.n2dlive.cli.StreamRecorder.SentFrame;
import org.n2dlive.engine.Devices;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.stream.CompletedFrame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.StreamStats;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;
import org.n2dlive.synth.StackSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code n2d stream}: the whole live pipeline headless. This thread plays the camera ({@link StreamLoop}: paced at
 * the frame rate, it publishes into the ring and drains finished frames, as a Micro-Manager processor would);
 * the stream's worker runs the warm-started N2D model. Prints periodic and final figures (optionally one JSON
 * object): frames in/out, drops, latency, worker time, adaptation loss, PSNR against the ground truth.
 *
 * <p>Threading: {@link #call} is the producer thread; the denoiser lives on the stream's worker thread.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Run a camera stream headless through the ring and the warm-started N2D worker.",
            "Prints frames in/out, dropped, latency p50/p99, worker ms per frame, adaptation loss and PSNR against the"
                    + " ground truth (mean over the output frames after the first 10), periodically and at the end."})
public final class StreamCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "STREAM",
            description = "A descriptor (test-streams/NAME.stream, or just NAME), a TIFF stack, or a folder of frame images "
                    + "(name order, looped when --frames asks for more).")
    String source;

    @Option(names = "--profile", defaultValue = "balanced", paramLabel = "NAME|FILE",
            description = "live-fast, balanced, quality, record, or a profile file. Default: ${DEFAULT-VALUE}.")
    String profileName;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a profile key (repeatable), e.g. --set adapt_steps=1.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--device", paramLabel = "auto|cpu|gpu",
            description = "Compute device (the profile key device); gpu is refused before any frame where none is usable.")
    String device;

    @Option(names = "--fps", paramLabel = "F", description = "Camera frame rate; 0 = as fast as the producer can go. "
            + "Default: the descriptor's rate (10 for files and folders).")
    Double fps;

    @Option(names = "--frames", paramLabel = "N", description = "Frames to send. Default: the stream's length.")
    Integer frames;

    @Option(names = "--clean", paramLabel = "GT", description = "Clean reference for a TIFF or folder source (one image, "
            + "or one plane per frame), e.g. .../field1/avg50.png.")
    Path clean;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.tif", description = "Write the frames that came out (denoised) as a stack.")
    Path output;

    @Option(names = "--preview", paramLabel = "OUT.png", description = "Write the last output frame as a picture: "
            + "raw | denoised | ground truth (when known), side by side, 8-bit PNG, one brightness mapping for all.")
    Path preview;

    @Option(names = "--json", description = "Print the final summary as one JSON object on stdout.")
    boolean json;

    @Option(names = "--per-frame", description = "With --json and ground truth: also list each output frame's PSNR "
            + "(psnr_per_frame_db, in output order, first frames included), its raw frame's (noisy_psnr_per_frame_db) and when "
            + "the worker finished it (done_s_per_frame, s after the first frame was published); with or without ground truth, "
            + "each output frame's source frame index (frame_per_frame), warm-up flag (warming_up_per_frame), training and "
            + "inference ms and steps (train_ms_per_frame, infer_ms_per_frame, steps_per_frame).")
    boolean perFrame;

    @Option(names = "--report-every", defaultValue = "2", paramLabel = "S",
            description = "Seconds between progress lines on stderr; 0 = none. Default: ${DEFAULT-VALUE}.")
    double reportEvery;

    @Option(names = "--flush-timeout", defaultValue = "600", paramLabel = "S",
            description = "Seconds to wait at the end for frames still in the worker. Default: ${DEFAULT-VALUE}.")
    double flushTimeout;

    private final Function<Profile, FrameDenoiser> denoisers;
    /** Set once the first denoiser error has been shown. */
    private boolean errorShown;

    /** The command as the CLI registers it: the live stack the plugin runs ({@link LiveModels#stack}). */
    public StreamCommand() {
        this(null);
    }

    /** With another denoiser (called on the worker thread), for tests of the plumbing; null: the live stack. */
    public StreamCommand(Function<Profile, FrameDenoiser> denoisers) {
        this.denoisers = denoisers;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (frames != null && frames < 1) throw new IllegalArgumentException("--frames must be at least 1, got " + frames);
        if (fps != null && (!(fps >= 0) || fps.isInfinite())) throw new IllegalArgumentException("--fps must be >= 0, got " + fps);
        if (!(reportEvery >= 0)) throw new IllegalArgumentException("--report-every must be >= 0, got " + reportEvery);
        if (!(flushTimeout > 0)) throw new IllegalArgumentException("--flush-timeout must be > 0, got " + flushTimeout);

        Profile profile = ProfileArgs.resolve(profileName, overrides);
        if (device != null) profile = profile.with("device", device);
        Devices.resolve(profile.device()); // a missing GPU is a usage error here, not a stream of raw frames
        Sources.Opened opened = Sources.open(source, clean, fps != null && fps > 0 ? fps : 10);
        FrameSource src = opened.source;
        Path sourcePath = Path.of(source);
        if (java.nio.file.Files.isRegularFile(sourcePath)) {
            if (output != null) CliPaths.requireDistinct(sourcePath, output, "output");
            if (preview != null) CliPaths.requireDistinct(sourcePath, preview, "preview");
        }
        if (preview != null && !preview.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--preview writes a PNG: the file name must end in .png, got " + preview);
        }
        int n = frames != null ? frames : opened.defaultFrames;
        double rate = fps != null ? fps : (Double.isNaN(src.fps()) ? 10 : src.fps());
        Frame first = src.frame(0);
        err.printf(Locale.ROOT, "n2d stream: %s%n", src.describe());
        err.printf(Locale.ROOT, "n2d stream: profile %s (%s), %d frames at %s%n", profile.name(), profile.description(), n,
                rate > 0 ? String.format(Locale.ROOT, "%.1f fps", rate) : "full speed");
        err.flush();

        double rssStart = Rss.megabytes();
        StreamRecorder rec = new StreamRecorder(src, output != null);
        LastFrame last = new LastFrame();
        Profile chosen = profile;
        StreamLoop loop = new StreamLoop(src, n, rate, rec);
        loop.modelFirst = true;
        loop.reportEvery = reportEvery;
        loop.reporter = (s, seconds) -> report(err, s, rec, seconds);
        StreamStats stats = loop.run(profile.streamSettings().workerThreadName("n2d-stream-worker").build(),
                () -> denoisers != null ? denoisers.apply(chosen) : LiveModels.stack(chosen, err::println), f -> {
                    logRefit(err, f);
                    last.accept(f);
                }, flushTimeout);
        if (reportEvery > 0) report(err, stats, rec, loop.wallSeconds);
        double rssEnd = Rss.megabytes();

        Map<String, Object> summary = summary(profile, first, src, loop, stats, rec, rssStart, rssEnd);
        if (json) {
            out.println(Json.object(summary));
        } else {
            for (Map.Entry<String, Object> e : summary.entrySet()) out.printf(Locale.ROOT, "%-22s %s%n", e.getKey(), text(e.getValue()));
        }
        out.flush();
        if (output != null) {
            List<Frame> kept = rec.out.stream().map(s -> s.denoised).collect(Collectors.toList());
            if (src instanceof StackSource && kept.size() == src.length() && n == src.length()) {
                // Every plane came out: write them back on the input's axes, with its calibration.
                StackSource stack = (StackSource) src;
                Frame[] planes = new Frame[n];
                for (int i = 0; i < n; i++) planes[stack.planeIndex(i)] = kept.get(i);
                ImageFiles.write(output, stack.stack().withPlanes(java.util.Arrays.asList(planes)));
            } else {
                ImageFiles.write(output, kept);
            }
            err.printf(Locale.ROOT, "n2d stream: wrote %d frames to %s%n", kept.size(), output);
        }
        if (rec.clippedPixels() > 0) {
            err.printf(Locale.ROOT, "n2d stream: %d output pixel(s) clipped where the input was not saturated%n",
                    rec.clippedPixels());
        }
        if (preview != null && last.index >= 0) {
            writePreview(src, last);
            err.printf(Locale.ROOT, "n2d stream: wrote frame %d as raw | denoised%s to %s%n", last.index,
                    src.hasGroundTruth() ? " | ground truth" : "", preview);
        }
        if (stats.firstError() != null) {
            err.printf(Locale.ROOT, "n2d stream: %d frame(s) passed through raw after denoiser errors; the first: %s%n",
                    stats.failed(), stats.firstError());
        }
        if (stats.guarded() > 0) {
            err.printf(Locale.ROOT, "n2d stream: %d frame(s) left raw because their denoised output failed its check; the"
                    + " first: %s%n", stats.guarded(), stats.firstGuardReason());
        }
        err.flush();
        if (stats.pending() > 0) {
            err.printf(Locale.ROOT, "n2d stream: error: %d frame(s) still in the worker after --flush-timeout %.0f s%n",
                    stats.pending(), flushTimeout);
            err.flush();
            return 1;
        }
        if (stats.framesOut() > 0 && stats.failed() == stats.framesOut()) return 1; // nothing was denoised
        return 0;
    }

    private void report(PrintWriter err, StreamStats s, StreamRecorder c, double seconds) {
        err.printf(Locale.ROOT, "[%6.1f s] in %d out %d dropped %d | latency p50 %s p99 %s ms | worker %s ms/frame (max %s) | loss %s"
                        + " | refits %d%s | PSNR %s dB%n",
                seconds, s.framesIn(), s.framesOut(), s.dropped(), millis(s.latencyP50Micros()),
                millis(s.latencyP99Micros()), fixed(s.workerNanosPerFrame() / 1e6, 1), fixed(s.maxWorkerNanos() / 1e6, 0),
                sci(s.lastAdaptationLoss()), s.refits(), s.warmupFrames() > 0 ? " (" + s.warmupFrames() + " warm-up frames)" : "",
                fixed(c.psnr(), 2));
        if (s.firstError() != null && !errorShown) {
            errorShown = true;
            err.printf(Locale.ROOT, "n2d stream: warning: the denoiser failed; frames pass through raw, flagged: %s%n", s.firstError());
        }
        err.flush();
    }

    /** raw | denoised | ground truth of the last output frame, mapped by the raw frame's range. */
    private void writePreview(FrameSource src, LastFrame last) throws java.io.IOException {
        Frame raw = src.frame(last.index).copy(); // sources are addressable by index: the same frame again
        List<Frame> panels = new ArrayList<>(List.of(raw, last.denoised));
        Frame truth = src.hasGroundTruth() ? src.groundTruth(last.index) : null;
        if (truth != null) panels.add(truth.copy());
        ImageFiles.writePreview(preview, panels, Normalization.fromFrame(raw, 1.0));
    }

    /** Each re-fit once, with its reason, as the frame that started it comes out. */
    private static void logRefit(PrintWriter err, CompletedFrame f) {
        DenoiseReport r = f.report();
        if (!r.refitted || r.refits == 0) return;
        err.printf(Locale.ROOT, "n2d stream: re-fit at frame %d: %s%n", f.tag(), r.refitReason);
        err.flush();
    }

    /** A copy of the newest denoised output frame (one reused buffer), for {@code --preview}. */
    private static final class LastFrame implements CompletedFrameConsumer {
        final Frame denoised = Frame.allocate(org.n2dlive.frame.PixelType.GRAY8, 1, 1);
        int index = -1;

        @Override
        public void accept(CompletedFrame f) {
            if (f.passedThrough()) return;
            Frame d = f.denoised();
            denoised.copyFrom(d.type(), d.width(), d.height(), d.pixels());
            index = (int) f.tag();
        }
    }

    /**
     * The figures of the run, in the order they print (text or JSON): what ran, the counts, the timings, the warm-up
     * and re-fits, quality and memory.
     */
    private Map<String, Object> summary(Profile profile, Frame first, FrameSource src, StreamLoop loop, StreamStats s,
            StreamRecorder c, double rssStart, double rssEnd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("profile", profile.name());
        m.put("policy", profile.policy().name().toLowerCase(Locale.ROOT));
        m.put("pipeline", profile.pipeline().name().toLowerCase(Locale.ROOT));
        m.put("width", first.width());
        m.put("height", first.height());
        m.put("pixel_type", first.type().name());
        m.put("fps", loop.fps);
        m.put("frames_in", s.framesIn());
        m.put("frames_out", s.framesOut());
        m.put("dropped", s.dropped());
        m.put("out_of_order", c.outOfOrder);
        m.put("failed", s.failed());
        m.put("guarded_frames", s.guarded());
        m.put("first_guard_reason", s.firstGuardReason());
        m.put("cpu_kernel_path", org.n2dlive.engine.CpuKernelPath.describe());
        m.put("cpu_kernel_check", org.n2dlive.engine.NumericsCheck.summary());
        m.put("cpu_kernel_check_ms", org.n2dlive.engine.NumericsCheck.totalMillis());
        m.put("pending", s.pending());
        m.put("latency_p50_ms", c.latencyPercentileMs(0.50));
        m.put("latency_p99_ms", c.latencyPercentileMs(0.99));
        m.put("startup_ms", loop.startupMs);
        m.put("time_to_first_output_ms", c.timeToFirstOutputMs());
        m.put("frame_budget_ms", profile.frameBudgetMs());
        m.put("worker_ms_per_frame", s.workerNanosPerFrame() / 1e6);
        m.put("max_worker_ms", s.framesOut() == 0 ? Double.NaN : s.maxWorkerNanos() / 1e6);
        m.put("max_worker_ms_after_first", s.processed() < 2 ? Double.NaN : s.maxWorkerNanosAfterFirst() / 1e6);
        m.put("warmup_frames", c.firstWarmupFrames());
        m.put("refits", s.refits());
        m.put("last_refit_reason", s.lastRefitReason());
        m.put("adaptation_loss", c.meanLoss());
        m.put("adaptation_loss_last", s.lastAdaptationLoss());
        m.put("psnr_db", src.hasGroundTruth() ? c.psnr() : null);
        m.put("psnr_noisy_db", src.hasGroundTruth() ? c.noisyPsnrMean() : null);
        m.put("psnr_frames", c.psnrCounted().size());
        m.put("clipped_pixels", c.clippedPixels());
        if (src.seriesCount() > 1) {
            m.put("series_count", src.seriesCount());
            if (src.hasGroundTruth()) m.put("series", c.perSeries());
        }
        List<SentFrame> out = c.out;
        if (perFrame && src.hasGroundTruth()) {
            m.put("psnr_per_frame_db", each(out, f -> Math.round(f.psnr * 100) / 100.0));
            m.put("done_s_per_frame", each(out, f -> Math.round((f.doneNanos() - c.firstPublishNanos) / 1e6) / 1000.0));
            m.put("noisy_psnr_per_frame_db", each(out, f -> Math.round(f.noisyPsnr * 100) / 100.0));
        }
        if (perFrame) {
            m.put("train_ms_per_frame", each(out, f -> Math.round(f.report.adaptNanos / 1e5) / 10.0));
            m.put("infer_ms_per_frame", each(out, f -> Math.round(f.report.inferNanos / 1e5) / 10.0));
            m.put("steps_per_frame", each(out, f -> f.report.adaptationSteps));
            m.put("frame_per_frame", each(out, f -> f.index));
            m.put("warming_up_per_frame", each(out, f -> f.report.warmingUp));
        }
        putTemporal(m, out, perFrame, s.workerNanosPerFrame());
        m.put("wall_s", loop.wallSeconds);
        m.put("output_fps", loop.wallSeconds > 0 ? s.framesOut() / loop.wallSeconds : Double.NaN);
        m.put("steady_fps", c.steadyFps());
        m.put("warm_fps", c.warmFps());
        m.put("rss_mb_start", rssStart);
        m.put("rss_mb_warm", c.rssWarm);
        m.put("rss_mb_end", rssEnd);
        m.put("errors", s.errorCount());
        m.put("first_error", s.firstError());
        return m;
    }

    /**
     * The temporal stage's figures, when any frame carried them (none with temporal = off): estimated_psnr_db (mean
     * over the frames the PSNR mean uses, null if none could be estimated), temporal_ms_per_frame (the stage's own
     * per-pixel work), temporal_filter_ms_per_frame (of it, the filter and the conversion to float),
     * temporal_infer_ms_per_frame (the fresh-pixel pass's net inference, not in temporal_ms_per_frame), temporal_share
     * (both, of the worker's time per frame), drift_px (the last frame's [dx, dy]) and, per frame,
     * temporal_ms_each_frame, temporal_infer_ms_each_frame, drift_px_per_frame and estimated_psnr_per_frame_db.
     */
    private static void putTemporal(Map<String, Object> m, List<SentFrame> out, boolean perFrame, double workerNanosPerFrame) {
        if (out.stream().allMatch(s -> Double.isNaN(s.report.driftX))) return;
        List<SentFrame> counted = out.subList(Math.min(StreamRecorder.PSNR_SKIP, out.size()), out.size());
        double estimated = StreamRecorder.mean(counted, s -> Double.isFinite(s.report.estimatedPsnrDb), s -> s.report.estimatedPsnrDb);
        m.put("estimated_psnr_db", Double.isNaN(estimated) ? null : estimated);
        double ms = out.stream().mapToLong(s -> s.report.temporalNanos).sum() / 1e6 / out.size();
        double filterMs = out.stream().mapToLong(s -> s.report.temporalFilterNanos).sum() / 1e6 / out.size();
        double inferMs = out.stream().mapToLong(s -> s.report.temporalInferNanos).sum() / 1e6 / out.size();
        m.put("temporal_ms_per_frame", ms);
        m.put("temporal_filter_ms_per_frame", filterMs);
        m.put("temporal_infer_ms_per_frame", inferMs);
        m.put("temporal_share", workerNanosPerFrame > 0 ? (ms + inferMs) * 1e6 / workerNanosPerFrame : Double.NaN);
        List<Object> drift = each(out, s -> Double.isNaN(s.report.driftX) ? null
                : List.of(round(s.report.driftX, 3), round(s.report.driftY, 3)));
        m.put("drift_px", drift.get(drift.size() - 1));
        if (perFrame) {
            m.put("temporal_ms_each_frame", each(out, s -> Math.round(s.report.temporalNanos / 1e5) / 10.0));
            m.put("temporal_infer_ms_each_frame", each(out, s -> Math.round(s.report.temporalInferNanos / 1e5) / 10.0));
            m.put("drift_px_per_frame", drift);
            m.put("estimated_psnr_per_frame_db", each(out, s -> Double.isFinite(s.report.estimatedPsnrDb)
                    ? round(s.report.estimatedPsnrDb, 2) : null));
        }
    }

    /** One figure per output frame, in output order (nulls kept: JSON null). */
    private static List<Object> each(List<SentFrame> out, Function<SentFrame, Object> figure) {
        List<Object> values = new ArrayList<>(out.size());
        for (SentFrame s : out) values.add(figure.apply(s));
        return values;
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static String text(Object v) {
        if (v == null) return "-";
        if (v instanceof Double) return fixed((Double) v, 3);
        return v.toString();
    }

    private static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    /** µs from the stream's histogram (-1 before the first frame) as ms. */
    private static String millis(long micros) {
        return micros < 0 ? "-" : fixed(micros / 1e3, 1);
    }

    private static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "-";
    }

}
