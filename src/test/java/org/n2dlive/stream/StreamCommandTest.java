package org.n2dlive.stream;

import org.n2dlive.profile.Profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.cli.StreamCommand;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;
import picocli.CommandLine;

/** The headless stream command's plumbing, with test denoisers (the N2D model has its own tests). */
class StreamCommandTest {
    @TempDir
    Path dir;

    static final class Result {
        int code;
        String out;
        String err;
        private JsonObject json;

        /** The summary, parsed by Gson: it must be one valid JSON object. */
        JsonObject json() {
            if (json == null) json = JsonParser.parseString(out.trim()).getAsJsonObject();
            return json;
        }

        double number(String key) {
            JsonElement e = json().get(key);
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new AssertionError("no numeric " + key + " in " + out);
            }
            return e.getAsDouble();
        }

        boolean isNull(String key) {
            return json().has(key) && json().get(key).isJsonNull();
        }
    }

    private Result run(java.util.function.Function<Profile, FrameDenoiser> denoisers, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StreamCommand(denoisers));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        Result r = new Result();
        r.code = cl.execute(args);
        r.out = out.toString();
        r.err = err.toString();
        return r;
    }

    /** A small generated stream written next to the test, so the test does not depend on the shipped ones. */
    private Path descriptor(int size, int frames) throws Exception {
        Path d = dir.resolve("small.stream");
        Files.writeString(d, "kind = synthetic\nscene = cells\nwidth = " + size + "\nheight = " + size
                + "\nphotons = 30\ndrift_x = 0.3\nmoving_objects = 1\nfps = 100\nframe_count = " + frames + "\n");
        return d;
    }

    static final class Copy implements FrameDenoiser {
        final long sleepMillis;

        Copy(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
            if (sleepMillis > 0) Thread.sleep(sleepMillis);
            dst.copyFrom(src);
            report.adaptationLoss = 0.25;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void recordRunsEveryFrameAndReportsJson() throws Exception {
        Path out = dir.resolve("out.tif");
        Result r = run(p -> new Copy(0), "--source", descriptor(32, 30).toString(), "--profile", "record", "--fps", "0",
                "--json", "--report-every", "0", "-o", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.trim().startsWith("{") && r.out.trim().endsWith("}"), r.out);
        assertEquals(30, r.number("frames_in"));
        assertEquals(30, r.number("frames_out"));
        assertEquals(0, r.number("dropped"));
        assertEquals(0, r.number("out_of_order"));
        assertEquals(0.25, r.number("adaptation_loss"));
        assertTrue(r.number("latency_p99_ms") >= r.number("latency_p50_ms"));
        assertTrue(r.number("worker_ms_per_frame") >= 0);
        // An identity "denoiser": the output PSNR is the noisy PSNR, over the 20 frames after the first 10.
        assertEquals(r.number("psnr_noisy_db"), r.number("psnr_db"), 1e-3);
        assertEquals(20, r.number("psnr_frames"));
        assertTrue(r.number("psnr_db") > 5 && r.number("psnr_db") < 60, r.out);
        assertTrue(r.isNull("rss_mb_start") || r.number("rss_mb_start") > 0);
        assertTrue(r.isNull("first_error"));
        assertEquals(30, ImageFiles.read(out).size());
    }

    @Test
    void liveWithASlowWorkerDropsFramesAndCountsThem() throws Exception {
        Result r = run(p -> new Copy(30), "--source", descriptor(32, 60).toString(), "--profile", "live-fast", "--fps", "200",
                "--json", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        double in = r.number("frames_in");
        double outFrames = r.number("frames_out");
        assertEquals(60, in);
        assertEquals(in, outFrames + r.number("dropped"));
        assertTrue(r.number("dropped") > 0, r.out);
        assertEquals(0, r.number("out_of_order"));
    }

    @Test
    void aFolderSourceWithACleanReferenceLoops() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("frames"));
        byte[] clean = new byte[16 * 16];
        for (int i = 0; i < clean.length; i++) clean[i] = (byte) (60 + (i % 16) * 8);
        ImageFiles.write(folder.resolve("avg.png"), java.util.List.of(Frame.wrap(16, 16, clean)));
        java.util.Random rnd = new java.util.Random(3);
        for (int k = 0; k < 4; k++) {
            byte[] px = new byte[clean.length];
            for (int i = 0; i < px.length; i++) px[i] = (byte) Math.max(0, Math.min(255, (clean[i] & 0xFF) + (int) Math.round(rnd.nextGaussian() * 10)));
            ImageFiles.write(folder.resolve("f" + k + ".png"), java.util.List.of(Frame.wrap(16, 16, px)));
        }
        Result r = run(p -> new Copy(0), "--source", folder.toString(), "--clean", folder.resolve("avg.png").toString(),
                "--profile", "record", "--frames", "24", "--fps", "0", "--json", "--per-frame", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        assertEquals(24, r.number("frames_out"));
        // Noise of σ = 10 grey levels: PSNR ≈ 20·log10(255/10) = 28.1 dB (a little higher after clipping/rounding).
        assertEquals(28.1, r.number("psnr_db"), 1.0);
        // --per-frame: one PSNR per output frame, first frames included; the 4 files loop, so the list repeats
        com.google.gson.JsonArray values = r.json().getAsJsonArray("psnr_per_frame_db");
        assertEquals(24, values.size(), r.out);
        for (int i = 4; i < values.size(); i++) assertEquals(values.get(i - 4), values.get(i), r.out);
        assertTrue(values.get(0).equals(values.get(4)) && !values.get(0).equals(values.get(1)), r.out);
    }

    @Test
    void withoutGroundTruthPsnrIsNull() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("noclean"));
        ImageFiles.write(folder.resolve("a.png"), java.util.List.of(Frame.wrap(8, 8, new byte[64])));
        Result r = run(p -> new Copy(0), "--source", folder.toString(), "--profile", "record", "--frames", "12", "--fps", "0",
                "--json", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        assertTrue(r.isNull("psnr_db"), r.out);
    }

    @Test
    void engineFailuresAreReportedOnceAndEveryFrameStillComesOut() throws Exception {
        Result r = run(p -> new FrameDenoiser() {
            @Override
            public void denoise(Frame src, Frame dst, DenoiseReport report) {
                throw new IllegalStateException("CUDA out of memory");
            }

            @Override
            public void close() {
            }
        }, "--source", descriptor(16, 15).toString(), "--profile", "record", "--fps", "0", "--json", "--report-every", "0.001");
        assertEquals(1, r.code, "nothing was denoised");
        assertEquals(15, r.number("frames_out"));
        assertEquals(15, r.number("failed"));
        assertEquals("IllegalStateException: CUDA out of memory", r.json().get("first_error").getAsString(), r.out);
        assertTrue(r.isNull("time_to_first_output_ms"), "nothing came out denoised: " + r.out);
        int warnings = r.err.split("warning: the denoiser failed", -1).length - 1;
        assertEquals(1, warnings, "reported once: " + r.err);
    }

    @Test
    void badArgumentsGiveClearMessages() throws Exception {
        Path d = descriptor(16, 5);
        Result r = run(p -> new Copy(0), "--source", d.toString(), "--profile", "turbo");
        assertEquals(1, r.code);
        assertTrue(r.err.contains("no profile 'turbo'"), r.err);
        r = run(p -> new Copy(0), "--source", d.toString(), "--set", "chanels=3");
        assertTrue(r.err.contains("unknown key 'chanels'"), r.err);
        r = run(p -> new Copy(0), "--source", dir.resolve("missing").toString());
        assertTrue(r.err.contains("no stream"), r.err);
        r = run(p -> new Copy(0), "--source", d.toString(), "--frames", "0");
        assertTrue(r.err.contains("--frames must be at least 1"), r.err);
    }

    @Test
    void theLiveStackRunsThroughTheStream() throws Exception {
        Result r = run(null, // the live stack, as the CLI runs it
                "--source", descriptor(32, 14).toString(), "--profile", "record",
                "--set", "device=cpu", "--set", "channels=8", "--set", "pipeline=stage1", "--set", "initial_steps=10",
                "--set", "initial_crop=32", "--set", "adapt_steps=1", "--set", "adapt_crop=16", "--set", "engine=pytorch",
                "--fps", "0", "--json", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        assertEquals(14, r.number("frames_out"));
        assertEquals(0, r.number("failed"));
        assertTrue(r.number("adaptation_loss") > 0, r.out);
        assertTrue(Double.isFinite(r.number("psnr_db")), r.out);
    }

    /**
     * A test denoiser that plays a model's warm-up: frames 0..2 warm up (frame 0 starts it), frames 8 and 15
     * start a re-fit of 2 frames each, and frames 0..1 fail (passed through) so the first denoised frame is 2.
     */
    static final class Refitting implements FrameDenoiser {
        private int frame;
        private int refits;

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) {
            int i = frame++;
            if (i < 2) throw new IllegalStateException("not yet");
            dst.copyFrom(src);
            report.adaptationLoss = 0.5;
            if (i == 8 || i == 15) {
                refits++;
                report.refitted = true;
                report.refitReason = "scene change at " + i;
            }
            report.refits = refits;
            report.warmingUp = i <= 2 || i == 8 || i == 9 || i == 15 || i == 16;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void refitsWarmUpAndTheFirstOutputAreCountedInTheJsonAndLoggedOnce() throws Exception {
        Result r = run(p -> new Refitting(), "--source", descriptor(16, 20).toString(), "--profile", "record", "--fps", "0",
                "--json", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        assertEquals(2, r.number("refits"), r.out);
        assertEquals("scene change at 15", r.json().get("last_refit_reason").getAsString());
        // the first warm-up as the recorder sees it: frames 0 and 1 failed, frame 2 warmed up, frame 3 did not
        assertEquals(1, r.number("warmup_frames"), r.out);
        assertEquals(2, r.number("failed"));
        double first = r.number("time_to_first_output_ms");
        assertTrue(first >= 0 && first <= r.number("wall_s") * 1000, r.out);
        assertTrue(r.number("max_worker_ms") >= r.number("worker_ms_per_frame"), r.out);
        assertTrue(r.json().has("rss_mb_warm") && r.json().has("max_worker_ms_after_first"), r.out);
        assertTrue(r.number("startup_ms") >= 0, r.out);
        for (int at : new int[] {8, 15}) {
            String line = "re-fit at frame " + at + ": scene change at " + at;
            assertEquals(1, r.err.split(java.util.regex.Pattern.quote(line), -1).length - 1, "logged once: " + r.err);
        }
    }

    /** Slow while warming up (10 frames of 50 ms), then fast: the warm rate leaves the warm-up out, the steady one not. */
    static final class SlowWarmUp implements FrameDenoiser {
        private int frame;
        private final int warmFrames;

        SlowWarmUp(int warmFrames) {
            this.warmFrames = warmFrames;
        }

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) throws InterruptedException {
            int i = frame++;
            dst.copyFrom(src);
            report.warmingUp = i < warmFrames;
            if (report.warmingUp) Thread.sleep(50);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theWarmRateLeavesTheWarmUpOut() throws Exception {
        Result r = run(p -> new SlowWarmUp(10), "--source", descriptor(16, 40).toString(), "--profile", "record", "--fps", "0",
                "--json", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        assertEquals(10, r.number("warmup_frames"), r.out);
        assertTrue(r.number("warm_fps") > 2 * r.number("steady_fps"), r.out);
        Result all = run(p -> new SlowWarmUp(100), "--source", descriptor(16, 5).toString(), "--profile", "record", "--fps", "0",
                "--json", "--report-every", "0");
        assertTrue(all.json().get("warm_fps").isJsonNull(), "never warm: " + all.out);
    }

    @Test
    void aSourcePathWithAQuoteStillGivesValidJson() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("say \"cheese\" \\ now"));
        ImageFiles.write(folder.resolve("a.png"), java.util.List.of(Frame.wrap(8, 8, new byte[64])));
        Result r = run(p -> new Copy(0), "--source", folder.toString(), "--profile", "record", "--frames", "3", "--fps", "0",
                "--json", "--report-every", "0");
        assertEquals(0, r.code, r.err);
        assertEquals(folder.toString(), r.json().get("source").getAsString());
        assertEquals(3, r.number("frames_out"));
    }

    @Test
    void previewShowsRawDenoisedAndTruthSideBySide() throws Exception {
        Path png = dir.resolve("preview.png");
        Result r = run(p -> new Copy(0), "--source", descriptor(24, 5).toString(), "--profile", "record", "--fps", "0",
                "--report-every", "0", "--preview", png.toString());
        assertEquals(0, r.code, r.err);
        Frame picture = ImageFiles.read(png).get(0);
        assertEquals(24, picture.height());
        assertTrue(picture.width() > 3 * 24 && picture.width() < 3 * 24 + 12, "three panels and two gaps: " + picture);
        // The copy "denoiser": the middle panel is the raw frame again.
        int gap = (picture.width() - 3 * 24) / 2;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) assertEquals(picture.get(x, y), picture.get(24 + gap + x, y), "pixel " + x + "," + y);
        }
        r = run(p -> new Copy(0), "--source", descriptor(24, 5).toString(), "--preview", dir.resolve("p.tif").toString());
        assertTrue(r.err.contains("--preview writes a PNG"), r.err);
    }
}
