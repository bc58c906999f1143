package org.n2dlive.mm.host;

import java.util.ArrayList;
import java.util.List;
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
}
