package org.n2dlive.mm;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.n2dlive.mm.host.SimImage;
import org.n2dlive.mm.host.SimPropertyMap;
import org.n2dlive.mm.host.SimStudio;

/** Shortcuts for the pipeline tests. Stateless. */
final class Harness {
    private Harness() {
    }

    /** A plugin as Micro-Manager makes it (then setContext), with a test model factory. */
    static N2DPlugin plugin(SimStudio studio, DenoiserHost.ModelFactory models) {
        N2DPlugin p = new N2DPlugin(models);
        p.setContext(studio);
        return p;
    }

    static PropertyMap settings(UnaryOperator<PluginSettings.Builder> edit) {
        return edit.apply(PluginSettings.defaults().toBuilder()).build().writeTo(SimPropertyMap.builder()).build();
    }

    static List<Image> inChannel(List<Image> images, int channel) {
        return images.stream().filter(i -> i.getCoords().getChannel() == channel).collect(Collectors.toList());
    }

    static boolean passedThrough(Image i) {
        return i.getMetadata().getUserData().getBoolean(Provenance.PASSED_THROUGH, false);
    }

    static int value(Image i, int index) {
        return ((SimImage) i).value(index);
    }
}
