// Long-session benchmark of the plugin in a real Micro-Manager (issue 24, item 6): live mode for N minutes, then an
// acquisition of F time points with keep-raw, sampling the JVM's resident memory and heap. Prints one JSON line per
// sample and a summary line. Not a test: run by hand, figures go to docs/benchmarks.md.
//
// A single-file program run against a real installation (MM = its folder) and the plugin jar in a plugin folder:
//   cd $MM && HOME=$PRIVATE_HOME java -cp "$MM/ij.jar:$MM/plugins/Micro-Manager/*" MmLongSession.java setup MMConfig_demo.cfg
//   cd $MM && HOME=$PRIVATE_HOME xvfb-run -a java -Xmx2g --add-opens java.desktop/java.awt=ALL-UNNAMED \
//       --add-opens java.desktop/java.awt.color=ALL-UNNAMED -Dorg.micromanager.plugin.path=$PLUGINS \
//       -cp "$MM/ij.jar:$MM/plugins/Micro-Manager/*" MmLongSession.java run 30 2000 [SAVE_DIR]
// -Dn2d.bench.plugin=false runs the same session without the plugin (the control).
// With SAVE_DIR the acquisition is saved there in Micro-Manager's default format (its RAM datastore would otherwise
// grow by 2 x 512 KB a time point) and read back from disk to count its images.
// "setup" prepares the user profile so that Micro-Manager starts with that configuration and no dialog (its own JVM:
// the profile stays locked until the JVM exits). Micro-Manager's internal classes are used only here, to start it.

import com.google.common.eventbus.Subscribe;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.micromanager.PropertyMaps;
import org.micromanager.Studio;
import org.micromanager.acquisition.SequenceSettings;
import org.micromanager.data.Coordinates;
import org.micromanager.data.DataProviderHasNewImageEvent;
import org.micromanager.data.Datastore;
import org.micromanager.data.Image;
import org.micromanager.data.ProcessorPlugin;
import org.micromanager.display.DisplayWindow;

public final class MmLongSession {
    static final AtomicLong liveImages = new AtomicLong();
    static final AtomicLong liveDenoised = new AtomicLong();

    public static final class Counter {
        @Subscribe
        public void onNewImage(DataProviderHasNewImageEvent e) {
            liveImages.incrementAndGet();
            if (e.getImage().getMetadata().getUserData().containsKey("n2d-live.profile")) liveDenoised.incrementAndGet();
        }
    }

    public static void main(String[] a) throws Exception {
        try {
            if (a[0].equals("setup")) setup(a[1]);
            else run(Double.parseDouble(a[1]), Integer.parseInt(a[2]), a.length > 3 ? a[3] : null);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void setup(String cfg) throws Exception {
        org.micromanager.profile.internal.UserProfileAdmin admin = org.micromanager.profile.internal.UserProfileAdmin.create();
        org.micromanager.UserProfile profile = admin.getProfile();
        org.micromanager.internal.StartupSettings s = org.micromanager.internal.StartupSettings.create(profile);
        s.setSkipProfileSelectionAtStartup(true);
        s.setSkipConfigSelectionAtStartup(true);
        profile.getSettings(org.micromanager.profile.internal.gui.HardwareConfigurationManager.class)
                .putStringList("RECENTLY_USED", Collections.singletonList(Paths.get(cfg).toAbsolutePath().toString()));
        admin.shutdown();
    }

    static void run(double minutes, int frames, String saveDir) throws Exception {
        Studio studio = new org.micromanager.internal.MMStudio(false, null);
        studio.core().setProperty(studio.core().getCameraDevice(), "Mode", "Noise");
        ProcessorPlugin plugin = null;
        for (ProcessorPlugin p : studio.plugins().getProcessorPlugins().values()) {
            if (p.getClass().getName().equals("org.n2dlive.mm.N2DPlugin")) plugin = p;
        }
        if (plugin == null) throw new IllegalStateException("the n2d-live plugin is not in the plugin folder");
        // -Dn2d.bench.plugin=false: the same session without the plugin in the pipeline (the control)
        if (Boolean.parseBoolean(System.getProperty("n2d.bench.plugin", "true"))) {
            studio.data().addConfiguredProcessor(plugin.createConfigurator(PropertyMaps.builder()
                    .putString("profile", "balanced").putString("policy", "record").putString("keep_raw", "true")
                    .build()), plugin);
        }

        long t0 = System.nanoTime();
        studio.live().setLiveModeOn(true);
        DisplayWindow w = null;
        for (int i = 0; i < 6000 && (w = studio.live().getDisplay()) == null; i++) Thread.sleep(10);
        if (w == null) throw new IllegalStateException("no live display");
        w.getDataProvider().registerForEvents(new Counter());
        long end = t0 + (long) (minutes * 60e9);
        long lastImages = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(30_000);
            long n = liveImages.get();
            sample("live", t0, n - lastImages, 30);
            lastImages = n;
        }
        studio.live().setLiveModeOn(false);
        while (studio.live().isLiveModeOn()) Thread.sleep(10);

        SequenceSettings s = studio.acquisitions().getAcquisitionSettings().copyBuilder().useFrames(true)
                .numFrames(frames).intervalMs(0).useChannels(false).useSlices(false).save(saveDir != null)
                .root(saveDir == null ? "" : saveDir).prefix("long").saveMode(studio.data().getPreferredSaveMode())
                .shouldDisplayImages(false).build();
        long a0 = System.nanoTime();
        Thread sampler = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(30_000);
                    sample("acquisition", t0, -1, 30);
                }
            } catch (InterruptedException e) {
                // done
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        Datastore store = studio.acquisitions().runAcquisitionWithSettings(s, true);
        while (studio.acquisitions().isAcquisitionRunning()) Thread.sleep(50);
        sampler.interrupt();
        double as = (System.nanoTime() - a0) / 1e9;
        int images = store.getNumImages();
        int onDisk = -1;
        int twins = 0; // time points with both the raw image and its "-n2d" twin, read back
        int flagged = 0; // twins passed through raw (the model was behind, or refused the frame)
        if (saveDir != null) {
            String path = store.getSavePath();
            awaitEngineFreeze(store);
            store.close();
            Datastore back = studio.data().loadData(path, true); // virtual: a 2 GB data set loaded to RAM asks first (a dialog)
            onDisk = back.getNumImages();
            for (int t = 0; t < frames; t++) {
                Image raw = back.getImage(Coordinates.builder().t(t).c(0).build());
                Image den = back.getImage(Coordinates.builder().t(t).c(1).build());
                if (raw == null || den == null) continue;
                twins++;
                if (den.getMetadata().getUserData().getBoolean("n2d-live.passedThrough", false)) flagged++;
            }
            back.close();
        }
        sample("after", t0, -1, 1);
        System.out.printf(Locale.ROOT, "{\"summary\":true,\"live_minutes\":%.1f,\"live_images\":%d,\"live_denoised\":%d,"
                + "\"acq_frames\":%d,\"acq_images\":%d,\"acq_images_read_back\":%d,\"acq_expected\":%d,\"acq_s\":%.1f,"
                + "\"acq_time_points_with_both\":%d,\"acq_denoised_flagged_raw\":%d}%n",
                minutes, liveImages.get(), liveDenoised.get(), frames, images, onDisk, 2 * frames, as, twins, flagged);
    }

    /**
     * The engine freezes the store when the acquisition ends, after isAcquisitionRunning() turns false; a freeze()
     * of ours meanwhile returns at once (DefaultDatastore marks the store frozen, then finishes writing while holding
     * its monitor), and a close() then cuts off the last writes (ClosedChannelException, an image short on disk).
     */
    static void awaitEngineFreeze(Datastore store) throws Exception {
        for (int i = 0; i < 600 && !store.isFrozen(); i++) Thread.sleep(50);
        store.freeze();
        synchronized (store) {
            // the freeze in progress holds this monitor until the storage has written everything
        }
    }

    /** VmRSS read every 250 ms, so that each sample also gives the lowest and highest RSS since the one before. */
    static final AtomicLong rssMinKb = new AtomicLong(Long.MAX_VALUE);
    static final AtomicLong rssMaxKb = new AtomicLong();

    static {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    long kb = rssKb();
                    rssMinKb.accumulateAndGet(kb, Math::min);
                    rssMaxKb.accumulateAndGet(kb, Math::max);
                    Thread.sleep(250);
                }
            } catch (Exception e) {
                // the JVM is exiting
            }
        }, "rss sampler");
        t.setDaemon(true);
        t.start();
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }

    static void sample(String phase, long t0, long images, int seconds) throws Exception {
        long rss = rssKb();
        long lo = rssMinKb.getAndSet(Long.MAX_VALUE);
        long hi = rssMaxKb.getAndSet(0);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "{\"phase\":\"%s\",\"t_s\":%.0f,\"rss_mb\":%.1f,\"rss_window_min_mb\":%.1f,"
                + "\"rss_window_max_mb\":%.1f,\"heap_mb\":%.1f,\"images_per_s\":%.2f}%n",
                phase, (System.nanoTime() - t0) / 1e9, rss / 1024.0, Math.min(lo, rss) / 1024.0, Math.max(hi, rss) / 1024.0,
                heap / 1048576.0, images < 0 ? Double.NaN : images / (double) seconds);
    }
}
