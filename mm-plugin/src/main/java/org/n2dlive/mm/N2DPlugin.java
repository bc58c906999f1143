package org.n2dlive.mm;

import org.n2dlive.engine.EngineDefaults;
import org.micromanager.PropertyMap;
import org.micromanager.Studio;
import org.micromanager.data.ProcessorConfigurator;
import org.micromanager.data.ProcessorFactory;
import org.micromanager.data.ProcessorPlugin;
import org.n2dlive.mm.ui.N2DConfigurator;
import org.scijava.plugin.Plugin;
import org.scijava.plugin.SciJavaPlugin;

/**
 * The Micro-Manager 2.0 "On-The-Fly" image processor: live, data-free Noise2Detail denoising.
 *
 * <p>Micro-Manager creates one instance (no-argument constructor, then {@link #setContext}) and asks it
 * for a new factory whenever it builds a pipeline: every acquisition, and the live pipeline at every
 * display reset or settings change. Processors therefore come and go; the warm model, the ring and the
 * worker live in the {@link DenoiserHost} this instance owns, which outlives them, so warm start
 * survives pipeline rebuilds. Thread-safe: Micro-Manager may call it from the Swing event thread and from
 * acquisition threads.
 */
@Plugin(type = ProcessorPlugin.class)
public final class N2DPlugin implements ProcessorPlugin, SciJavaPlugin {
    private volatile Studio studio;
    private final DenoiserHost.ModelFactory modelFactory;
    private DenoiserHost host;
    private TwinDisplays twins;

    static {
        // Before any engine can load: offline, no telemetry, and a core left to Micro-Manager's camera and display.
        EngineDefaults.apply(EngineDefaults.sharedMachineThreads());
        // DJL's INFO and DEBUG lines (engine banners, probes) are not a microscopist's business: warnings only.
        LibraryLogRouting.quietDefaults();
    }

    /** As Micro-Manager creates it: cheap, the model is built on first use. */
    public N2DPlugin() {
        this(DenoiserHost.ModelFactory.WARM_START);
    }

    /** With another model factory (tests of the plugin's plumbing). */
    N2DPlugin(DenoiserHost.ModelFactory modelFactory) {
        this.modelFactory = modelFactory;
    }

    @Override
    public void setContext(Studio studio) {
        this.studio = studio;
        LibraryLogRouting.route(studio == null ? null : studio.logs());
        synchronized (this) {
            if (host != null) host.setLog(studio == null ? null : studio.logs());
        }
    }

    /** One styler per Micro-Manager session, so that each data set is styled once. */
    private synchronized TwinDisplays twins(Studio s) {
        if (twins == null) twins = new TwinDisplays(() -> s.displays().getAllImageWindows());
        return twins;
    }

    /** The long-lived owner of model, ring and worker; created on first use. */
    public synchronized DenoiserHost host() {
        if (host == null) {
            Studio s = studio;
            host = new DenoiserHost(modelFactory, s == null ? null : s.logs());
        }
        return host;
    }

    @Override
    public ProcessorConfigurator createConfigurator(PropertyMap settings) {
        return new N2DConfigurator(settings, host());
    }

    @Override
    public ProcessorFactory createFactory(PropertyMap settings) {
        Studio s = studio;
        if (s == null) {
            throw new IllegalStateException("N2D Live Denoise: setContext(studio) was not called before createFactory");
        }
        PluginSettings ps = PluginSettings.from(settings);
        DenoiserHost h = host();
        h.preload(ps); // a pipeline with this processor exists: the first Live press should not wait for the engine
        return new N2DFactory(ps, h, s, twins(s));
    }

    @Override
    public String getName() {
        return PluginInfo.NAME;
    }

    @Override
    public String getHelpText() {
        return "Denoises camera frames as they arrive with a small Noise2Detail network that adapts to the sample "
                + "while you image (no training data). Live mode shows the newest denoised frame and never slows "
                + "the display; acquisitions denoise every frame in order and, with 'keep raw', record raw and "
                + "denoised frames as two channels (<name> and <name>-n2d).";
    }

    @Override
    public String getVersion() {
        return PluginInfo.VERSION;
    }

    @Override
    public String getCopyright() {
        return "n2d-live contributors, 2026";
    }
}
