package org.n2dlive.mm.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.micromanager.data.ProcessorPlugin;
import org.scijava.annotations.Index;
import org.scijava.annotations.IndexItem;
import org.scijava.plugin.Plugin;

/**
 * Code that runs on Micro-Manager's side of the class loaders in the jar tests: it is loaded by the
 * loader that holds the MMStudio types and scijava-common (as Micro-Manager's own loader does), and
 * reaches the plugin only through the loader of the plugin jar. Refers to no plugin class by name.
 */
public final class MmSide {
    private MmSide() {
    }

    /**
     * Finds processor plugins the way Micro-Manager does (SciJava's annotation index, type
     * ProcessorPlugin), creates each with its no-argument constructor, and returns "class|name|version".
     */
    public static List<String> discover(ClassLoader pluginLoader) throws Exception {
        List<String> found = new ArrayList<>();
        for (IndexItem<Plugin> item : Index.load(Plugin.class, pluginLoader)) {
            if (item.annotation().type() != ProcessorPlugin.class) continue;
            Class<?> c = pluginLoader.loadClass(item.className());
            Object o = c.getDeclaredConstructor().newInstance();
            ProcessorPlugin p = (ProcessorPlugin) o;
            p.setContext(new SimStudio());
            found.add(item.className() + "|" + p.getName() + "|" + p.getVersion());
        }
        return found;
    }

    /**
     * Runs an acquisition of {@code frames} noisy 16-bit frames (w × h, one channel, raw kept) through the
     * plugin found in {@code pluginLoader}, with this thread's context class loader set to Micro-Manager's
     * loader (which has no DJL: the plugin must find its engine itself). Returns one line per output
     * image: "channel t passedThrough adaptationSteps fingerprint", then "LOG <line>" for each log line.
     */
    public static List<String> runAcquisition(ClassLoader pluginLoader, String profile, int frames, int w, int h)
            throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(MmSide.class.getClassLoader());
        SimStudio studio = new SimStudio();
        List<String> lines = new ArrayList<>();
        try {
            ProcessorPlugin plugin = null;
            for (IndexItem<Plugin> item : Index.load(Plugin.class, pluginLoader)) {
                if (item.annotation().type() == ProcessorPlugin.class) {
                    plugin = (ProcessorPlugin) pluginLoader.loadClass(item.className()).getDeclaredConstructor().newInstance();
                }
            }
            if (plugin == null) throw new IllegalStateException("no processor plugin in the jar");
            plugin.setContext(studio);
            PropertyMap settings = SimPropertyMap.builder().putString("profile", profile).putBoolean("keepRaw", true).build();
            try (SimPipeline acq = new SimPipeline(plugin, settings, SimPipeline.Kind.ACQUISITION)) {
                acq.insertSummary(SimSummary.of(frames, "GFP"));
                Random r = new Random(7);
                for (int t = 0; t < frames; t++) {
                    short[] p = new short[w * h];
                    for (int i = 0; i < p.length; i++) {
                        double clean = 3000 + 2000 * Math.sin((i % w) * 0.25) * Math.cos((i / w) * 0.2);
                        p[i] = (short) Math.max(0, Math.min(65535, Math.round(clean + 400 * r.nextGaussian())));
                    }
                    acq.insert(SimImage.gray16(p, w, h, SimCoords.of(0, t)));
                }
                acq.halt();
                if (!acq.violations().isEmpty()) throw new IllegalStateException("pipeline rules broken: " + acq.violations());
                for (Image i : acq.outputs()) {
                    PropertyMap u = i.getMetadata().getUserData();
                    lines.add(i.getCoords().getChannel() + " " + i.getCoords().getTimePoint() + " "
                            + u.getBoolean("n2d-live.passedThrough", false) + " "
                            + u.getInteger("n2d-live.adaptationSteps", -1) + " "
                            + u.getString("n2d-live.weightsFingerprint", "-"));
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        for (String l : studio.log().lines()) lines.add("LOG " + l);
        return lines;
    }
}
