package org.n2dlive.mm;

import java.util.function.UnaryOperator;
import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.micromanager.data.Image;

/**
 * Shortcuts for the tests: plugins as Micro-Manager makes them, settings in strictly typed
 * property maps. Stateless.
 */
final class Plugins {
    private Plugins() {
    }

    /** A plugin as Micro-Manager makes it (then setContext), with a test model factory. */
    static N2DPlugin plugin(StudioStandIn studio, DenoiserHost.ModelFactory models) {
        N2DPlugin p = new N2DPlugin(models);
        p.setContext(studio.studio());
        return p;
    }

    /** A plugin exactly as Micro-Manager makes it: no-argument constructor (the real model), then setContext. */
    static N2DPlugin real(StudioStandIn studio) {
        N2DPlugin p = new N2DPlugin();
        p.setContext(studio.studio());
        return p;
    }

    /** The plugin's settings as Micro-Manager saves them (a strictly typed PropertyMap). */
    static PropertyMap settings(UnaryOperator<PluginSettings.Builder> edit) {
        return edit.apply(PluginSettings.defaults().toBuilder()).build().writeTo(PropertyMaps.builder()).build();
    }

    static boolean passedThrough(Image i) {
        return i.getMetadata().getUserData().getBoolean(Provenance.PASSED_THROUGH, false);
    }

    static String fingerprint(Image i) {
        return i.getMetadata().getUserData().getString(Provenance.WEIGHTS, "");
    }

    static int steps(Image i) {
        return i.getMetadata().getUserData().getInteger(Provenance.ADAPT_STEPS, -1);
    }

    /** Asserts the plugin-level identity in = out + dropped + unsupported (once every pipeline is cleaned up). */
    static Telemetry.Snapshot settledTelemetry(N2DPlugin plugin) {
        Telemetry.Snapshot s = plugin.host().telemetry().snapshot(System.nanoTime());
        if (s.inFlight() != 0) {
            throw new AssertionError("in " + s.framesIn + " != out " + s.framesOut + " + dropped " + s.dropped
                    + " + unsupported " + s.unsupported);
        }
        return s;
    }
}
