package org.n2dlive.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end in the real Micro-Manager: starts MMStudio from {@code -Dmm.home} in a JVM of its own (headless, under
 * an Xvfb of its own when {@code xvfb-run} is there), with a private user profile, the demo configuration and the
 * built plugin jar as the only jar in its plugin folder; {@link E2eDriver} drives it and writes what it saw; this
 * test judges that, Micro-Manager's log and the JVM's console, and writes {@code target/e2e/report.md}.
 *
 * <p>Functional checks fail the build. The two timing targets of issue 24 (live view at half the raw noise within
 * 3 s of pressing Live; the camera keeps at least half its live frame rate) are measurements on a shared machine:
 * reported, and enforced only with {@code -Dn2d.e2e.enforceTargets=true}.
 */
class MicroManagerE2eIT {
    private static final Path DIR = Paths.get(System.getProperty("n2d.e2e.dir", "target/e2e"));
    /** {@code E2eDriver}'s camera side (read here: that class needs Micro-Manager's jars, which this JVM lacks). */
    private static final int CAMERA_SIDE = Integer.getInteger("n2d.e2e.cameraSide", 512);
    private static final Pattern DJL_CHATTER = Pattern.compile("(DEBUG|INFO|TRACE)\\b.*\\bai\\.djl|\\bai\\.djl\\S*\\s.*\\b(DEBUG|INFO|TRACE)\\b");

    private static final Pattern STACK_LINE = Pattern.compile("\\]\\s+(at |\\.\\.\\. \\d+ more|Caused by)");

    private final List<String> failures = new ArrayList<>();
    private final List<String> report = new ArrayList<>();
    private Properties r;

    @Test
    void realMicroManagerEndToEnd() throws Exception {
        Path mmHome = Paths.get(System.getProperty("n2d.mm.home"));
        Path pluginJar = Paths.get(System.getProperty("n2d.plugin.jar"));
        assertTrue(Files.isRegularFile(pluginJar), "no plugin jar " + pluginJar + ": package mm-plugin first");
        assertTrue(Files.isRegularFile(mmHome.resolve("MMConfig_demo.cfg")), "no MMConfig_demo.cfg in " + mmHome);
        List<String> display = displayPrefix();

        // A private HOME: Micro-Manager's profile (rewritten each run) and the plugin's natives (extracted once).
        Path home = DIR.resolve("home");
        Path plugins = DIR.resolve("mmplugins");
        Path logs = DIR.resolve("logs");
        Path out = DIR.resolve("out");
        for (Path p : new Path[] {plugins, logs, out}) deleteTree(p);
        for (Path p : new Path[] {home, plugins, logs, out}) Files.createDirectories(p);
        Files.copy(pluginJar, plugins.resolve(pluginJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        boolean nativesCached = Files.isDirectory(home.resolve(".n2d-live/natives"));

        String cp = Stream.concat(Arrays.stream(System.getProperty("n2d.mm.jars").split(",")),
                Stream.of(System.getProperty("n2d.e2e.classes"))).collect(Collectors.joining(File.pathSeparator));
        String userHome = "-Duser.home=" + home.toAbsolutePath(); // Java takes it from the passwd entry, not $HOME
        run(mmHome, home, DIR.resolve("profile-setup.log"), 120, List.of(java(), userHome, "-Djava.awt.headless=true", "-cp", cp,
                ProfileSetup.class.getName(), mmHome.resolve("MMConfig_demo.cfg").toString()));

        List<String> cmd = new ArrayList<>(display);
        cmd.addAll(List.of(java(), userHome, "-Xmx3g",
                "--add-opens", "java.desktop/java.awt=ALL-UNNAMED",
                "--add-opens", "java.desktop/java.awt.color=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-Dorg.micromanager.corelog.dir=" + logs.toAbsolutePath(),
                "-Dorg.micromanager.plugin.path=" + plugins.toAbsolutePath(),
                "-Dorg.micromanager.autofocus.path=" + mmHome.resolve("mmautofocus"),
                "-Dn2d.e2e.out=" + out.toAbsolutePath(),
                "-Dn2d.e2e.skipAcqEngJ=" + Boolean.getBoolean("n2d.e2e.skipAcqEngJ"),
                "-Dn2d.e2e.cameraSide=" + CAMERA_SIDE,
                "-Dn2d.e2e.cameraProfile=" + System.getProperty("n2d.e2e.cameraProfile", "live-fast"),
                "-cp", cp, E2eDriver.class.getName()));
        Path console = DIR.resolve("console.log");
        long t0 = System.nanoTime();
        int rc = run(mmHome, home, console, Integer.getInteger("n2d.e2e.timeoutSeconds", 1200), cmd);
        line("MMStudio JVM: exit %d after %.0f s; console %s; Micro-Manager log in %s", rc,
                (System.nanoTime() - t0) / 1e9, console, logs);

        r = new Properties();
        Path results = out.resolve("results.properties");
        if (Files.isRegularFile(results)) {
            r.load(new StringReader(new String(Files.readAllBytes(results), StandardCharsets.UTF_8)));
        }
        check(rc == 0, "the MMStudio JVM exited with " + rc + (r.containsKey("fatal") ? ": " + r.getProperty("fatal") : ""));
        line("machine: %s; load before: %s; natives %s", System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores", get("machine.load1"),
                nativesCached ? "already extracted in the private HOME" : "extracted in this run (first start)");
        line("Micro-Manager %s, MMCore %s, started in %s s; %s; plugin %s", get("mm.version"), get("mm.core"),
                get("mm.startSeconds"), get("camera"), get("plugin.name"));
        check("true".equals(get("plugin.found")), "MMStudio did not load the plugin from its plugin folder");

        if (CAMERA_SIDE != 512) {
            cameraSize();
            logs(console, logs);
        } else {
            live();
            mda("clj", true);
            mda("acqengj", false);
            logs(console, logs);
            for (String shot : new String[] {"configurator.png", "live-view.png", "dataset-window.png"}) {
                line("screenshot %s: %s", shot, get("screenshot." + shot));
            }
        }

        Files.write(DIR.resolve("report.md"), report, StandardCharsets.UTF_8);
        System.out.println(String.join("\n", report));
        if (!failures.isEmpty()) fail(failures.size() + " end-to-end check(s) failed:\n- " + String.join("\n- ", failures));
    }

    /**
     * The camera-size run ({@code -Dn2d.e2e.cameraSide}): the plugin's live view at that size, judged like the 512²
     * profiles' (denoised images reach it, no raw one after the first denoised), its rates and the JVM's peak memory
     * reported.
     */
    private void cameraSize() {
        String k = "live.camera.";
        line("camera-size run, %d², profile %s: without the plugin raw noise %s, %s images/s reach the live view,"
                        + " camera %s frames/s", CAMERA_SIDE, get("cameraSize.profile"), get("rawNoise"),
                get("live.none.imagesPerSecond"), get("live.none.cameraFramesPerSecond"));
        check("true".equals(get(k + "ok")), "live at camera size: " + get(k + "error"));
        line("with the plugin (30 s): %s images, %s denoised, first image %s ms, first denoised %s ms, raw after first"
                        + " denoised %s (and %s refused by the guard); half noise first at %s ms, for good from %s ms;"
                        + " noise at the end %s; %s images/s, camera %s frames/s",
                get(k + "images"), get(k + "denoised"), get(k + "firstImageMs"), get(k + "firstDenoisedMs"),
                get(k + "rawAfterFirstDenoised"), get(k + "guardedAfterFirstDenoised"), get(k + "halfNoiseFirstMs"),
                get(k + "halfNoiseSustainedMs"), get(k + "endNoise"), get(k + "imagesPerSecond"),
                get(k + "cameraFramesPerSecond"));
        line("then without the plugin (10 s): %s images/s, camera %s frames/s",
                get("live.camera-without.imagesPerSecond"), get("live.camera-without.cameraFramesPerSecond"));
        line("JVM resident memory: %s MB before the plugin's first frame, peak %s MB",
                get("cameraSize.rssBeforeMb"), get("cameraSize.peakRssMb"));
        line("live camera series (ms:noise, r raw / g refused by the guard / d denoised): %s", get(k + "series"));
        check(num(k + "denoised") > 0, "live at camera size: no denoised image reached the live view");
        check(num(k + "rawAfterFirstDenoised") == 0, "live at camera size: " + get(k + "rawAfterFirstDenoised")
                + " raw image(s) after the first denoised one");
    }

    private void live() {
        double raw = num("rawNoise");
        line("live without the plugin: raw noise %s (median), %s images/s reach the live view, camera %s frames/s",
                get("rawNoise"), get("live.none.imagesPerSecond"), get("live.none.cameraFramesPerSecond"));
        check(raw > 0, "no raw noise measured in live mode without the plugin");
        for (String p : new String[] {"balanced", "live-fast", "quality", "record", "pattern"}) {
            String k = "live." + p + ".";
            check("true".equals(get("live." + p + ".ok")), "live " + p + ": " + get("live." + p + ".error"));
            line("live %s: %s images, %s denoised, first image %s ms, first denoised %s ms, raw after first denoised %s"
                            + " (and %s refused by the guard, shown raw and flagged);"
                            + " half noise first at %s ms, for good from %s ms; noise at the end %s; %s images/s, camera %s frames/s",
                    p, get(k + "images"), get(k + "denoised"), get(k + "firstImageMs"), get(k + "firstDenoisedMs"),
                    get(k + "rawAfterFirstDenoised"), get(k + "guardedAfterFirstDenoised"), get(k + "halfNoiseFirstMs"),
                    get(k + "halfNoiseSustainedMs"),
                    get(k + "endNoise"), get(k + "imagesPerSecond"), get(k + "cameraFramesPerSecond"));
            check(num(k + "denoised") > 0, "live " + p + ": no denoised image reached the live view");
            check(num(k + "rawAfterFirstDenoised") == 0, "live " + p + ": " + get(k + "rawAfterFirstDenoised")
                    + " raw image(s) after the first denoised one");
        }
        line("live balanced series (ms:noise, r raw / g refused by the guard / d denoised): %s", get("live.balanced.series"));
        double half = num("live.balanced.halfNoiseSustainedMs");
        target(half <= 3000, String.format(Locale.ROOT, "live view at half the raw noise within 3 s of pressing Live"
                + " (balanced, 512²): %s ms", Double.isNaN(half) ? "never" : get("live.balanced.halfNoiseSustainedMs")));
        double with = num("live.rate-with.imagesPerSecond");
        double without = num("live.rate-without.imagesPerSecond");
        double camWith = num("live.rate-with.cameraFramesPerSecond");
        double camWithout = num("live.rate-without.cameraFramesPerSecond");
        line("frame rate, 10 s each, after warm-up: live view %s/s with the plugin, %s/s without (%.0f %%);"
                        + " camera %s/s with, %s/s without (%.0f %%); at the start: %s/s without",
                get("live.rate-with.imagesPerSecond"), get("live.rate-without.imagesPerSecond"), 100 * with / without,
                get("live.rate-with.cameraFramesPerSecond"), get("live.rate-without.cameraFramesPerSecond"),
                100 * camWith / camWithout, get("live.none.imagesPerSecond"));
        target(with >= 0.5 * without, String.format(Locale.ROOT,
                "the live view keeps >= 50 %% of its frame rate with the plugin: %.0f %%", 100 * with / without));
    }

    private void mda(String engine, boolean required) {
        String k = "mda." + engine + ".";
        if (!r.containsKey("mda." + engine + ".ok")) {
            if (required) check(false, "MDA " + engine + " did not run");
            return;
        }
        String what = "MDA " + engine + " (2 channels x 3 z x 5 t, keep raw, record)";
        if (!"true".equals(get(k + "ok"))) {
            check(!required, what + ": " + get(k + "error"));
            if (!required) line("%s: failed (optional): %s", what, get(k + "error"));
            return;
        }
        line("%s: %s images in %s s, saved as %s to %s; channels %s", what, get(k + "images"), get(k + "seconds"),
                get(k + "saveMode"), get(k + "path"), get(k + "channels"));
        line("  display: %s (%s), twins styled: %s", get(k + "display"), get(k + "display.colorMode"),
                get(k + "display.twinsStyled"));
        for (String stage : new String[] {"acquired.", "readBack."}) {
            String s = k + stage;
            line("  %s %s images: pairs %s/%s complete, %s twins of the very same frame, %s with provenance,"
                            + " %s means within 3 %% (worst %s %%), %s with lower noise (raw %s, denoised %s) %s",
                    stage.replace(".", ""), get(stage.equals("readBack.") ? k + "readBack.images" : k + "images"),
                    get(s + "complete"), get(s + "pairs"), get(s + "sameFrame"), get(s + "provenance"),
                    get(s + "meanKept3pct"), get(s + "worstMeanDiffPct"), get(s + "noiseLower"), get(s + "rawNoise"),
                    get(s + "twinNoise"), get(s + "problems"));
            boolean ok = num(s + "pairs") == 30 && num(s + "complete") == 30 && num(s + "sameFrame") == 30
                    && num(s + "provenance") == 30 && num(s + "meanKept3pct") == 30 && num(s + "noiseLower") == 30;
            if (required) check(ok, what + ", " + stage + " images not all as designed");
            else if (!ok) line("  (optional engine) %s check failed", stage);
        }
        String channels = "DAPI,FITC,DAPI-n2d,FITC-n2d";
        if (required) {
            check(channels.equals(get(k + "channels")) && channels.equals(get(k + "readBack.channels")),
                    what + ": channels " + get(k + "channels") + " / read back " + get(k + "readBack.channels"));
            check(num(k + "images") == 60 && num(k + "readBack.images") == 60, what + ": image count");
            check("true".equals(get(k + "display.twinsStyled")), what + ": twins' display settings " + get(k + "display"));
        }
    }

    private void logs(Path console, Path logDir) throws IOException {
        List<String> con = Files.readAllLines(console, StandardCharsets.ISO_8859_1);
        List<String> mm = new ArrayList<>();
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path f : files.sorted().collect(Collectors.toList())) mm.addAll(Files.readAllLines(f, StandardCharsets.ISO_8859_1));
        }
        List<String> chatter = con.stream().filter(l -> DJL_CHATTER.matcher(l).find()).collect(Collectors.toList());
        long routed = Stream.concat(con.stream(), mm.stream()).filter(l -> l.contains("[n2d-live] WARN ai.djl")).count();
        List<String> ready = mm.stream().filter(l -> l.contains("engine ready")).collect(Collectors.toList());
        // An exception or error line and the stack lines under it: the plugin's (or DJL's) when it names them.
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (int i = 0; i < mm.size(); i++) {
            String l = mm.get(i);
            if (!(l.contains("Exception") || l.contains("Error") || l.contains("[ERR"))) continue;
            boolean plugin = l.contains("n2d-live") || l.contains("org.n2dlive") || l.contains("ai.djl");
            int j = i + 1;
            for (; j < mm.size() && STACK_LINE.matcher(mm.get(j)).find(); j++) {
                plugin |= mm.get(j).contains("org.n2dlive") || mm.get(j).contains("ai.djl");
            }
            (plugin ? ours : theirs).add(l.trim());
            i = j - 1;
        }
        line("console: %d lines, %d DJL DEBUG/INFO/TRACE line(s)%s; %d '[n2d-live] WARN ai.djl' line(s)", con.size(),
                chatter.size(), chatter.isEmpty() ? "" : " e.g. " + chatter.get(0), routed);
        line("Micro-Manager log: %d lines; engine ready: %s", mm.size(), ready.isEmpty() ? "none" : ready.get(0).trim());
        line("Micro-Manager log, exceptions and errors of the plugin or DJL: %d%s", ours.size(), ours.isEmpty() ? ""
                : "\n    " + ours.stream().limit(10).collect(Collectors.joining("\n    ")));
        line("Micro-Manager log, exceptions of Micro-Manager itself (reported, not failing): %d%s", theirs.size(),
                theirs.isEmpty() ? "" : "\n    " + theirs.stream().limit(10).collect(Collectors.joining("\n    ")));
        line("network: %s URI(s) asked for: %s", get("network.count"), get("network"));
        check(chatter.isEmpty(), "DJL DEBUG/INFO lines on the console: " + chatter.size());
        check(ready.stream().anyMatch(l -> l.contains("libtorch")), "no 'engine ready ... libtorch' line in Micro-Manager's log");
        check(ours.isEmpty(), ours.size() + " exception/error(s) of the plugin or DJL in Micro-Manager's log: "
                + (ours.isEmpty() ? "" : ours.get(0)));
        check("0".equals(get("network.count")), "network access asked for: " + get("network"));
    }

    // ---------------------------------------------------------------- plumbing

    private void check(boolean ok, String what) {
        if (!ok) failures.add(what);
    }

    private void target(boolean met, String what) {
        boolean enforce = Boolean.getBoolean("n2d.e2e.enforceTargets");
        line("TARGET %s: %s%s", met ? "met" : "MISSED", what,
                met ? "" : enforce ? " (enforced)" : " (recorded as a measurement, not enforced; -Dn2d.e2e.enforceTargets=true fails on it)");
        if (enforce) check(met, "target missed: " + what);
    }

    private void line(String format, Object... args) {
        report.add(String.format(Locale.ROOT, format, args));
    }

    private String get(String key) {
        return r.getProperty(key, "");
    }

    private double num(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Its own Xvfb (24-bit, room for the windows) when xvfb-run is there; else the display given; else skip. */
    private static List<String> displayPrefix() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, "xvfb-run"))) {
                return List.of("xvfb-run", "-a", "-s", "-screen 0 1600x1200x24");
            }
        }
        Assumptions.assumeTrue(System.getenv("DISPLAY") != null || File.separatorChar == '\\'
                || System.getProperty("os.name").startsWith("Mac"), "end-to-end test skipped: no display and no xvfb-run");
        return List.of();
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int run(Path dir, Path home, Path log, int timeoutSeconds, List<String> cmd)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("HOME", home.toAbsolutePath().toString());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                Files.delete(q);
            }
        }
    }
}
