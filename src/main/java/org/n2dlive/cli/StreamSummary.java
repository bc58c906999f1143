package org.n2dlive.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.n2dlive.frame.Frame;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.StreamStats;
import org.n2dlive.synth.FrameSource;

/**
 * The figures of one headless stream run, in the order {@code n2d stream} prints them (text or JSON): what ran,
 * the counts, the timings, the warm-up and re-fits, quality and memory. Built once at the end; immutable.
 */
final class StreamSummary {
    /** What the run was, besides the stream's own figures. */
    static final class Run {
        String source;
        Profile profile;
        Frame first;
        double fps;
        double wallSeconds;
        double rssStart;
        double rssEnd;
        boolean perFrame;
        double startupMs;
    }

    private StreamSummary() {
    }

    static Map<String, Object> of(Run run, FrameSource src, StreamStats s, StreamRecorder c) {
        Map<String, Object> m = new LinkedHashMap<>();
        Profile profile = run.profile;
        m.put("source", run.source);
        m.put("profile", profile.name());
        m.put("policy", profile.policy().name().toLowerCase(Locale.ROOT));
        m.put("pipeline", profile.pipeline().name().toLowerCase(Locale.ROOT));
        m.put("width", run.first.width());
        m.put("height", run.first.height());
        m.put("pixel_type", run.first.type().name());
        m.put("fps", run.fps);
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
        m.put("startup_ms", run.startupMs);
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
        m.put("psnr_frames", c.psnrFrames);
        m.put("clipped_pixels", c.clippedPixels);
        if (src.seriesCount() > 1) {
            m.put("series_count", src.seriesCount());
            if (src.hasGroundTruth()) m.put("series", c.perSeries());
        }
        if (run.perFrame && src.hasGroundTruth()) {
            m.put("psnr_per_frame_db", c.perFrame);
            m.put("done_s_per_frame", c.perFrameSeconds);
            m.put("noisy_psnr_per_frame_db", c.perFrameNoisy);
        }
        if (run.perFrame) {
            m.put("train_ms_per_frame", c.perFrameTrainMs);
            m.put("infer_ms_per_frame", c.perFrameInferMs);
            m.put("steps_per_frame", c.perFrameSteps);
            m.put("frame_per_frame", c.perFrameTag);
            m.put("warming_up_per_frame", c.perFrameWarming);
        }
        c.temporal.putSummary(m, run.perFrame, s.workerNanosPerFrame());
        m.put("wall_s", run.wallSeconds);
        m.put("output_fps", run.wallSeconds > 0 ? s.framesOut() / run.wallSeconds : Double.NaN);
        m.put("steady_fps", c.steadyFps());
        m.put("warm_fps", c.warmFps());
        m.put("rss_mb_start", run.rssStart);
        m.put("rss_mb_warm", c.rssWarm);
        m.put("rss_mb_end", run.rssEnd);
        m.put("errors", s.errorCount());
        m.put("first_error", s.firstError());
        return m;
    }
}
