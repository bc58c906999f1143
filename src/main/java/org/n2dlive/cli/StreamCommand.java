package org.n2dlive.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.n2dlive.n2d.Backends;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.metrics.Psnr;
import org.n2dlive.n2d.WarmStartDenoiser;
import org.n2dlive.n2d.WarmStartSettings;
import org.n2dlive.stream.CompletedFrame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.StreamPolicy;
import org.n2dlive.stream.StreamStats;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;
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
    /** Output frames left out of the PSNR mean: the model is still fitting on the first ones. */
    static final int PSNR_SKIP = 10;

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

    @Option(names = "--json", description = "Print the final summary as one JSON object on stdout.")
    boolean json;

    @Option(names = "--per-frame", description = "With --json and ground truth: also list each output frame's PSNR "
            + "(psnr_per_frame_db, frame index order of output, first frames included).")
    boolean perFrame;

    @Option(names = "--report-every", defaultValue = "2", paramLabel = "S",
            description = "Seconds between progress lines on stderr; 0 = none. Default: ${DEFAULT-VALUE}.")
    double reportEvery;

    @Option(names = "--flush-timeout", defaultValue = "600", paramLabel = "S",
            description = "Seconds to wait at the end for frames still in the worker. Default: ${DEFAULT-VALUE}.")
    double flushTimeout;

    private final Function<Profile, FrameDenoiser> denoisers;

    /** A profile by name or file, with the command line's {@code --set KEY=VALUE} overrides applied in order. */
    static Profile profile(String nameOrFile, List<String> overrides) throws java.io.IOException {
        Profile profile = Profile.resolve(nameOrFile);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + o + "'");
            profile = profile.with(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return profile;
    }

    /** The command as the CLI registers it: the warm-started N2D model. */
    public StreamCommand() {
        this(org.n2dlive.n2d.TemporalDenoiser::create);
    }

    /** With another denoiser (called on the worker thread), for tests of the plumbing. */
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

        Profile profile = StreamCommand.profile(profileName, overrides);
        Sources.Opened opened = Sources.open(source, clean, fps != null && fps > 0 ? fps : 10);
        FrameSource src = opened.source;
        if (output != null) {
            Path s = Path.of(source);
            if (java.nio.file.Files.isRegularFile(s)) CliPaths.requireDistinct(s, output, "output");
        }
        int n = frames != null ? frames : opened.defaultFrames;
        double rate = fps != null ? fps : (Double.isNaN(src.fps()) ? 10 : src.fps());
        Frame first = src.frame(0);
        err.printf(Locale.ROOT, "n2d stream: %s%n", src.describe());
        err.printf(Locale.ROOT, "n2d stream: profile %s (%s), %d frames at %s%n", profile.name(), profile.description(), n,
                rate > 0 ? String.format(Locale.ROOT, "%.1f fps", rate) : "full speed");
        err.flush();

        double rssStart = Rss.megabytes();
        Collector collector = new Collector(src, n, output != null);
        final Profile chosen = profile;
        long t0;
        StreamStats stats;
        try (FrameStream stream = new FrameStream(profile.streamSettings().workerThreadName("n2d-stream-worker").build(),
                () -> denoisers.apply(chosen))) {
            t0 = System.nanoTime();
            long nextReport = t0 + reportNanos();
            for (int i = 0; i < n; i++) {
                if (rate > 0) sleepUntil(t0 + Math.round(i * 1e9 / rate));
                Frame f = src.frame(i);
                collector.noisyPsnr(i, f);
                stream.publish(f.type(), f.width(), f.height(), f.pixels(), i);
                stream.drain(collector);
                if (reportEvery > 0 && System.nanoTime() >= nextReport) {
                    report(err, stream.stats(), collector, t0);
                    nextReport += reportNanos();
                }
            }
            stream.flush(collector, Math.round(flushTimeout * 1000), TimeUnit.MILLISECONDS);
            stats = stream.stats();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (reportEvery > 0) report(err, stats, collector, t0);
        double rssEnd = Rss.megabytes();

        Map<String, Object> summary = summary(profile, src, first, rate, n, stats, collector, wall, rssStart, rssEnd);
        if (json) {
            out.println(Json.object(summary));
        } else {
            for (Map.Entry<String, Object> e : summary.entrySet()) out.printf(Locale.ROOT, "%-22s %s%n", e.getKey(), text(e.getValue()));
        }
        out.flush();
        if (output != null) {
            ImageFiles.write(output, collector.kept);
            err.printf(Locale.ROOT, "n2d stream: wrote %d frames to %s%n", collector.kept.size(), output);
        }
        if (stats.firstError() != null) {
            err.printf(Locale.ROOT, "n2d stream: %d frame(s) passed through raw after denoiser errors; the first: %s%n",
                    stats.failed(), stats.firstError());
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

    private static void report(PrintWriter err, StreamStats s, Collector c, long t0) {
        err.printf(Locale.ROOT, "[%6.1f s] in %d out %d dropped %d | latency p50 %s p99 %s ms | worker %s ms/frame | loss %s | PSNR %s dB%n",
                (System.nanoTime() - t0) / 1e9, s.framesIn(), s.framesOut(), s.dropped(), millis(s.latencyP50Micros()),
                millis(s.latencyP99Micros()), fixed(s.workerNanosPerFrame() / 1e6, 1), sci(s.lastAdaptationLoss()),
                fixed(c.psnr(), 2));
        if (s.firstError() != null && !c.errorShown) {
            c.errorShown = true;
            err.printf(Locale.ROOT, "n2d stream: warning: the denoiser failed; frames pass through raw, flagged: %s%n", s.firstError());
        }
        err.flush();
    }

    private Map<String, Object> summary(Profile profile, FrameSource src, Frame first, double rate, int n, StreamStats s,
                                        Collector c, double wall, double rssStart, double rssEnd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("profile", profile.name());
        m.put("policy", profile.policy().name().toLowerCase(Locale.ROOT));
        m.put("pipeline", profile.pipeline().name().toLowerCase(Locale.ROOT));
        m.put("width", first.width());
        m.put("height", first.height());
        m.put("pixel_type", first.type().name());
        m.put("fps", rate);
        m.put("frames_in", s.framesIn());
        m.put("frames_out", s.framesOut());
        m.put("dropped", s.dropped());
        m.put("out_of_order", c.outOfOrder);
        m.put("failed", s.failed());
        m.put("pending", s.pending());
        m.put("latency_p50_ms", c.latencyPercentileMs(0.50));
        m.put("latency_p99_ms", c.latencyPercentileMs(0.99));
        m.put("worker_ms_per_frame", s.workerNanosPerFrame() / 1e6);
        m.put("adaptation_loss", c.meanLoss());
        m.put("adaptation_loss_last", s.lastAdaptationLoss());
        m.put("psnr_db", src.hasGroundTruth() ? c.psnr() : null);
        m.put("psnr_noisy_db", src.hasGroundTruth() ? c.noisyPsnrMean() : null);
        m.put("psnr_frames", c.psnrFrames);
        if (perFrame && src.hasGroundTruth()) m.put("psnr_per_frame_db", c.perFrame);
        c.temporal.putSummary(m, perFrame, s.workerNanosPerFrame());
        m.put("wall_s", wall);
        m.put("output_fps", wall > 0 ? s.framesOut() / wall : Double.NaN);
        m.put("steady_fps", c.steadyFps());
        m.put("rss_mb_start", rssStart);
        m.put("rss_mb_end", rssEnd);
        m.put("errors", s.errorCount());
        m.put("first_error", s.firstError());
        return m;
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

    /**
     * Collects what comes out, on the producer thread: order, latencies, losses, PSNR against the ground truth
     * (both sides divided by the frame type's full scale: 8-bit /255, 16-bit /65535, the reference's convention).
     */
    static final class Collector implements CompletedFrameConsumer {
        private final FrameSource src;
        private final long[] latencies;
        private final double[] noisy;
        private final boolean keep;
        final List<Frame> kept = new ArrayList<>();
        int outCount;
        long outOfOrder;
        long lastTag = -1;
        long firstOutNanos;
        long lastOutNanos;
        double lossSum;
        int lossCount;
        double psnrSum;
        int psnrFrames;
        double noisySum;
        final List<Double> perFrame = new ArrayList<>();
        final TemporalFigures temporal = new TemporalFigures();
        boolean errorShown;
        private float[] a = new float[0];
        private float[] b = new float[0];

        Collector(FrameSource src, int n, boolean keep) {
            this.src = src;
            this.latencies = new long[n];
            this.noisy = new double[n];
            Arrays.fill(noisy, Double.NaN);
            this.keep = keep;
        }

        /** PSNR of the raw frame i, kept to compare with its denoised twin. */
        void noisyPsnr(int i, Frame f) {
            if (src.hasGroundTruth()) noisy[i] = psnr(src.groundTruth(i), f);
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
            double loss = f.report().adaptationLoss;
            if (Double.isFinite(loss)) {
                lossSum += loss;
                lossCount++;
            }
            if (src.hasGroundTruth() && tag >= 0 && tag < noisy.length) {
                double p = psnr(src.groundTruth(tag), f.denoised());
                perFrame.add(Math.round(p * 100) / 100.0);
                if (outCount > PSNR_SKIP && Double.isFinite(p) && Double.isFinite(noisy[tag])) {
                    psnrSum += p;
                    noisySum += noisy[tag];
                    psnrFrames++;
                }
            }
            if (keep) kept.add(f.denoised().copy());
            temporal.accept(f.report(), outCount > PSNR_SKIP);
        }

        /**
         * Frames per second after the first frame came out, i.e. without the initial fit that the first frame
         * carries: what the stream sustains once warm. NaN with fewer than 2 frames out.
         */
        double steadyFps() {
            return outCount < 2 || lastOutNanos == firstOutNanos ? Double.NaN : (outCount - 1) / ((lastOutNanos - firstOutNanos) / 1e9);
        }

        double psnr() {
            return psnrFrames == 0 ? Double.NaN : psnrSum / psnrFrames;
        }

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

        private double psnr(Frame clean, Frame test) {
            if (clean == null || clean.width() != test.width() || clean.height() != test.height()) return Double.NaN;
            int n = test.pixelCount();
            if (a.length < n) {
                a = new float[n];
                b = new float[n];
            }
            return StreamCommand.psnr(clean, test, a, b);
        }
    }

    /**
     * PSNR of a frame against its ground truth as every stream figure states it: both divided by the tested
     * frame's full scale (8-bit /255, 16-bit /65535, float /1), data range 1. NaN when the sizes differ.
     *
     * @param a scratch of at least the pixel count (reused to avoid allocating per frame)
     * @param b scratch of at least the pixel count
     */
    static double psnr(Frame clean, Frame test, float[] a, float[] b) {
        if (clean == null || clean.width() != test.width() || clean.height() != test.height()) return Double.NaN;
        int n = test.pixelCount();
        double scale = test.type().fullScale();
        for (int i = 0; i < n; i++) {
            a[i] = (float) (clean.get(i) / scale);
            b[i] = (float) (test.get(i) / scale);
        }
        return Psnr.psnr(a, b, n);
    }

    /**
     * Minimal JSON for the summaries: numbers (non-finite as null), strings, null, and nested maps (objects) and
     * lists (arrays) of those.
     */
    static final class Json {
        private Json() {
        }

        static String object(Map<String, ?> m) {
            StringBuilder sb = new StringBuilder();
            object(sb, m);
            return sb.toString();
        }

        private static void object(StringBuilder sb, Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                value(sb, e.getValue());
            }
            sb.append('}');
        }

        private static void value(StringBuilder sb, Object v) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                // six significant digits: losses are ~1e-3, memory ~1e3
                sb.append(Double.isFinite(d) ? new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString() : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (v instanceof Map) {
                object(sb, (Map<?, ?>) v);
            } else if (v instanceof List) {
                sb.append('[');
                boolean first = true;
                for (Object o : (List<?>) v) {
                    if (!first) sb.append(", ");
                    first = false;
                    value(sb, o);
                }
                sb.append(']');
            } else {
                string(sb, v.toString());
            }
        }

        private static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        }
    }

}
