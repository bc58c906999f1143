package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.GpuSetup.Host;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU folder setting without a GPU: folder layouts made of empty files (what {@link GpuSetup#check} looks at is
 * file names and the version files), a stand-in for DJL's JNI jar, the settings file, the reasons, and what is set as
 * DJL's properties. Nothing here loads a libtorch or touches the JVM's system properties.
 */
class GpuSetupTest {
    @TempDir
    Path tmp;

    /** A JNI "jar" as DJL 0.36 publishes it: jnilib/pytorch.properties and the cpu and cu128 libraries. */
    private ClassLoader jniJar(String jniVersion, String... libs) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("jni-jar-" + jniVersion));
        Files.createDirectories(root.resolve("jnilib"));
        Files.write(root.resolve("jnilib/pytorch.properties"), ("jni_version=" + jniVersion + "\n").getBytes(StandardCharsets.UTF_8));
        for (String lib : libs) touch(root.resolve("jnilib").resolve(lib));
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    private Host linux(boolean driver, Map<String, String> env, ClassLoader jni) {
        return new Host(GpuSetup.Os.LINUX, "linux-x86_64", driver, env, tmp.resolve("cache"), jni);
    }

    private Host linux(ClassLoader jni) {
        return linux(true, Collections.emptyMap(), jni);
    }

    private static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        if (!Files.exists(p)) Files.createFile(p);
        return p;
    }

    /** A libtorch download's layout: lib/ with the libraries, build-version beside it. */
    private Path libtorch(String name, String buildVersion, boolean cuda) throws IOException {
        Path root = Files.createDirectories(tmp.resolve(name));
        touch(root.resolve("lib/libtorch.so"));
        touch(root.resolve("lib/libtorch_cpu.so"));
        touch(root.resolve("lib/libc10.so"));
        if (cuda) {
            touch(root.resolve("lib/libtorch_cuda.so"));
            touch(root.resolve("lib/libc10_cuda.so"));
        }
        if (buildVersion != null) Files.write(root.resolve("build-version"), (buildVersion + "\n").getBytes(StandardCharsets.UTF_8));
        return root;
    }

    private ClassLoader djl() throws IOException {
        return jniJar("2.7.1-0.36.0", "linux-x86_64/cpu/libdjl_torch.so", "linux-x86_64/cu128/libdjl_torch.so",
                "win-x86_64/cu128/djl_torch.dll");
    }

    @Test
    void aCuda128LibtorchUsesTheJniTheBuildCarries() throws IOException {
        Path root = libtorch("libtorch", "2.7.1+cu128", true);
        GpuSetup.Folder f = GpuSetup.check(root, linux(djl()));
        assertTrue(f.ok(), f.message);
        assertEquals(root.resolve("lib").toAbsolutePath(), f.libDir);
        assertEquals("2.7.1", f.version);
        assertEquals("cu128", f.flavor);
        assertTrue(f.jni.contains("jnilib/linux-x86_64/cu128/libdjl_torch.so"), f.jni);
        // the lib folder itself may be chosen too
        assertTrue(GpuSetup.check(root.resolve("lib"), linux(djl())).ok());
    }

    @Test
    void theRealJniJarCarriesTheCuda128LibraryForThisPlatform() throws IOException {
        // Guards the assumption above against the pytorch-jni jar the build really uses (on the test class path).
        assertTrue(GpuSetup.class.getClassLoader().getResource("jnilib/linux-x86_64/cu128/libdjl_torch.so") != null,
                "DJL's pytorch-jni jar has the CUDA 12.8 JNI for linux-x86_64");
        GpuSetup.Folder f = GpuSetup.check(libtorch("real", "2.7.1+cu128", true), linux(GpuSetup.class.getClassLoader()));
        assertTrue(f.ok(), f.message);
    }

    @Test
    void noSuchFolderAFileAndAFolderWithoutLibtorch() throws IOException {
        Host h = linux(djl());
        GpuSetup.Folder missing = GpuSetup.check(tmp.resolve("nowhere"), h);
        assertEquals(GpuSetup.Reason.NO_SUCH_FOLDER, missing.reason);
        assertTrue(missing.message.contains("no such folder"), missing.message);
        assertEquals(GpuSetup.Reason.NO_SUCH_FOLDER, GpuSetup.check(touch(tmp.resolve("file.txt")), h).reason);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        touch(empty.resolve("lib/libc10.so"));
        GpuSetup.Folder none = GpuSetup.check(empty, h);
        assertEquals(GpuSetup.Reason.NO_LIBTORCH, none.reason);
        assertTrue(none.message.contains("lib/libtorch.so"), none.message);
        assertFalse(none.ok());
    }

    @Test
    void aCpuLibtorchGivenAsAGpuOneIsRefused() throws IOException {
        GpuSetup.Folder f = GpuSetup.check(libtorch("cpu", "2.7.1+cpu", false), linux(djl()));
        assertEquals(GpuSetup.Reason.CPU_LIBTORCH, f.reason);
        assertTrue(f.message.contains("no libtorch_cuda.so"), f.message);
        // a CUDA library present but the version file says cpu: still not a CUDA build
        assertEquals(GpuSetup.Reason.CPU_LIBTORCH, GpuSetup.check(libtorch("odd", "2.7.1+cpu", true), linux(djl())).reason);
    }

    @Test
    void theJniMissingOrNotMatching() throws IOException {
        GpuSetup.Folder other = GpuSetup.check(libtorch("t251", "2.5.1+cu124", true), linux(djl()));
        assertEquals(GpuSetup.Reason.JNI_MISMATCH, other.reason);
        assertTrue(other.message.contains("2.5.1+cu124") && other.message.contains("2.7.1"), other.message);
        GpuSetup.Folder cu126 = GpuSetup.check(libtorch("t126", "2.7.1+cu126", true), linux(djl()));
        assertEquals(GpuSetup.Reason.JNI_MISSING, cu126.reason);
        assertTrue(cu126.message.contains("cpu and cu128 only"), cu126.message);
        assertEquals(GpuSetup.Reason.JNI_MISSING,
                GpuSetup.check(libtorch("nojar", "2.7.1+cu128", true), linux(null)).reason, "no JNI jar on the class path");

        // A JNI library placed in lib/ (DJL looks there first), or in DJL's cache folder, makes them usable.
        Path withJni = libtorch("t251b", "2.5.1+cu124", true);
        touch(withJni.resolve("lib/libdjl_torch.so"));
        GpuSetup.Folder ok = GpuSetup.check(withJni, linux(djl()));
        assertTrue(ok.ok(), ok.message);
        assertEquals(withJni.resolve("lib/libdjl_torch.so").toAbsolutePath().toString(), ok.jni);
        touch(tmp.resolve("cache/2.7.1-cu126-linux-x86_64/0.36.0-libdjl_torch.so"));
        assertTrue(GpuSetup.check(libtorch("t126b", "2.7.1+cu126", true), linux(djl())).ok());
    }

    @Test
    void versionFromAPythonTorchPackage() throws IOException {
        Path torch = Files.createDirectories(tmp.resolve("site-packages/torch"));
        touch(torch.resolve("lib/libtorch.so"));
        touch(torch.resolve("lib/libtorch_cuda.so"));
        // Linux's default wheel: no "+cuNNN" in the version; version.py's cuda says which
        Files.write(torch.resolve("version.py"), ("from typing import Optional\n__version__ = '2.7.1'\ndebug = False\n"
                + "cuda: Optional[str] = '12.6'\nhip: Optional[str] = None\n").getBytes(StandardCharsets.UTF_8));
        GpuSetup.Folder f = GpuSetup.check(torch, linux(djl()));
        assertEquals("2.7.1", f.version);
        assertEquals("cu126", f.flavor);
        assertEquals(GpuSetup.Reason.JNI_MISSING, f.reason, "2.7.1+cu126: DJL publishes no JNI for it");
        Files.write(torch.resolve("version.py"), "__version__ = '2.7.1+cu128'\ncuda: Optional[str] = '12.8'\n"
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(GpuSetup.check(torch, linux(djl())).ok());
        Files.delete(torch.resolve("version.py"));
        GpuSetup.Folder unknown = GpuSetup.check(torch, linux(djl()));
        assertEquals(GpuSetup.Reason.UNKNOWN_VERSION, unknown.reason);
        assertTrue(unknown.message.contains("build-version") && unknown.message.contains("version.py"), unknown.message);
    }

    @Test
    void windowsAndMacLayouts() throws IOException {
        Path win = Files.createDirectories(tmp.resolve("win/libtorch"));
        touch(win.resolve("lib/torch.dll"));
        Files.write(win.resolve("build-version"), "2.7.1+cu128".getBytes(StandardCharsets.UTF_8));
        Host windows = new Host(GpuSetup.Os.WINDOWS, "win-x86_64", true, Collections.emptyMap(), null, djl());
        assertEquals(GpuSetup.Reason.CPU_LIBTORCH, GpuSetup.check(win, windows).reason, "no torch_cuda.dll");
        touch(win.resolve("lib/torch_cuda.dll"));
        GpuSetup.Folder ok = GpuSetup.check(win, windows);
        assertTrue(ok.ok(), ok.message);
        assertTrue(ok.jni.contains("win-x86_64/cu128/djl_torch.dll"), ok.jni);
        assertEquals(GpuSetup.Reason.NO_LIBTORCH, GpuSetup.check(libtorch("linux-on-win", "2.7.1+cu128", true), windows).reason,
                "Linux libraries are no libtorch for Windows");

        Path mac = Files.createDirectories(tmp.resolve("mac/libtorch"));
        touch(mac.resolve("lib/libtorch.dylib"));
        Host macos = new Host(GpuSetup.Os.MAC, "osx-aarch64", false, Collections.emptyMap(), null, djl());
        assertEquals(GpuSetup.Reason.MACOS, GpuSetup.check(mac, macos).reason);
    }

    @Test
    void settingsRoundTrip() throws IOException {
        Path config = tmp.resolve("home/.n2d-live/gpu.properties");
        assertNull(GpuSetup.readFolder(config), "no file: no folder");
        Path folder = libtorch("libtorch", "2.7.1+cu128", true);
        GpuSetup.writeFolder(config, folder);
        assertEquals(folder.toAbsolutePath(), GpuSetup.readFolder(config));
        try (java.util.stream.Stream<Path> s = Files.list(config.getParent())) {
            assertEquals(1, s.count(), "no temporary file left beside it");
        }
        Path other = libtorch("other", "2.7.1+cu128", true);
        GpuSetup.writeFolder(config, other);
        assertEquals(other.toAbsolutePath(), GpuSetup.readFolder(config), "overwritten");
        GpuSetup.writeFolder(config, null);
        assertFalse(Files.exists(config));
        assertNull(GpuSetup.readFolder(config));

        Files.createDirectories(config.getParent());
        Files.write(config, "libtorch.folder=C:\\\\x\\u12\n".getBytes(StandardCharsets.ISO_8859_1));
        IOException bad = assertThrows(IOException.class, () -> GpuSetup.readFolder(config));
        assertTrue(bad.getMessage().contains(config.toString()), bad.getMessage());
        Files.write(config, "# nothing set\n".getBytes(StandardCharsets.UTF_8));
        assertNull(GpuSetup.readFolder(config));
    }

    @Test
    void everyReasonForTheCpu() throws IOException {
        Path config = tmp.resolve("gpu.properties");
        Path good = libtorch("good", "2.7.1+cu128", true);
        GpuSetup.Folder ok = GpuSetup.check(good, linux(djl()));
        GpuSetup.Folder cpu = GpuSetup.check(libtorch("cpu", "2.7.1+cpu", false), linux(djl()));
        GpuSetup.Loaded bundled = new GpuSetup.Loaded("/home/u/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64", false, null);
        GpuSetup.Loaded fromGood = new GpuSetup.Loaded(ok.libDir.toString(), false, null);

        assertEquals(GpuSetup.Reason.GPU, decide(linux(djl()), good, ok, new GpuSetup.Loaded(ok.libDir.toString(), true, null)).reason);
        GpuSetup.Status s = decide(linux(false, Collections.emptyMap(), djl()), good, ok, bundled);
        assertEquals(GpuSetup.Reason.NO_DRIVER, s.reason);
        assertNull(s.settingsProblem, "the folder is fine");
        assertEquals("cpu", s.device());
        assertTrue(s.summary().startsWith("CPU: no NVIDIA driver"), s.summary());
        assertEquals(GpuSetup.Reason.MACOS, decide(new Host(GpuSetup.Os.MAC, "osx-aarch64", false, Collections.emptyMap(),
                null, null), null, null, bundled).reason);
        GpuSetup.Status env = decide(linux(true, Collections.singletonMap("PYTORCH_LIBRARY_PATH", "/opt/t/lib"), djl()), good, ok, bundled);
        assertEquals(GpuSetup.Reason.ENVIRONMENT, env.reason);
        assertTrue(env.message.contains("/opt/t/lib"), env.message);
        GpuSetup.Status none = decide(linux(djl()), null, null, bundled);
        assertEquals(GpuSetup.Reason.NOT_CONFIGURED, none.reason);
        assertTrue(none.message.contains("n2d gpu use"), none.message);
        GpuSetup.Status badFile = GpuSetup.decide(linux(djl()), config, null, "unreadable", null, bundled, null);
        assertEquals(GpuSetup.Reason.BAD_SETTINGS_FILE, badFile.reason);
        assertTrue(badFile.message.contains("unreadable") && badFile.settingsProblem.contains("unreadable"), badFile.message);
        GpuSetup.Status cpuFolder = decide(linux(djl()), cpu.given, cpu, bundled);
        assertEquals(GpuSetup.Reason.CPU_LIBTORCH, cpuFolder.reason);
        assertTrue(cpuFolder.message.startsWith("the GPU folder is not usable: a CPU-only libtorch"), cpuFolder.message);
        GpuSetup.Status cpuFolderNoDriver = decide(linux(false, Collections.emptyMap(), djl()), cpu.given, cpu, bundled);
        assertEquals(GpuSetup.Reason.NO_DRIVER, cpuFolderNoDriver.reason);
        assertTrue(cpuFolderNoDriver.settingsProblem.contains("a CPU-only libtorch"), "still reported as a settings problem");
        GpuSetup.Status late = decide(linux(djl()), good, ok, bundled);
        assertEquals(GpuSetup.Reason.ENGINE_ALREADY_LOADED, late.reason, "PyTorch came from elsewhere: loaded before");
        assertTrue(late.message.contains("next start"), late.message);
        GpuSetup.Status noCuda = decide(linux(djl()), good, ok, fromGood);
        assertEquals(GpuSetup.Reason.CUDA_NOT_AVAILABLE, noCuda.reason);
        assertTrue(noCuda.message.contains("cu128"), noCuda.message);
        GpuSetup.Status pending = decide(linux(djl()), good, ok, null);
        assertEquals(GpuSetup.Reason.PENDING, pending.reason);
        assertEquals("not loaded yet", pending.device());
        assertTrue(pending.summary().startsWith("GPU when PyTorch starts"), pending.summary());
        GpuSetup.Status failed = GpuSetup.decide(linux(djl()), config, good, null, ok,
                new GpuSetup.Loaded(null, false, "EngineException: Cannot download jni files"), ok.libDir.toString());
        assertEquals(GpuSetup.Reason.ENGINE_FAILED, failed.reason);
        assertEquals("none", failed.device());
        assertTrue(failed.message.contains(ok.libDir.toString()) && failed.message.contains("Cannot download"), failed.message);
    }

    private GpuSetup.Status decide(Host h, Path folder, GpuSetup.Folder f, GpuSetup.Loaded loaded) {
        return GpuSetup.decide(h, tmp.resolve("gpu.properties"), folder, null, f, loaded, null);
    }

    @Test
    void applyingSetsDjlsPropertiesOnlyWhenTheFolderWillBeUsed() throws IOException {
        Path config = tmp.resolve("gpu.properties");
        Path good = libtorch("good", "2.7.1+cu128", true);
        GpuSetup.writeFolder(config, good);

        Properties p = new Properties();
        GpuSetup.Status s = GpuSetup.apply(config, linux(djl()), null, p);
        assertEquals(GpuSetup.Reason.PENDING, s.reason, s.message);
        assertEquals(good.resolve("lib").toAbsolutePath().toString(), p.getProperty("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.7.1", p.getProperty("PYTORCH_VERSION"));
        assertEquals("cu128", p.getProperty("PYTORCH_FLAVOR"));
        assertEquals("true", p.getProperty("ai.djl.offline"), "no download: a missing piece is an error");

        Properties noDriver = new Properties();
        assertEquals(GpuSetup.Reason.NO_DRIVER, GpuSetup.apply(config, linux(false, Collections.emptyMap(), djl()), null, noDriver).reason);
        assertNoLibtorchSet(noDriver, "no driver: the bundled CPU libtorch stays");
        Properties env = new Properties();
        GpuSetup.apply(config, linux(true, Collections.singletonMap("PYTORCH_LIBRARY_PATH", "/opt/t/lib"), djl()), null, env);
        assertNoLibtorchSet(env, "the environment chooses");
        Properties loaded = new Properties();
        GpuSetup.Status late = GpuSetup.apply(config, linux(djl()), new GpuSetup.Loaded("/x/lib", false, null), loaded);
        assertNoLibtorchSet(loaded, "PyTorch already loaded: too late to set");
        assertEquals(GpuSetup.Reason.ENGINE_ALREADY_LOADED, late.reason);

        GpuSetup.writeFolder(config, libtorch("cpu", "2.7.1+cpu", false));
        Properties bad = new Properties();
        assertEquals(GpuSetup.Reason.CPU_LIBTORCH, GpuSetup.apply(config, linux(djl()), null, bad).reason);
        assertNoLibtorchSet(bad, "a bad folder is not handed to DJL");
        GpuSetup.writeFolder(config, null);
        Properties unset = new Properties();
        assertEquals(GpuSetup.Reason.NOT_CONFIGURED, GpuSetup.apply(config, linux(djl()), null, unset).reason);
        assertNoLibtorchSet(unset, "nothing configured");

        Properties online = new Properties();
        online.setProperty("ai.djl.offline", "false");
        GpuSetup.apply(config, linux(djl()), null, online);
        assertEquals("false", online.getProperty("ai.djl.offline"), "an explicit choice stays");
    }

    /** No libtorch handed to DJL, and downloads still off. */
    private static void assertNoLibtorchSet(Properties p, String why) {
        assertNull(p.getProperty("PYTORCH_LIBRARY_PATH"), why);
        assertNull(p.getProperty("PYTORCH_VERSION"), why);
        assertNull(p.getProperty("PYTORCH_FLAVOR"), why);
        assertEquals("true", p.getProperty("ai.djl.offline"), why + ": offline all the same");
    }
}
