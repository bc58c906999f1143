package org.n2dlive.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.micromanager.data.Image;
import org.micromanager.data.ProcessorPlugin;
import org.scijava.annotations.Index;
import org.scijava.annotations.IndexItem;
import org.scijava.plugin.Plugin;

/**
 * Code that runs on Micro-Manager's side of the class loaders in the jar tests: loaded by the loader that holds
 * Micro-Manager's side ({@link JarFixtures#micromanagerLoader()}), it reaches the plugin only through the loader of
 * the plugin jar and refers to no plugin class by name.
 */
public final class MmSide {
    private MmSide() {
    }

    private static List<ProcessorPlugin> plugins(ClassLoader pluginLoader, StudioStandIn studio) throws Exception {
        List<ProcessorPlugin> found = new ArrayList<>();
        for (IndexItem<Plugin> item : Index.load(Plugin.class, pluginLoader)) {
            Class<?> type;
            try {
                type = item.annotation().type();
            } catch (RuntimeException e) {
                continue; // an indexed plugin whose type cannot load here (a real installation's other plugins): Micro-Manager skips it too
            }
            if (type != ProcessorPlugin.class) continue;
            ProcessorPlugin p = (ProcessorPlugin) pluginLoader.loadClass(item.className()).getDeclaredConstructor().newInstance();
            p.setContext(studio.studio());
            found.add(p);
        }
        return found;
    }

    /**
     * Finds processor plugins the way Micro-Manager does (SciJava's annotation index, type ProcessorPlugin),
     * creates each with its no-argument constructor, and returns "class|name|version".
     */
    public static List<String> discover(ClassLoader pluginLoader) throws Exception {
        List<String> found = new ArrayList<>();
        for (ProcessorPlugin p : plugins(pluginLoader, new StudioStandIn())) {
            found.add(p.getClass().getName() + "|" + p.getName() + "|" + p.getVersion());
        }
        return found;
    }

    /**
     * Runs an acquisition of {@code frames} noisy 16-bit frames (one channel, raw kept) through the plugin found in
     * {@code pluginLoader}, in {@link MicroManager}'s asynchronous pipeline and store, with this thread's context
     * class loader set to Micro-Manager's loader (which has no DJL: the plugin must find its engine itself).
     * Returns one line per image of the frozen store: "channel t passedThrough adaptationSteps fingerprint
     * mseToCleanScene", then "ERROR <exception>" for each exception the pipeline recorded, then "LOG <line>".
     */
    public static List<String> runAcquisition(ClassLoader pluginLoader, String profile, int frames, int size)
            throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(MmSide.class.getClassLoader());
        StudioStandIn studio = new StudioStandIn();
        List<String> lines = new ArrayList<>();
        try {
            List<ProcessorPlugin> found = plugins(pluginLoader, studio);
            if (found.size() != 1) throw new IllegalStateException("processor plugins in the jar: " + found);
            ProcessorPlugin plugin = found.get(0);
            PropertyMap settings = PropertyMaps.builder().putString("profile", profile).putBoolean("keepRaw", true).build();
            Acquisition acq = new Acquisition(plugin, settings);
            acq.start(Acquisition.summary(frames, "GFP"), false);
            acq.save(frames, t -> Camera.noisy16(size, size, t, 300));
            acq.finish();
            for (int c = 0; c < 2; c++) {
                for (Image i : acq.channel(c)) {
                    PropertyMap u = i.getMetadata().getUserData();
                    lines.add(String.format(Locale.ROOT, "%d %d %s %d %s %.1f", c, i.getCoords().getTimePoint(),
                            u.getBoolean("n2d-live.passedThrough", false), u.getInteger("n2d-live.adaptationSteps", -1),
                            u.getString("n2d-live.weightsFingerprint", "-"), Camera.mseToClean(i)));
                }
            }
            for (Object e : acq.errors) lines.add("ERROR " + e);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        for (String l : studio.lines()) lines.add("LOG " + l);
        return lines;
    }
}
