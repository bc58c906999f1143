package org.n2dlive.mm;

import org.micromanager.Studio;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorFactory;

/**
 * Creates processors for one pipeline; depends only on the settings it was made with (and the plugin's
 * long-lived host). Immutable; createProcessor is cheap: no model, ring or thread is made here.
 */
final class N2DFactory implements ProcessorFactory {
    private final PluginSettings settings;
    private final DenoiserHost host;
    private final Studio studio;
    private final TwinDisplays twins;
    private final CameraSequence sequence;

    N2DFactory(PluginSettings settings, DenoiserHost host, Studio studio, TwinDisplays twins) {
        this.twins = twins;
        this.sequence = new CameraSequence(studio, host.log());
        this.settings = settings;
        this.host = host;
        this.studio = studio;
    }

    @Override
    public Processor createProcessor() {
        return new N2DProcessor(settings, host, studio.data(), twins, sequence);
    }

    PluginSettings settings() {
        return settings;
    }
}
