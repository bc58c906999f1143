package org.n2dlive.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.n2dlive.cli.StreamRecorder.SentFrame;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.metrics.FramePsnr;
import org.n2dlive.n2d.N2dConfig;
import org.n2dlive.n2d.Noise2Detail;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.n2d.SeriesDenoiser;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.StreamStats;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code n2d compare}: does warm-started streaming beat full per-frame Noise2Detail on the same frames, and at
 * what cost? Runs the stream lossless (RECORD policy, full speed) keeping every output frame's PSNR against the
 * ground truth and the denoiser's time per frame; then runs full-mode Noise2Detail (stages 1-3, the paper's
 * settings) on a few of the same noisy frames, with the normalisation the stream used, timing each run; prints
 * a table per chosen frame and a summary (optionally one JSON object).
 *
 * <p>PSNR is computed exactly as {@code n2d stream} does ({@link FramePsnr}): both images divided by the
 * frame type's full scale; full-mode outputs are first written back into the frame's pixel type, as the stream's
 * output is.
 *
 * <p>Threading: {@link #call} is the producer thread of the stream (the denoiser lives on the stream's worker);
 * the full-mode runs happen afterwards on the calling thread, once the stream is closed, so the two never compete
 * for the CPU.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare warm-started streaming with full per-frame Noise2Detail on the same frames: PSNR and cost.",
            "Runs the stream with policy=record at full speed (every frame, PSNR against the ground truth, denoiser ms per"
                    + " frame), then full-mode N2D (stages 1-3) on the --full-at frames; prints a table per frame and a summary."})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "STREAM",
            description = "A descriptor (test-streams/NAME.stream, or just NAME), a TIFF stack, or a folder of frame images; "
                    + "it must have ground truth (descriptors state it; --clean for files and folders).")
    String source;

    @Option(names = "--clean", paramLabel = "GT", description = "Clean reference for a TIFF or folder source (one image, "
            + "or one plane per frame).")
    java.nio.file.Path clean;

    @Option(names = "--profile", defaultValue = "balanced", paramLabel = "NAME|FILE",
            description = "live-fast, balanced, quality, record, or a profile file. Default: ${DEFAULT-VALUE}. "
                    + "The policy is always record.")
    String profileName;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a profile key (repeatable), e.g. --set adapt_steps=4.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--frames", paramLabel = "N", description = "Frames to stream. Default: the stream's length.")
    Integer frames;

    @Option(names = "--full-at", split = ",", paramLabel = "I",
            description = "Frame indices (0-based) at which full N2D also runs. Default: three frames spread evenly over "
                    + "the frames after the first 10.")
    List<Integer> fullAt;

    @Option(names = "--steps", defaultValue = "2000", paramLabel = "N",
            description = "Full-mode training steps per stage (paper: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--full-channels", defaultValue = "48", paramLabel = "C",
            description = "Full-mode feature channels (paper: ${DEFAULT-VALUE}); the stream uses the profile's.")
    int fullChannels;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the stream's nets (profile key seed) and of the "
            + "full-mode nets: with equal channels, both start from the same weights. Default: the profile's seed.")
    Long seed;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;

    @Option(names = "--flush-timeout", defaultValue = "3600", paramLabel = "S",
            description = "Seconds to wait for the stream's worker to finish the frames. Default: ${DEFAULT-VALUE}.")
    double flushTimeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (frames != null && frames < 1) throw new IllegalArgumentException("--frames must be at least 1, got " + frames);
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        if (fullChannels < 1 || fullChannels > 256) throw new IllegalArgumentException("--full-channels must be in 1..256, got " + fullChannels);
        if (!(flushTimeout > 0)) throw new IllegalArgumentException("--flush-timeout must be > 0, got " + flushTimeout);

        Profile profile = ProfileArgs.resolve(profileName, overrides);
        profile = profile.with("policy", "record"); // lossless: every frame is denoised and compared
        if (seed != null) profile = profile.with("seed", Long.toString(seed));
        long fullSeed = seed != null ? seed : profile.seed();

        Sources.Opened opened = Sources.open(source, clean, 10);
        FrameSource src = opened.source;
        if (!src.hasGroundTruth()) {
            throw new IllegalArgumentException("the source '" + source + "' has no ground truth; compare needs one to measure "
                    + "PSNR: a synthetic stream, a descriptor with 'clean = ...', or --clean GT for a TIFF or folder");
        }
        int n = frames != null ? frames : opened.defaultFrames;
        int[] chosen = chosenFrames(fullAt, n);
        N2dConfig cfg = N2dConfig.PAPER.withSteps(steps).withChannels(fullChannels).withSeed(fullSeed);

        Frame first = src.frame(0).copy(); // sources reuse their buffers
        err.printf(Locale.ROOT, "n2d compare: %s%n", src.describe());
        err.printf(Locale.ROOT, "n2d compare: stream: profile %s (%s), policy record, %d frames at full speed%n",
                profile.name(), profile.description(), n);
        err.printf(Locale.ROOT, "n2d compare: full N2D at frames %s: %s%n", Arrays.toString(chosen), cfg);
        err.flush();

        // 1. The stream, lossless, as fast as the worker goes.
        StreamRecorder rec = new StreamRecorder(src, false);
        Progress progress = new Progress(err);
        AtomicReference<SeriesDenoiser> created = new AtomicReference<>();
        Profile chosenProfile = profile;
        StreamLoop loop = new StreamLoop(src, n, 0, rec);
        StreamStats stats = loop.run(
                profile.streamSettings().workerThreadName("n2d-compare-worker").build(), () -> {
                    SeriesDenoiser d = LiveModels.stack(chosenProfile, err::println);
                    created.set(d);
                    return d;
                }, f -> {
                    double ms = rec.meanMsAfterFirst();
                    progress.update("stream", rec.out.size(), n, Double.isFinite(ms) ? String.format(Locale.ROOT, "%.0f ms/frame", ms)
                            : "first frame done");
                }, flushTimeout);
        double streamWall = loop.startupMs / 1e3 + loop.wallSeconds; // the model's load included, as always
        if (stats.pending() > 0) {
            err.printf(Locale.ROOT, "n2d compare: error: %d frame(s) still in the worker after --flush-timeout %.0f s%n",
                    stats.pending(), flushTimeout);
            err.flush();
            return 1;
        }
        if (stats.failed() > 0) {
            err.printf(Locale.ROOT, "n2d compare: warning: %d frame(s) passed through raw after denoiser errors; the first: %s%n",
                    stats.failed(), stats.firstError());
            if (stats.failed() == stats.framesOut()) {
                err.printf(Locale.ROOT, "n2d compare: error: nothing was denoised%n");
                err.flush();
                return 1;
            }
        }
        Normalization norm = streamNormalization(created.get(), src.series(0), profile, first);
        err.printf(Locale.ROOT, "n2d compare: stream done in %.1f s; normalization %s%n", streamWall, norm);
        err.flush();

        // 2. Full-mode N2D on the chosen noisy frames, after the stream (nothing else runs meanwhile).
        FullRun[] full = new FullRun[chosen.length];
        try (Noise2Detail n2d = Noise2Detail.create("pytorch", profile.device())) {
            for (int k = 0; k < chosen.length; k++) {
                // Sources are addressable by index: the same noisy frame and truth again.
                full[k] = fullRun(n2d, cfg, norm, src.frame(chosen[k]).copy(), src.groundTruth(chosen[k]).copy(), chosen[k], k,
                        chosen.length, err);
                err.printf(Locale.ROOT, "n2d compare: full N2D frame %d: %.1f s, stage 2 %.2f dB, stage 3 %.2f dB (stream %.2f dB)%n",
                        chosen[k], full[k].seconds, full[k].stage2, full[k].stage3, rec.out(chosen[k]).psnr);
                err.flush();
            }
        }

        Map<String, Object> result = result(profile, first, norm, n, chosen, rec, full, stats, streamWall, cfg);
        if (json) {
            out.println(Json.object(result));
        } else {
            printText(out, result, chosen, rec, full);
        }
        out.flush();
        return 0;
    }

    /** The --full-at frames, sorted and distinct, or the default: three spread over the frames after the first 10. */
    static int[] chosenFrames(List<Integer> asked, int n) {
        TreeSet<Integer> set = new TreeSet<>();
        if (asked != null && !asked.isEmpty()) {
            for (Integer i : asked) {
                if (i == null || i < 0 || i >= n) {
                    throw new IllegalArgumentException("--full-at: frame " + i + " is outside the streamed frames 0.." + (n - 1));
                }
                set.add(i);
            }
        } else {
            int lo = n > StreamRecorder.PSNR_SKIP ? StreamRecorder.PSNR_SKIP : 0;
            int span = n - lo;
            for (int k = 0; k < 3; k++) set.add(lo + (int) ((long) span * (2 * k + 1) / 6));
        }
        int[] out = new int[set.size()];
        int j = 0;
        for (int i : set) out[j++] = i;
        return out;
    }

    /** The stream's mapping to unit range: the model's own (fixed on the first frame), else the rule the profile states. */
    private static Normalization streamNormalization(SeriesDenoiser d, SeriesKey series, Profile p, Frame first) {
        Normalization own = d == null ? null : d.normalization(series);
        return own != null ? own : Normalization.Rule.parse(p.normalization()).resolve(first);
    }

    /** One full-mode run on a noisy frame, timed; stage images written back into the frame's type, then PSNR. */
    private static FullRun fullRun(Noise2Detail n2d, N2dConfig cfg, Normalization norm, Frame noisy, Frame truth, int index,
                                   int k, int of, PrintWriter err) {
        float[] y = new float[noisy.pixelCount()];
        norm.toUnit(noisy, y);
        Progress progress = new Progress(err);
        String label = String.format(Locale.ROOT, "full N2D frame %d (%d/%d)", index, k + 1, of);
        int total = cfg.stage1Steps() + cfg.stage3Steps();
        long t0 = System.nanoTime();
        Noise2Detail.Result r = n2d.run(y, noisy.width(), noisy.height(), cfg, (stage, i, steps, loss) ->
                progress.update(label + " stage " + stage, (stage == 1 ? 0 : cfg.stage1Steps()) + i, total,
                        String.format(Locale.ROOT, "loss %.5f", loss)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        FramePsnr psnr = new FramePsnr();
        Frame out = Frame.allocate(noisy.type(), noisy.width(), noisy.height());
        FullRun run = new FullRun();
        run.seconds = seconds;
        norm.fromUnit(r.stage1, out);
        run.stage1 = psnr.of(truth, out);
        norm.fromUnit(r.stage2, out);
        run.stage2 = psnr.of(truth, out);
        norm.fromUnit(r.stage3, out);
        run.stage3 = psnr.of(truth, out);
        return run;
    }

    private Map<String, Object> result(Profile profile, Frame first, Normalization norm, int n, int[] chosen, StreamRecorder rec,
                                       FullRun[] full, StreamStats stats, double streamWall, N2dConfig cfg) {
        Predicate<SentFrame> afterSkip = f -> f.index >= StreamRecorder.PSNR_SKIP && Double.isFinite(f.psnr)
                && Double.isFinite(f.noisyPsnr);
        double streamAt = 0;
        double noisyAt = 0;
        double s2 = 0;
        double s3 = 0;
        double seconds = 0;
        List<Object> perFrame = new ArrayList<>();
        for (int k = 0; k < chosen.length; k++) {
            int i = chosen[k];
            SentFrame sent = rec.out(i);
            streamAt += sent.psnr;
            noisyAt += sent.noisyPsnr;
            s2 += full[k].stage2;
            s3 += full[k].stage3;
            seconds += full[k].seconds;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("index", i);
            f.put("noisy_psnr_db", sent.noisyPsnr);
            f.put("stream_psnr_db", sent.psnr);
            f.put("full_stage1_psnr_db", full[k].stage1);
            f.put("full_stage2_psnr_db", full[k].stage2);
            f.put("full_stage3_psnr_db", full[k].stage3);
            f.put("gain_db", sent.psnr - full[k].stage3);
            f.put("stream_ms", sent.denoiserMs());
            f.put("full_s", full[k].seconds);
            perFrame.add(f);
        }
        int c = chosen.length;
        double streamMs = rec.meanMsAfterFirst();
        double fullS = seconds / c;

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("profile", profile.name());
        m.put("pipeline", profile.pipeline().name().toLowerCase(Locale.ROOT));
        m.put("channels", profile.channels());
        m.put("width", first.width());
        m.put("height", first.height());
        m.put("pixel_type", first.type().name());
        m.put("normalization", norm.toString());
        m.put("frame_count", n);
        m.put("frames_out", stats.framesOut());
        m.put("failed", stats.failed());
        m.put("full_steps", cfg.stage1Steps());
        m.put("full_channels", cfg.channels());
        m.put("seed", cfg.seed());
        m.put("stream_psnr_db", StreamRecorder.mean(rec.out, afterSkip, f -> f.psnr));
        m.put("noisy_psnr_db", StreamRecorder.mean(rec.out, afterSkip, f -> f.noisyPsnr));
        m.put("stream_psnr_frames", (int) rec.out.stream().filter(afterSkip).count());
        m.put("noisy_psnr_at_full_frames_db", noisyAt / c);
        m.put("stream_psnr_at_full_frames_db", streamAt / c);
        m.put("full_stage2_psnr_db", s2 / c);
        m.put("full_stage3_psnr_db", s3 / c);
        m.put("gain_db", (streamAt - s3) / c);
        m.put("gain_vs_stage2_db", (streamAt - s2) / c);
        m.put("stream_ms_per_frame", streamMs);
        m.put("first_frame_ms", rec.out(0).denoiserMs());
        m.put("time_to_first_output_ms", rec.timeToFirstOutputMs());
        m.put("stream_refits", stats.refits());
        m.put("stream_warmup_frames", rec.firstWarmupFrames());
        m.put("stream_worker_ms_per_frame_incl_first", stats.workerNanosPerFrame() / 1e6);
        m.put("stream_wall_s", streamWall);
        m.put("full_s_per_frame", fullS);
        m.put("cost_ratio", streamMs / (fullS * 1000));
        m.put("frames", perFrame);
        return m;
    }

    private static void printText(PrintWriter out, Map<String, Object> m, int[] chosen, StreamRecorder rec, FullRun[] full) {
        out.printf(Locale.ROOT, "%6s %10s %10s %12s %12s %14s %10s %8s%n", "frame", "noisy dB", "stream dB", "full s2 dB",
                "full s3 dB", "stream-s3 dB", "stream ms", "full s");
        for (int k = 0; k < chosen.length; k++) {
            SentFrame s = rec.out(chosen[k]);
            out.printf(Locale.ROOT, "%6d %10s %10s %12s %12s %14s %10s %8s%n", chosen[k], fixed(s.noisyPsnr, 2), fixed(s.psnr, 2),
                    fixed(full[k].stage2, 2), fixed(full[k].stage3, 2), signed(s.psnr - full[k].stage3),
                    fixed(s.denoiserMs(), 1), fixed(full[k].seconds, 1));
        }
        out.println();
        line(out, "stream PSNR (frames >= " + StreamRecorder.PSNR_SKIP + ")",
                fixed((Double) m.get("stream_psnr_db"), 2) + " dB over " + m.get("stream_psnr_frames") + " frames (noisy "
                        + fixed((Double) m.get("noisy_psnr_db"), 2) + " dB)");
        line(out, "at the full-mode frames", "stream " + fixed((Double) m.get("stream_psnr_at_full_frames_db"), 2)
                + " dB, full stage 2 " + fixed((Double) m.get("full_stage2_psnr_db"), 2) + " dB, full stage 3 "
                + fixed((Double) m.get("full_stage3_psnr_db"), 2) + " dB");
        double gain = (Double) m.get("gain_db");
        line(out, "stream - full stage 3", signed(gain) + " dB (" + (gain > 0 ? "stream better" : gain < 0 ? "full mode better" : "equal")
                + "); vs stage 2 " + signed((Double) m.get("gain_vs_stage2_db")) + " dB");
        line(out, "stream cost", fixed((Double) m.get("stream_ms_per_frame"), 1) + " ms/frame after frame 0; frame 0 "
                + fixed((Double) m.get("first_frame_ms"), 1) + " ms; warm-up " + m.get("stream_warmup_frames") + " frames; refits "
                + m.get("stream_refits"));
        line(out, "full mode cost", fixed((Double) m.get("full_s_per_frame"), 1) + " s/frame (" + m.get("full_steps")
                + " steps per stage, " + m.get("full_channels") + " channels)");
        double ratio = (Double) m.get("cost_ratio");
        line(out, "cost ratio stream/full", Double.isFinite(ratio) && ratio > 0
                ? String.format(Locale.ROOT, "%.3g (full mode costs %.0fx a streamed frame)", ratio, 1 / ratio) : "-");
    }

    private static void line(PrintWriter out, String key, String value) {
        out.printf(Locale.ROOT, "%-30s %s%n", key, value);
    }

    private static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    private static String signed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2f", v) : "-";
    }

    /** Full-mode figures of one frame. */
    private static final class FullRun {
        double seconds;
        double stage1;
        double stage2;
        double stage3;
    }
}
