package org.n2dlive.e2e;

import com.google.common.eventbus.Subscribe;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import mmcorej.CMMCore;
import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.micromanager.Studio;
import org.micromanager.acquisition.ChannelSpec;
import org.micromanager.acquisition.SequenceSettings;
import org.micromanager.data.Coords;
import org.micromanager.data.DataProvider;
import org.micromanager.data.DataProviderHasNewImageEvent;
import org.micromanager.data.Datastore;
import org.micromanager.data.Image;
import org.micromanager.data.ProcessorPlugin;
import org.micromanager.display.ChannelDisplaySettings;
import org.micromanager.display.DisplaySettings;
import org.micromanager.display.DisplayWindow;
import org.micromanager.display.internal.event.DataViewerAddedEvent;
import org.micromanager.internal.MMStudio;

/**
 * The Micro-Manager side of the end-to-end test: runs in MMStudio's JVM (started by {@code MicroManagerE2eIT} with
 * a private profile, the demo configuration and the plugin jar in the plugin folder), drives the real application
 * through the Studio API and writes what it saw to {@code <out>/results.properties}; the test judges it.
 *
 * <p>Scenarios, each recorded even when an earlier one failed: live without the plugin (raw noise, frame rate);
 * the plugin added with {@code addAndConfigureProcessor} (default settings: balanced) and live pressed (every image
 * reaching the live view: arrival time, denoised provenance or not, noise); each other profile; the default
 * pattern; frame rates with and without the plugin again; an MDA of 2 channels x 3 z x 5 time points with keep-raw,
 * saved in Micro-Manager's preferred format and read back, in both acquisition engines. Screenshots of the live view,
 * the configurator and the data set window. Every URI the JVM asks a proxy for is recorded with its caller.
 */
public final class E2eDriver {
    static final String PLUGIN_CLASS = "org.n2dlive.mm.N2DPlugin";
    // Provenance keys (org.n2dlive.mm.Provenance): the plugin's classes live in MMStudio's plugin class loader.
    static final String PROFILE_KEY = "n2d-live.profile";
    static final String PASSED_THROUGH_KEY = "n2d-live.passedThrough";

    private final Path out;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<String> network = Collections.synchronizedList(new ArrayList<>());
    private final LiveRecorder recorder = new LiveRecorder();
    private Studio studio;
    private CMMCore core;
    private ProcessorPlugin plugin;
    private double rawNoise = Double.NaN;

    private E2eDriver(Path out) {
        this.out = out;
    }

    public static void main(String[] args) {
        E2eDriver d = new E2eDriver(Paths.get(System.getProperty("n2d.e2e.out", "e2e-out")));
        int rc = 0;
        try {
            d.run();
        } catch (Throwable t) {
            d.put("fatal", stack(t));
            t.printStackTrace();
            rc = 1;
        }
        try {
            d.write();
        } catch (IOException e) {
            e.printStackTrace();
            rc = 2;
        }
        System.out.println("E2E driver done, rc=" + rc);
        System.exit(rc);
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        ProxySelector.setDefault(new RecordingProxySelector()); // before the plugins load
        long t0 = System.nanoTime();
        MMStudio mm = new MMStudio(false, null);
        studio = mm;
        core = studio.core();
        put("mm.startSeconds", secs(System.nanoTime() - t0));
        put("mm.version", mm.compat().getVersion());
        put("mm.core", core.getVersionInfo());
        put("mm.config", mm.getSysConfigFile());
        put("machine.load1", loadAverage());
        studio.displays().registerForEvents(recorder);

        for (int i = 0; i < 600 && plugin == null; i++) {
            plugin = studio.plugins().getProcessorPlugins().get(PLUGIN_CLASS);
            if (plugin == null) Thread.sleep(100);
        }
        put("plugin.found", plugin != null);
        if (plugin == null) throw new IllegalStateException("MMStudio did not load " + PLUGIN_CLASS);
        put("plugin.name", plugin.getName() + " " + plugin.getVersion());

        if (CAMERA_SIDE != 512) {
            cameraSize();
            return;
        }
        camera("Noise");
        step("live.none", this::liveWithoutPlugin);
        step("live.balanced", () -> {
            long a = System.nanoTime();
            onEdt(() -> studio.data().addAndConfigureProcessor(plugin)); // what the menu does: default settings
            Thread.sleep(3000); // a user glancing at the configurator; the plugin preloads the engine meanwhile
            screenshot(findFrame("N2D Live Denoise"), "configurator.png");
            put("plugin.addedSeconds", secs(System.nanoTime() - a));
            LiveRun r = live("balanced", 10);
            screenshot(studio.live().getDisplay() == null ? null : studio.live().getDisplay().getWindow(),
                    "live-view.png");
            return r;
        });
        for (String profile : new String[] {"live-fast", "quality", "record"}) {
            step("live." + profile, () -> {
                usePipeline(settings(profile, false));
                return live(profile, 6);
            });
        }
        step("live.pattern", () -> {
            usePipeline(settings("balanced", false));
            camera(System.getProperty("n2d.e2e.patternMode", "Artificial Waves"));
            try {
                return live("pattern", 6);
            } finally {
                camera("Noise");
            }
        });
        step("rate.with", () -> live("rate-with", 10));
        step("rate.without", () -> {
            usePipeline(null);
            return live("rate-without", 10);
        });

        usePipeline(settings("record", true));
        step("mda.clj", () -> mda("clj", false));
        if (!Boolean.getBoolean("n2d.e2e.skipAcqEngJ")) step("mda.acqengj", () -> mda("acqengj", true));
        usePipeline(null);
        put("network.count", network.size());
        put("network", String.join(" | ", network));
    }

    // ---------------------------------------------------------------- live mode

    /** Live for {@code seconds}, every image reaching the live view recorded from the moment Live is pressed. */
    private LiveRun live(String label, double seconds) throws Exception {
        LiveRun run = new LiveRun(label);
        recorder.start(run);
        onEdt(() -> studio.live().setLiveModeOn(true));
        Thread.sleep((long) (seconds * 1000));
        onEdt(() -> studio.live().setLiveModeOn(false));
        for (int i = 0; i < 500 && (studio.live().isLiveModeOn() || core.isSequenceRunning()); i++) Thread.sleep(10);
        onEdt(() -> { }); // images already queued on the Swing thread arrive
        recorder.stop();
        run.seconds = seconds;
        run.report(this);
        return run;
    }

    /**
     * The camera-size run ({@code -Dn2d.e2e.cameraSide=N}, N ≠ 512): the DemoCamera at N×N, live without the plugin,
     * then with it for 30 s on the profile {@code -Dn2d.e2e.cameraProfile} (default live-fast, the CPU profile for
     * camera-size frames), then the JVM's peak resident memory. The 512² program does not run.
     */
    private void cameraSize() throws Exception {
        String profile = System.getProperty("n2d.e2e.cameraProfile", "live-fast");
        camera("Noise");
        put("cameraSize.profile", profile);
        step("live.none", this::liveWithoutPlugin);
        put("cameraSize.rssBeforeMb", f(residentMb("VmRSS")));
        step("live.camera", () -> {
            usePipeline(settings(profile, false));
            return live("camera", 30);
        });
        step("live.camera-without", () -> {
            usePipeline(null);
            return live("camera-without", 10);
        });
        put("cameraSize.peakRssMb", f(residentMb("VmHWM")));
        put("network.count", network.size());
        put("network", String.join(" | ", network));
    }

    /** A line of /proc/self/status in MB (Linux; NaN elsewhere). */
    private static double residentMb(String field) {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** 10 s of live mode without the plugin: the raw frames' noise, which the denoised images are judged against. */
    private LiveRun liveWithoutPlugin() throws Exception {
        usePipeline(null);
        LiveRun r = live("none", 10);
        rawNoise = r.medianRawNoise();
        put("rawNoise", f(rawNoise));
        return r;
    }

    /** Side of the square camera image: 512, or {@code -Dn2d.e2e.cameraSide} for the camera-size run. */
    static final int CAMERA_SIDE = Integer.getInteger("n2d.e2e.cameraSide", 512);

    /** Sets the DemoCamera: {@link #CAMERA_SIDE}², 16 bit, the given mode ("Noise": a flat field with shot and read noise). */
    private void camera(String mode) throws Exception {
        String cam = core.getCameraDevice();
        if (core.hasProperty(cam, "PixelType")) core.setProperty(cam, "PixelType", "16bit");
        if (core.hasProperty(cam, "Mode")) {
            put("camera.modes", String.join(",", core.getAllowedPropertyValues(cam, "Mode")));
            core.setProperty(cam, "Mode", mode);
        }
        if (CAMERA_SIDE != 512 && core.hasProperty(cam, "OnCameraCCDXSize")) {
            core.setProperty(cam, "OnCameraCCDXSize", String.valueOf(CAMERA_SIDE));
            core.setProperty(cam, "OnCameraCCDYSize", String.valueOf(CAMERA_SIDE));
        }
        core.setROI(0, 0, CAMERA_SIDE, CAMERA_SIDE);
        put("camera", String.format(Locale.ROOT, "%s %dx%d %d-bit (BitDepth %d) exposure %.1f ms",
                cam, core.getImageWidth(), core.getImageHeight(), 8 * core.getBytesPerPixel(),
                core.getImageBitDepth(), core.getExposure()));
    }

    static PropertyMap settings(String profile, boolean keepRaw) {
        return PropertyMaps.builder().putString("profile", profile).putBoolean("keepRaw", keepRaw).build();
    }

    /** The application pipeline: nothing, or the plugin with these settings (its configurator opens, as in the UI). */
    private void usePipeline(PropertyMap settings) throws Exception {
        onEdt(() -> {
            studio.data().clearPipeline();
            if (settings != null) studio.data().addConfiguredProcessor(plugin.createConfigurator(settings), plugin);
        });
    }

    /** Every image reaching the live view's data store (a new store at each display reset: registered at once). */
    public final class LiveRecorder {
        private volatile LiveRun run;
        private volatile long t0;

        void start(LiveRun r) {
            t0 = System.nanoTime();
            run = r;
        }

        void stop() {
            run = null;
        }

        @Subscribe
        public void onViewerAdded(DataViewerAddedEvent e) {
            DataProvider p = e.getDataViewer().getDataProvider();
            if (p != null && "Snap/Live".equals(p.getName())) p.registerForEvents(this);
        }

        @Subscribe
        public void onNewImage(DataProviderHasNewImageEvent e) {
            LiveRun r = run;
            if (r == null) return;
            Image im = e.getImage();
            PropertyMap user = im.getMetadata().getUserData();
            boolean ours = user != null && user.containsKey(PROFILE_KEY);
            boolean flagged = ours && user.getBoolean(PASSED_THROUGH_KEY, false);
            Long nr = im.getMetadata().getImageNumber();
            r.add((System.nanoTime() - t0) / 1e6, ours && !flagged, flagged, noise(im), nr == null ? -1 : nr);
        }
    }

    /** One live session's images in arrival order. */
    final class LiveRun {
        final String label;
        final List<double[]> rows = Collections.synchronizedList(new ArrayList<>()); // ms, denoised, noise, nr, flagged
        double seconds;

        LiveRun(String label) {
            this.label = label;
        }

        /** {@code flagged}: the plugin's image, passed through raw because a check refused its denoising (guard). */
        void add(double ms, boolean denoised, boolean flagged, double noise, long nr) {
            rows.add(new double[] {ms, denoised ? 1 : 0, noise, nr, flagged ? 1 : 0});
        }

        double medianRawNoise() {
            double[] n = rows.stream().filter(r -> r[1] == 0).mapToDouble(r -> r[2]).sorted().toArray();
            return n.length == 0 ? Double.NaN : n[n.length / 2];
        }

        void report(E2eDriver d) {
            List<double[]> rs;
            synchronized (rows) {
                rs = new ArrayList<>(rows);
            }
            String k = "live." + label + ".";
            int firstDenoised = -1;
            int rawAfter = 0;
            int guardedAfter = 0;
            int denoisedCount = 0;
            for (int i = 0; i < rs.size(); i++) {
                if (rs.get(i)[1] == 1) {
                    denoisedCount++;
                    if (firstDenoised < 0) firstDenoised = i;
                } else if (firstDenoised >= 0 && rs.get(i)[4] == 1) {
                    guardedAfter++;
                } else if (firstDenoised >= 0) {
                    rawAfter++;
                }
            }
            d.put(k + "guardedAfterFirstDenoised", guardedAfter);
            d.put(k + "images", rs.size());
            d.put(k + "denoised", denoisedCount);
            d.put(k + "rawAfterFirstDenoised", rawAfter);
            d.put(k + "firstImageMs", rs.isEmpty() ? "" : f(rs.get(0)[0]));
            d.put(k + "firstDenoisedMs", firstDenoised < 0 ? "" : f(rs.get(firstDenoised)[0]));
            d.put(k + "rawNoise", f(medianRawNoise()));
            // Rates in the steady part: from 2 s after pressing Live to the end.
            List<double[]> steady = rs.stream().filter(r -> r[0] >= 2000).collect(Collectors.toList());
            double span = seconds - 2;
            d.put(k + "imagesPerSecond", f(steady.size() / span));
            long nrs = steady.stream().filter(r -> r[3] >= 0).count();
            if (nrs > 1) {
                double lo = steady.stream().filter(r -> r[3] >= 0).mapToDouble(r -> r[3]).min().getAsDouble();
                double hi = steady.stream().filter(r -> r[3] >= 0).mapToDouble(r -> r[3]).max().getAsDouble();
                double ms = steady.get(steady.size() - 1)[0] - steady.get(0)[0];
                d.put(k + "cameraFramesPerSecond", f((hi - lo) / (ms / 1000)));
            }
            double half = d.rawNoise / 2;
            if (!Double.isNaN(half) && firstDenoised >= 0) {
                int first = -1;
                int sustained = -1;
                for (int i = 0; i < rs.size(); i++) {
                    boolean ok = rs.get(i)[1] == 1 && rs.get(i)[2] <= half;
                    if (ok && first < 0) first = i;
                    if (ok && sustained < 0) sustained = i;
                    if (!ok) sustained = -1;
                }
                d.put(k + "halfNoiseFirstMs", first < 0 ? "" : f(rs.get(first)[0]));
                d.put(k + "halfNoiseSustainedMs", sustained < 0 ? "" : f(rs.get(sustained)[0]));
                double[] tail = rs.subList(Math.max(firstDenoised, rs.size() - 10), rs.size()).stream()
                        .mapToDouble(r -> r[2]).sorted().toArray();
                d.put(k + "endNoise", f(tail[tail.length / 2]));
            }
            // The series, compactly: ms:noise followed by r (raw), g (refused by the guard, raw) or d (denoised).
            d.put(k + "series", rs.stream().limit(400).map(r -> String.format(Locale.ROOT, "%.0f:%.2f%s", r[0], r[2],
                    r[1] == 1 ? "d" : r[4] == 1 ? "g" : "r")).collect(Collectors.joining(" ")));
        }
    }

    // ---------------------------------------------------------------- acquisition

    /** 2 channels x 3 z x 5 time points with keep-raw, saved in the preferred format, checked, read back, checked. */
    private Object mda(String label, boolean acqEngJ) throws Exception {
        String k = "mda." + label + ".";
        MMStudio mm = (MMStudio) studio;
        mm.settings().setShouldUseAcqEngJ(acqEngJ);
        try {
            ArrayList<ChannelSpec> channels = new ArrayList<>();
            for (String c : new String[] {"DAPI", "FITC"}) {
                channels.add(new ChannelSpec.Builder().channelGroup("Channel").config(c).exposure(10)
                        .doZStack(true).useChannel(true).build());
            }
            Path root = out.resolve("data");
            Files.createDirectories(root);
            Datastore.SaveMode mode = studio.data().getPreferredSaveMode();
            SequenceSettings seq = new SequenceSettings.Builder()
                    .numFrames(5).intervalMs(0).useFrames(true)
                    .channelGroup("Channel").channels(channels).useChannels(true)
                    .slices(new ArrayList<>(Arrays.asList(-1.0, 0.0, 1.0))).relativeZSlice(true).useSlices(true)
                    .sliceZBottomUm(-1).sliceZTopUm(1).sliceZStepUm(1)
                    .save(true).root(root.toString()).prefix("mda-" + label).saveMode(mode)
                    .shouldDisplayImages(true).build();
            put(k + "saveMode", mode);
            long t0 = System.nanoTime();
            Datastore store = studio.acquisitions().runAcquisitionWithSettings(seq, true);
            for (int i = 0; i < 1200 && studio.acquisitions().isAcquisitionRunning(); i++) Thread.sleep(50);
            put(k + "seconds", secs(System.nanoTime() - t0));
            put(k + "images", store.getNumImages());
            put(k + "channels", String.join(",", store.getSummaryMetadata().getChannelNameList()));
            checkImages(k + "acquired.", store);
            displaySettings(k, store, label);
            String path = store.getSavePath();
            put(k + "path", path);
            for (DisplayWindow w : studio.displays().getDisplays(store)) onEdt(w::close);
            // The engine freezes the store after isAcquisitionRunning() turns false; a freeze() of ours meanwhile
            // returns at once (DefaultDatastore marks it frozen, then writes out while holding its monitor), and a
            // close() then cuts off the last writes. Wait for that freeze to finish.
            for (int i = 0; i < 600 && !store.isFrozen(); i++) Thread.sleep(50);
            store.freeze();
            synchronized (store) {
                // held by the engine's freeze until the storage has written everything
            }
            store.close();
            Datastore back = studio.data().loadData(path, false);
            put(k + "readBack.images", back.getNumImages());
            put(k + "readBack.channels", String.join(",", back.getSummaryMetadata().getChannelNameList()));
            checkImages(k + "readBack.", back);
            back.close();
            return null;
        } finally {
            mm.settings().setShouldUseAcqEngJ(false);
        }
    }

    /** Each raw image and its twin (channel c + 2): present, the twin denoised from that very frame, mean, noise. */
    private void checkImages(String k, DataProvider store) throws IOException {
        List<String> names = store.getSummaryMetadata().getChannelNameList();
        int raw = names.size() / 2;
        int pairs = 0;
        int complete = 0;
        int sameFrame = 0;
        int provenance = 0;
        int meanKept = 0;
        int noiseLower = 0;
        double worstMeanPct = 0;
        double rawNoiseSum = 0;
        double twinNoiseSum = 0;
        List<String> problems = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            for (int z = 0; z < 3; z++) {
                for (int c = 0; c < raw; c++) {
                    pairs++;
                    Coords rc = store.getAnyImage().getCoords().copyBuilder().t(t).z(z).c(c).build();
                    Image r = store.getImage(rc);
                    Image d = store.getImage(rc.copyBuilder().c(c + raw).build());
                    if (r == null || d == null) {
                        problems.add("t" + t + " z" + z + " c" + c + (r == null ? " raw" : "") + (d == null ? " twin" : "")
                                + " missing");
                        continue;
                    }
                    complete++;
                    if (java.util.Objects.equals(r.getMetadata().getImageNumber(), d.getMetadata().getImageNumber())
                            && java.util.Objects.equals(r.getMetadata().getElapsedTimeMs(),
                            d.getMetadata().getElapsedTimeMs())) {
                        sameFrame++;
                    } else if (problems.size() < 5) {
                        problems.add("t" + t + " z" + z + " c" + c + ": twin of frame " + d.getMetadata().getImageNumber()
                                + ", raw " + r.getMetadata().getImageNumber());
                    }
                    PropertyMap user = d.getMetadata().getUserData();
                    if (user != null && user.containsKey(PROFILE_KEY) && !user.getBoolean(PASSED_THROUGH_KEY, false)) {
                        provenance++;
                    }
                    double mr = mean(r);
                    double md = mean(d);
                    double pct = 100 * Math.abs(md - mr) / Math.max(1e-9, mr);
                    worstMeanPct = Math.max(worstMeanPct, pct);
                    if (pct <= 3) meanKept++;
                    double nr = noise(r);
                    double nd = noise(d);
                    rawNoiseSum += nr;
                    twinNoiseSum += nd;
                    if (nd < nr) noiseLower++;
                }
            }
        }
        put(k + "pairs", pairs);
        put(k + "complete", complete);
        put(k + "sameFrame", sameFrame);
        put(k + "provenance", provenance);
        put(k + "meanKept3pct", meanKept);
        put(k + "worstMeanDiffPct", f(worstMeanPct));
        put(k + "noiseLower", noiseLower);
        put(k + "rawNoise", f(rawNoiseSum / Math.max(1, complete)));
        put(k + "twinNoise", f(twinNoiseSum / Math.max(1, complete)));
        put(k + "problems", String.join("; ", problems));
    }

    /** The data set window's channel settings, once the plugin had its chance to style them (it retries ~10 s). */
    private void displaySettings(String k, Datastore store, String label) throws Exception {
        List<DisplayWindow> ws = Collections.emptyList();
        String seen = "";
        for (int i = 0; i < 60; i++) {
            ws = studio.displays().getDisplays(store);
            if (!ws.isEmpty()) {
                DisplaySettings s = ws.get(0).getDisplaySettings();
                seen = channelSettings(s, store.getSummaryMetadata().getChannelNameList());
                if (!s.getChannelSettings(0).isVisible()) break;
            }
            Thread.sleep(250);
        }
        put(k + "windows", ws.size());
        put(k + "display", seen);
        if (!ws.isEmpty()) {
            DisplaySettings s = ws.get(0).getDisplaySettings();
            put(k + "display.colorMode", s.getColorMode());
            boolean styled = true;
            for (int c = 0; c < 2; c++) {
                ChannelDisplaySettings r = s.getChannelSettings(c);
                ChannelDisplaySettings t = s.getChannelSettings(c + 2);
                styled &= !r.isVisible() && t.isVisible() && r.getColor().equals(t.getColor());
            }
            put(k + "display.twinsStyled", styled);
            if ("clj".equals(label)) screenshot(ws.get(0).getWindow(), "dataset-window.png");
        }
    }

    private static String channelSettings(DisplaySettings s, List<String> names) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            ChannelDisplaySettings cs = s.getChannelSettings(c);
            Color col = cs.getColor();
            parts.add(String.format(Locale.ROOT, "%s=#%06x/%s", names.get(c), col.getRGB() & 0xffffff,
                    cs.isVisible() ? "shown" : "hidden"));
        }
        return String.join(",", parts);
    }

    // ---------------------------------------------------------------- measures

    /** Noise by neighbour differences along rows: sqrt(mean((x[i+1]-x[i])^2) / 2). */
    static double noise(Image im) {
        int w = im.getWidth();
        int h = im.getHeight();
        Object px = im.getRawPixels();
        double sum = 0;
        long n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = y * w; x < y * w + w - 1; x++) {
                double d = value(px, x + 1) - value(px, x);
                sum += d * d;
                n++;
            }
        }
        return Math.sqrt(sum / n / 2);
    }

    static double mean(Image im) {
        Object px = im.getRawPixels();
        int n = im.getWidth() * im.getHeight();
        double sum = 0;
        for (int i = 0; i < n; i++) sum += value(px, i);
        return sum / n;
    }

    private static double value(Object px, int i) {
        return px instanceof short[] ? (((short[]) px)[i] & 0xffff) : (((byte[]) px)[i] & 0xff);
    }

    // ---------------------------------------------------------------- screenshots, network, plumbing

    private static Window findFrame(String titlePrefix) {
        for (Window w : Window.getWindows()) {
            if (w instanceof JFrame && w.isShowing() && ((JFrame) w).getTitle().startsWith(titlePrefix)) return w;
        }
        return null;
    }

    /** The window as on screen (Robot, under the test's Xvfb), scaled to at most 640 px wide, into out/shots. */
    private void screenshot(Window w, String name) {
        if (w == null) {
            put("screenshot." + name, "no window");
            return;
        }
        try {
            AtomicReference<Rectangle> bounds = new AtomicReference<>();
            onEdt(() -> {
                w.toFront();
                bounds.set(w.getBounds());
            });
            Thread.sleep(1000);
            BufferedImage shot = new Robot().createScreenCapture(bounds.get());
            double scale = Math.min(1, 640.0 / shot.getWidth());
            int sw = (int) Math.round(shot.getWidth() * scale);
            int sh = (int) Math.round(shot.getHeight() * scale);
            BufferedImage small = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = small.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(shot, 0, 0, sw, sh, null);
            g.dispose();
            Path dir = out.resolve("shots");
            Files.createDirectories(dir);
            ImageIO.write(small, "png", dir.resolve(name).toFile());
            put("screenshot." + name, sw + "x" + sh);
        } catch (Exception e) {
            put("screenshot." + name, "failed: " + e);
        }
    }

    /** Records every URI this JVM would connect to (HTTP(S) and plain sockets ask it), with who asked. */
    final class RecordingProxySelector extends ProxySelector {
        @Override
        public List<Proxy> select(URI uri) {
            String caller = "?";
            for (StackTraceElement e : new Throwable().getStackTrace()) {
                String c = e.getClassName();
                if (c.startsWith("java.") || c.startsWith("sun.") || c.startsWith("jdk.") || c.equals(getClass().getName())) {
                    continue;
                }
                caller = c + "." + e.getMethodName();
                break;
            }
            String entry = uri + " from " + caller;
            network.add(entry);
            System.out.println("E2E network: " + entry);
            return Collections.singletonList(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        }
    }

    interface Step {
        Object run() throws Exception;
    }

    private void step(String name, Step s) {
        long t0 = System.nanoTime();
        System.out.println("E2E step " + name);
        try {
            s.run();
            put(name + ".ok", true);
        } catch (Throwable t) {
            put(name + ".ok", false);
            put(name + ".error", stack(t));
            t.printStackTrace();
        }
        System.out.println("E2E step " + name + " took " + secs(System.nanoTime() - t0) + " s");
    }

    interface EdtAction {
        void run() throws Exception;
    }

    private static void onEdt(EdtAction a) throws Exception {
        AtomicReference<Exception> err = new AtomicReference<>();
        Runnable r = () -> {
            try {
                a.run();
            } catch (Exception e) {
                err.set(e);
            }
        };
        if (SwingUtilities.isEventDispatchThread()) r.run();
        else SwingUtilities.invokeAndWait(r);
        if (err.get() != null) throw err.get();
    }

    synchronized void put(String key, Object value) {
        String v = String.valueOf(value).replace('\n', ' ').replace('\r', ' ');
        results.put(key, v);
        if (v.length() < 300) System.out.println("E2E " + key + "=" + v);
    }

    private synchronized void write() throws IOException {
        Files.createDirectories(out);
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : results.entrySet()) sb.append(e.getKey()).append('=').append(e.getValue())
                .append('\n');
        Files.write(out.resolve("results.properties"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String loadAverage() {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return String.valueOf(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String secs(long nanos) {
        return f(nanos / 1e9);
    }

    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }
}
