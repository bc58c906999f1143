package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.n2dlive.mm.ui.N2DConfigurator;

/** The plugin's settings in {@link MicroManager}'s strictly typed PropertyMap. */
class PluginSettingsTest {

    private static PluginSettings custom() {
        return PluginSettings.defaults().toBuilder()
                .profile("quality").engine("onnx").device("cpu").adaptSteps(3)
                .livePolicy("LIVE").acquisitionPolicy("LIVE").keepRaw(false).ringMemoryMb(64)
                .mode("acquisition").weightsFile("/tmp/w.bin").build();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        PluginSettings s = PluginSettings.from(PropertyMaps.emptyPropertyMap());
        assertEquals("balanced", s.profile());
        assertEquals("auto", s.engine());
        assertEquals("auto", s.device());
        assertEquals(-1, s.adaptSteps());
        assertEquals("LIVE", s.livePolicy());
        assertEquals("RECORD", s.acquisitionPolicy());
        assertTrue(s.keepRaw(), "keep raw is on by default for acquisitions");
        assertEquals(256, s.ringMemoryMb());
        assertEquals("auto", s.mode());
        assertEquals("", s.weightsFile());
        assertTrue(s.problems().isEmpty());
    }

    @Test
    void roundTripsThroughAStrictPropertyMap() {
        PluginSettings s = custom();
        PropertyMap map = s.writeTo(PropertyMaps.builder()).build();
        // Each key is stored with its one type (Micro-Manager's map throws on a read with another type).
        assertEquals(Integer.class, MicroManager.valueType(map, PluginSettings.KEY_ADAPT_STEPS));
        assertEquals(Boolean.class, MicroManager.valueType(map, PluginSettings.KEY_KEEP_RAW));
        assertEquals(String.class, MicroManager.valueType(map, PluginSettings.KEY_ENGINE));
        assertThrows(MicroManager.TYPE_MISMATCH, () -> map.getString(PluginSettings.KEY_ADAPT_STEPS, ""));
        PluginSettings back = PluginSettings.from(map);
        assertEquals(s, back);
        assertTrue(back.problems().isEmpty(), back.problems().toString());
    }

    @Test
    void wrongTypesAndValuesFallBackToDefaultsWithoutThrowing() {
        PropertyMap map = PropertyMaps.builder()
                .putString(PluginSettings.KEY_ADAPT_STEPS, "5")     // written as a string
                .putInteger(PluginSettings.KEY_KEEP_RAW, 1)          // written as an integer
                .putString(PluginSettings.KEY_ENGINE, "tensorflow")  // not a choice
                .putInteger(PluginSettings.KEY_RING_MB, 1)           // below the minimum
                .putString(PluginSettings.KEY_DEVICE, "GPU")         // case is forgiven
                .build();
        PluginSettings s = PluginSettings.from(map);
        assertEquals(-1, s.adaptSteps());
        assertTrue(s.keepRaw());
        assertEquals("auto", s.engine());
        assertEquals(256, s.ringMemoryMb());
        assertEquals("gpu", s.device());
        assertEquals(4, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("'adaptSteps'") && p.contains("integer")));
    }

    @Test
    void builderRejectsBadValuesWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginSettings.defaults().toBuilder().livePolicy("FAST"));
        assertTrue(e.getMessage().contains("livePolicy") && e.getMessage().contains("FAST"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.defaults().toBuilder().ringMemoryMb(0));
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.defaults().toBuilder().profile(" ").build());
    }

    @Test
    void modelKeyChangesOnlyWithModelSettings() {
        PluginSettings a = custom();
        assertEquals(a.modelKey(), a.toBuilder().keepRaw(true).ringMemoryMb(512).livePolicy("RECORD").build().modelKey());
        assertFalse(a.modelKey().equals(a.toBuilder().adaptSteps(4).build().modelKey()));
        assertFalse(a.modelKey().equals(a.toBuilder().device("gpu").build().modelKey()));
    }

    @Test
    void configuratorHandsBackWhatItWasGivenAndKeepsForeignKeys() {
        PluginSettings s = custom();
        PropertyMap saved = s.writeTo(PropertyMaps.builder().putString("someoneElse", "x")).build();
        N2DPlugin plugin = new N2DPlugin();
        N2DConfigurator conf = (N2DConfigurator) plugin.createConfigurator(saved);
        try {
            PropertyMap out = conf.getSettings();
            assertEquals(s, PluginSettings.from(out));
            assertEquals("x", out.getString("someoneElse", null));
        } finally {
            conf.cleanup();
        }
    }
}
