package org.n2dlive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.GpuSetup;

/**
 * {@code n2d gpu use / clear / status} on a machine without a GPU. The settings file is a temporary one
 * ({@code -Dn2d.gpu.config}); no test leaves a usable-looking folder in it while another command starts, so nothing
 * here can hand DJL a fake libtorch.
 */
class GpuCommandTest {
    @TempDir
    Path tmp;
    private String before;
    private Path config;

    @BeforeEach
    void settingsHere() {
        before = System.getProperty(GpuSetup.CONFIG_PROPERTY);
        config = tmp.resolve("settings/gpu.properties");
        System.setProperty(GpuSetup.CONFIG_PROPERTY, config.toString());
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty(GpuSetup.CONFIG_PROPERTY);
        else System.setProperty(GpuSetup.CONFIG_PROPERTY, before);
    }

    private Path fakeLibtorch(String buildVersion, boolean cuda) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("libtorch-" + buildVersion));
        Files.createDirectories(root.resolve("lib"));
        Files.createFile(root.resolve("lib/libtorch.so"));
        if (cuda) Files.createFile(root.resolve("lib/libtorch_cuda.so"));
        Files.write(root.resolve("build-version"), buildVersion.getBytes(StandardCharsets.UTF_8));
        return root;
    }

    @Test
    void useRefusesAFolderWithoutLibtorchAndSavesNothing() throws Exception {
        String[] r = CliRun.capture("gpu", "use", Files.createDirectories(tmp.resolve("empty")).toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("not saved: no libtorch in"), r[2]);
        assertFalse(Files.exists(config));
    }

    @Test
    void useRefusesACpuLibtorch() throws Exception {
        String[] r = CliRun.capture("gpu", "use", fakeLibtorch("2.7.1+cpu", false).toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("a CPU-only libtorch"), r[2]);
        assertFalse(Files.exists(config));
    }

    @Test
    void useSavesACudaLibtorchAndClearRemovesIt() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "the fake folder has Linux file names");
        Path folder = fakeLibtorch("2.7.1+cu128", true);
        String[] r = CliRun.capture("gpu", "use", folder.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("GPU folder saved in " + config), r[1]);
        assertTrue(r[1].contains("2.7.1+cu128"), r[1]);
        assertEquals(folder.toAbsolutePath(), GpuSetup.readFolder(config));
        // Before the next command starts (which would apply it where a driver is visible), point it at a folder
        // that cannot be used: clear must work on any setting.
        GpuSetup.writeFolder(config, tmp.resolve("gone"));
        r = CliRun.capture("gpu", "clear");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("warning: the GPU folder " + tmp.resolve("gone")), "a bad setting is reported: " + r[2]);
        assertFalse(Files.exists(config));
    }

    @Test
    void statusSaysWhyTheCpuIsUsed() {
        assumeTrue(Devices.gpuCount() == 0, "a usable GPU is present: this test is about its absence");
        String[] r = CliRun.capture("gpu", "status", "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals("cpu", o.get("device").getAsString());
        assertNotEquals("gpu", o.get("reason").getAsString());
        assertFalse(o.get("why").getAsString().isEmpty());
        assertEquals(config.toString(), o.get("settings_file").getAsString());
        assertTrue(o.get("loaded").getAsString().startsWith("libtorch from "), r[1]);
        String[] text = CliRun.capture("gpu", "status");
        assertTrue(text[1].contains("why"), text[1]);
    }
}
