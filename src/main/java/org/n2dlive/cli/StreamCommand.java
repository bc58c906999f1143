package org.n2dlive.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.n2dlive.engine.Devices;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.stream.CompletedFrame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.StreamStats;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;
import org.n2dlive.synth.StackSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code n2d stream}: the whole live pipeline headless. This thread plays the camera (paced at the frame
 * rate), publishes into a {@link FrameStream} and drains finished frames, as a Micro-Manager processor would;
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
        StreamRecorder collector = new StreamRecorder(src, n, output != null);
        LastFrame last = preview != null ? new LastFrame(collector) : null;
        CompletedFrameConsumer drain = last != null ? last : collector;
        final Profile chosen = profile;
        long t0;
        StreamStats stats;
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        long created = System.nanoTime();
        double startupMs;
        try (FrameStream stream = new FrameStream(profile.streamSettings().workerThreadName("n2d-stream-worker").build(), () -> {
            try {
                return denoisers != null ? denoisers.apply(chosen) : LiveModels.stack(chosen, err::println);
            } finally {
                ready.countDown();
            }
        })) {
            // The camera starts once the model is loaded, as a live view starts on a configured processor; the load
            // is reported as startup_ms, and time_to_first_output_ms counts from the first frame published.
            ready.await(Math.round(flushTimeout * 1000), TimeUnit.MILLISECONDS);
            startupMs = (System.nanoTime() - created) / 1e6;
            t0 = System.nanoTime();
            long nextReport = t0 + reportNanos();
            for (int i = 0; i < n; i++) {
                if (rate > 0) sleepUntil(t0 + Math.round(i * 1e9 / rate));
                Frame f = src.frame(i);
                collector.published(i, f);
                stream.publish(f.type(), f.width(), f.height(), f.pixels(), i, src.series(i), null);
                stream.drain(drain);
                logRefits(err, collector);
                if (reportEvery > 0 && System.nanoTime() >= nextReport) {
                    report(err, stream.stats(), collector, t0);
                    nextReport += reportNanos();
                }
            }
            stream.flush(drain, Math.round(flushTimeout * 1000), TimeUnit.MILLISECONDS);
            stats = stream.stats();
            logRefits(err, collector);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (reportEvery > 0) report(err, stats, collector, t0);
        double rssEnd = Rss.megabytes();

        StreamSummary.Run run = new StreamSummary.Run();
        run.source = source;
        run.profile = profile;
        run.first = first;
        run.fps = rate;
        run.wallSeconds = wall;
        run.rssStart = rssStart;
        run.rssEnd = rssEnd;
        run.perFrame = perFrame;
        run.startupMs = startupMs;
        Map<String, Object> summary = StreamSummary.of(run, src, stats, collector);
        if (json) {
            out.println(Json.object(summary));
        } else {
            for (Map.Entry<String, Object> e : summary.entrySet()) out.printf(Locale.ROOT, "%-22s %s%n", e.getKey(), text(e.getValue()));
        }
        out.flush();
        if (output != null) {
            if (src instanceof StackSource && collector.kept.size() == src.length() && n == src.length()) {
                // Every plane came out: write them back on the input's axes, with its calibration.
                StackSource stack = (StackSource) src;
                Frame[] planes = new Frame[n];
                for (int i = 0; i < n; i++) planes[stack.planeIndex(i)] = collector.kept.get(i);
                ImageFiles.write(output, stack.stack().withPlanes(java.util.Arrays.asList(planes)));
            } else {
                ImageFiles.write(output, collector.kept);
            }
            err.printf(Locale.ROOT, "n2d stream: wrote %d frames to %s%n", collector.kept.size(), output);
        }
        if (collector.clippedPixels > 0) {
            err.printf(Locale.ROOT, "n2d stream: %d output pixel(s) clipped where the input was not saturated%n",
                    collector.clippedPixels);
        }
        if (preview != null && last.tag >= 0) {
            writePreview(src, last);
            err.printf(Locale.ROOT, "n2d stream: wrote frame %d as raw | denoised%s to %s%n", last.tag,
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

    private long reportNanos() {
        return Math.max(1, Math.round(reportEvery * 1e9));
    }

    private static void sleepUntil(long due) throws InterruptedException {
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }

    private static void report(PrintWriter err, StreamStats s, StreamRecorder c, long t0) {
        err.printf(Locale.ROOT, "[%6.1f s] in %d out %d dropped %d | latency p50 %s p99 %s ms | worker %s ms/frame (max %s) | loss %s"
                        + " | refits %d%s | PSNR %s dB%n",
                (System.nanoTime() - t0) / 1e9, s.framesIn(), s.framesOut(), s.dropped(), millis(s.latencyP50Micros()),
                millis(s.latencyP99Micros()), fixed(s.workerNanosPerFrame() / 1e6, 1), fixed(s.maxWorkerNanos() / 1e6, 0),
                sci(s.lastAdaptationLoss()), s.refits(), s.warmupFrames() > 0 ? " (" + s.warmupFrames() + " warm-up frames)" : "",
                fixed(c.psnr(), 2));
        if (s.firstError() != null && !c.errorShown) {
            c.errorShown = true;
            err.printf(Locale.ROOT, "n2d stream: warning: the denoiser failed; frames pass through raw, flagged: %s%n", s.firstError());
        }
        err.flush();
    }

    /** Each re-fit once, with its reason, as the frame that started it comes out. */
    private static void logRefits(PrintWriter err, StreamRecorder c) {
        while (c.refitsLogged < c.refits.size()) {
            StreamRecorder.Refit r = c.refits.get(c.refitsLogged++);
            err.printf(Locale.ROOT, "n2d stream: re-fit at frame %d: %s%n", r.tag, r.reason);
            err.flush();
        }
    }

    /** raw | denoised | ground truth of the last output frame, mapped by the raw frame's range. */
    private void writePreview(FrameSource src, LastFrame last) throws java.io.IOException {
        Frame raw = src.frame(last.tag).copy(); // sources are addressable by index: the same frame again
        List<Frame> panels = new ArrayList<>(List.of(raw, last.denoised));
        Frame truth = src.hasGroundTruth() ? src.groundTruth(last.tag) : null;
        if (truth != null) panels.add(truth.copy());
        ImageFiles.writePreview(preview, panels, Normalization.fromFrame(raw, 1.0));
    }

    /** Keeps a copy of the newest output frame (one reused buffer) and passes every frame on to the recorder. */
    private static final class LastFrame implements CompletedFrameConsumer {
        private final StreamRecorder next;
        final Frame denoised = Frame.allocate(org.n2dlive.frame.PixelType.GRAY8, 1, 1);
        int tag = -1;

        LastFrame(StreamRecorder next) {
            this.next = next;
        }

        @Override
        public void accept(CompletedFrame f) {
            next.accept(f);
            if (f.passedThrough()) return;
            Frame d = f.denoised();
            denoised.copyFrom(d.type(), d.width(), d.height(), d.pixels());
            tag = (int) f.tag();
        }
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
