package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.n2dlive.mm.ui.N2DConfigurator;
import org.n2dlive.profile.ProfileKey;

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
        // Profile overrides under the profile's key names, as its text: Strings (the map throws on another type).
        assertEquals("3", map.getString(ProfileKey.ADAPT_STEPS.key(), null));
        assertEquals(String.class, MicroManager.valueType(map, ProfileKey.KEEP_RAW.key()));
        assertEquals(String.class, MicroManager.valueType(map, ProfileKey.ENGINE.key()));
        assertThrows(MicroManager.TYPE_MISMATCH, () -> map.getInteger(ProfileKey.ADAPT_STEPS.key(), 0));
        PluginSettings back = PluginSettings.from(map);
        assertEquals(s, back);
        assertTrue(back.problems().isEmpty(), back.problems().toString());
        assertEquals(-1, PluginSettings.from(s.toBuilder().adaptSteps(-1).build().writeTo(map.copyBuilder()).build())
                .adaptSteps(), "an override taken back leaves the profile's value");
    }

    @Test
    void settingsSavedUnderTheOldNamesAreReadAndWrittenBackUnderTheProfilesNames() {
        PropertyMap old = PropertyMaps.builder().putString("profile", "quality").putString("engine", "onnx")
                .putInteger("adaptSteps", 3).putString("livePolicy", "RECORD").putString("acquisitionPolicy", "LIVE")
                .putBoolean("keepRaw", false).putInteger("ringMemoryMb", 64).build();
        PluginSettings s = PluginSettings.from(old);
        assertTrue(s.problems().isEmpty(), s.problems().toString());
        assertEquals(custom().toBuilder().mode("auto").weightsFile("").device("auto").livePolicy("RECORD").build(), s);
        PropertyMap saved = s.writeTo(old.copyBuilder()).build();
        for (String name : new String[] {"adaptSteps", "acquisitionPolicy", "keepRaw", "ringMemoryMb"}) {
            assertFalse(saved.containsKey(name), name + " is written under the profile's name");
        }
        assertEquals("false", saved.getString(ProfileKey.KEEP_RAW.key(), null));
        assertEquals(s, PluginSettings.from(saved));
    }

    @Test
    void engineAndDeviceAutoLeaveTheProfilesChoiceAndTheOtherOverridesApply() throws Exception {
        org.n2dlive.profile.Profile file = org.n2dlive.profile.Profile.builtIn("balanced").with("engine", "onnx")
                .with("device", "cpu").with("keep_raw", "false");
        org.n2dlive.profile.Profile p = PluginSettings.defaults().applyTo(file);
        assertEquals("onnx", p.get(ProfileKey.ENGINE), "auto: the profile file's engine");
        assertEquals("cpu", p.get(ProfileKey.DEVICE), "auto: the profile file's device");
        assertEquals("true", p.get(ProfileKey.KEEP_RAW), "the plugin's keep-raw default overrides");
        PluginSettings chosen = PluginSettings.defaults().toBuilder().engine("pytorch").device("gpu").build();
        assertEquals("pytorch", chosen.applyTo(file).get(ProfileKey.ENGINE));
        assertEquals("gpu", chosen.applyTo(file).get(ProfileKey.DEVICE));
    }

    @Test
    void wrongTypesAndValuesFallBackToDefaultsWithoutThrowing() {
        PropertyMap map = PropertyMaps.builder()
                .putInteger(ProfileKey.ADAPT_STEPS.key(), 5)          // written as an integer
                .putString(ProfileKey.KEEP_RAW.key(), "maybe")        // not allowed
                .putString(ProfileKey.ENGINE.key(), "tensorflow")     // not a choice
                .putString(ProfileKey.RING_MEMORY_MB.key(), "1")      // below the minimum
                .putString(ProfileKey.DEVICE.key(), "GPU")            // case is forgiven
                .build();
        PluginSettings s = PluginSettings.from(map);
        assertEquals(-1, s.adaptSteps());
        assertTrue(s.keepRaw());
        assertEquals("auto", s.engine());
        assertEquals(256, s.ringMemoryMb());
        assertEquals("gpu", s.device());
        assertEquals(4, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("'adapt_steps'") && p.contains("type")));
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("'ring_memory_mb'") && p.contains("16..65536")));
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
