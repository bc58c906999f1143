package org.n2dlive.mm;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and platform of this build, read once from the filtered n2d-live.properties. Immutable. */
public final class PluginInfo {
    public static final String NAME = "N2D Live Denoise";
    public static final String VERSION;
    public static final String PLATFORM;

    static {
        Properties p = new Properties();
        try (InputStream in = PluginInfo.class.getResourceAsStream("n2d-live.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // Unknown version in provenance is better than a plugin that fails to load.
        }
        VERSION = p.getProperty("version", "unknown");
        PLATFORM = p.getProperty("platform", "unknown");
    }

    private PluginInfo() {
    }
}
