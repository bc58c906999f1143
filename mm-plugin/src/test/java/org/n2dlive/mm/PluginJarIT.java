package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests the built jar for mmplugins/: discoverable as Micro-Manager discovers plugins, carrying what it
 * needs (engine, DJL, Disruptor, this platform's CPU natives, DJL's engine service entries) and none of
 * what Micro-Manager ships or could clash with (MMStudio types, scijava-common, ImageJ, Guava, unrelocated
 * Gson/commons/Disruptor), all of it Java 11 bytecode.
 */
class PluginJarIT {
    private static JarFile jar;
    private static List<String> names;

    @BeforeAll
    static void open() throws Exception {
        jar = new JarFile(JarFixtures.pluginJar().toFile());
        names = JarFixtures.entries(jar);
        System.out.printf("plugin jar %s: %.1f MB, %d entries%n", JarFixtures.pluginJar().getFileName(),
                Files.size(JarFixtures.pluginJar()) / 1e6, names.size());
    }

    @AfterAll
    static void close() throws Exception {
        jar.close();
    }

    @Test
    void pluginIndexNamesTheProcessorPlugin() throws Exception {
        String index = JarFixtures.text(jar, "META-INF/json/org.scijava.plugin.Plugin");
        assertNotNull(index, "SciJava's plugin index is missing: Micro-Manager would not see the plugin");
        String compact = index.replaceAll("\\s", "");
        assertTrue(compact.contains("{\"class\":\"org.n2dlive.mm.N2DPlugin\",\"values\":{\"type\":\"org.micromanager.data.ProcessorPlugin\"}}"),
                index);
    }

    @Test
    void carriesOurLicenceAndTheThirdPartyNotices() throws Exception {
        java.nio.file.Path root = JarFixtures.pluginJar().toAbsolutePath().getParent().resolve("../..").normalize();
        for (String name : new String[] {"LICENSE", "THIRD-PARTY-NOTICES.md"}) {
            String inJar = JarFixtures.text(jar, "META-INF/" + name);
            assertNotNull(inJar, "META-INF/" + name + " is missing from the plugin jar");
            assertEquals(new String(Files.readAllBytes(root.resolve(name)), StandardCharsets.UTF_8), inJar,
                    "META-INF/" + name + " is the repository's " + name);
        }
    }

    @Test
    void micromanagerFindsAndCreatesThePluginThroughItsOwnLoader() throws Exception {
        try (URLClassLoader mm = JarFixtures.micromanagerLoader(); URLClassLoader plugins = JarFixtures.pluginLoader(mm)) {
            @SuppressWarnings("unchecked")
            List<String> found = (List<String>) mm.loadClass("org.n2dlive.mm.MmSide")
                    .getMethod("discover", ClassLoader.class).invoke(null, plugins);
            assertEquals(1, found.size(), found.toString());
            String[] parts = found.get(0).split("\\|");
            assertEquals("org.n2dlive.mm.N2DPlugin", parts[0]);
            assertEquals("N2D Live Denoise", parts[1]);
            assertFalse(parts[2].isEmpty() || parts[2].equals("unknown"), "version from the filtered resource: " + parts[2]);
            // The annotation itself is on the class, as SciJava reads it at run time.
            Class<?> pluginClass = plugins.loadClass("org.n2dlive.mm.N2DPlugin");
            @SuppressWarnings("unchecked")
            Class<? extends java.lang.annotation.Annotation> ann =
                    (Class<? extends java.lang.annotation.Annotation>) mm.loadClass("org.scijava.plugin.Plugin");
            Object a = pluginClass.getAnnotation(ann);
            assertNotNull(a, "@Plugin missing at run time");
            assertEquals(mm.loadClass("org.micromanager.data.ProcessorPlugin"), ann.getMethod("type").invoke(a));
        }
    }

    @Test
    void shipsNothingMicroManagerProvidesAndNothingUnrelocated() {
        List<String> forbidden = Arrays.asList(
                "org/micromanager/",      // the compile-only shim
                "org/scijava/",           // Micro-Manager ships scijava-common
                "ij/",                    // ImageJ 1.x
                "com/google/common/",     // Guava
                "com/google/gson/",       // must be relocated (Micro-Manager has Gson 2.2.4)
                "org/apache/commons/",    // relocated (commons-io 2.11 in Micro-Manager)
                "com/lmax/",              // relocated
                "picocli/",               // the engine's command line, not needed here
                "org/n2dlive/cli/",
                "org/n2dlive/io/",        // file formats, synthetic sources, metrics: the CLI's, never run here
                "org/n2dlive/synth/",
                "org/n2dlive/metrics/",
                "module-info.class");
        List<String> bad = new ArrayList<>();
        for (String n : names) {
            for (String f : forbidden) {
                if (n.startsWith(f) || n.endsWith("/" + f) || n.equals(f)) bad.add(n);
            }
        }
        assertTrue(bad.isEmpty(), "must not be in the plugin jar: " + bad.subList(0, Math.min(10, bad.size())));
    }

    @Test
    void carriesEngineDjlDisruptorAndRelocatedLibraries() {
        for (String required : Arrays.asList(
                "org/n2dlive/mm/N2DPlugin.class",
                "org/n2dlive/frame/Frame.class",
                "org/n2dlive/stream/FrameDenoiser.class",
                "ai/djl/engine/Engine.class",
                "ai/djl/pytorch/engine/PtEngine.class",
                "ai/djl/pytorch/jni/PyTorchLibrary.class",
                "ai/djl/onnxruntime/engine/OrtEngine.class",
                "ai/onnxruntime/OrtEnvironment.class",
                "com/sun/jna/Native.class",
                "org/n2dlive/shaded/gson/Gson.class",
                "org/n2dlive/shaded/disruptor/RingBuffer.class",
                "org/slf4j/LoggerFactory.class",  // not relocatable: libdjl_torch looks up org/slf4j/Logger
                "org/n2dlive/shaded/commons/compress/archivers/tar/TarArchiveInputStream.class")) {
            assertTrue(names.contains(required), "missing " + required);
        }
    }

    @Test
    void djlEngineServiceEntriesSurviveShading() throws Exception {
        String services = JarFixtures.text(jar, "META-INF/services/ai.djl.engine.EngineProvider");
        assertNotNull(services, "DJL's EngineProvider service file is missing: DJL would find no engine");
        assertTrue(services.contains("ai.djl.pytorch.engine.PtEngineProvider"), services);
        assertTrue(services.contains("ai.djl.onnxruntime.engine.OrtEngineProvider"), services);
        String slf4j = JarFixtures.text(jar, "META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
        assertNotNull(slf4j, "slf4j provider entry");
        assertTrue(slf4j.contains("org.slf4j.simple.SimpleServiceProvider"), slf4j);
    }

    @Test
    void djlReferencesTheRelocatedGsonOnly() throws Exception {
        String json = new String(JarFixtures.read(jar, "ai/djl/util/JsonUtils.class"), StandardCharsets.ISO_8859_1);
        assertTrue(json.contains("org/n2dlive/shaded/gson/Gson"), "DJL must use the relocated Gson");
        assertFalse(json.contains("com/google/gson/"), "DJL still refers to com.google.gson");
        // JNI classes keep their package: their native symbols are bound by it.
        assertTrue(names.contains("ai/djl/pytorch/jni/PyTorchLibrary.class"));
        assertTrue(names.contains("ai/onnxruntime/OnnxRuntime.class"));
    }

    @Test
    void carriesThisPlatformsCpuNativesOnly() {
        String djl = System.getProperty("n2d.native.classifier");
        String ort = System.getProperty("n2d.ort.native.dir");
        String jna = System.getProperty("n2d.jna.native.dir");
        assertNotNull(djl);
        assertNotNull(jna);
        assertNotNull(ort);
        assertTrue(names.contains("native/lib/pytorch.properties"), "PyTorch natives descriptor");
        assertTrue(names.stream().anyMatch(n -> n.startsWith("pytorch/cpu/" + djl + "/") && !n.endsWith("/")),
                "PyTorch CPU natives for " + djl);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("jnilib/" + djl + "/cpu/") && !n.endsWith("/")),
                "DJL JNI bridge for " + djl);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("ai/onnxruntime/native/" + ort + "/") && !n.endsWith("/")),
                "ONNX Runtime natives for " + ort);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("com/sun/jna/" + jna + "/") && !n.endsWith("/")),
                "JNA dispatch library for " + jna);
        List<String> foreign = new ArrayList<>();
        for (String n : names) {
            boolean otherDjl = (n.startsWith("jnilib/") || n.startsWith("pytorch/cpu/"))
                    && !n.equals("jnilib/") && !n.equals("jnilib/pytorch.properties") && !n.equals("pytorch/") && !n.equals("pytorch/cpu/")
                    && !n.startsWith("jnilib/" + djl + "/") && !n.startsWith("pytorch/cpu/" + djl + "/");
            boolean otherOrt = n.startsWith("ai/onnxruntime/native/") && !n.equals("ai/onnxruntime/native/")
                    && !n.startsWith("ai/onnxruntime/native/" + ort + "/");
            boolean otherJna = n.startsWith("com/sun/jna/") && !n.endsWith(".class") && !n.endsWith("/")
                    && !n.startsWith("com/sun/jna/" + jna + "/");
            boolean debug = n.endsWith(".pdb") || n.contains(".dSYM/");
            if (otherDjl || otherOrt || otherJna || debug) foreign.add(n);
        }
        assertTrue(foreign.isEmpty(), "other platforms' or debug files: " + foreign);
    }

    @Test
    void everyClassRunsOnJava11() throws Exception {
        List<String> tooNew = new ArrayList<>();
        for (String n : names) {
            if (!n.endsWith(".class") || n.startsWith("META-INF/versions/")) continue;
            byte[] b = JarFixtures.read(jar, n);
            int major = ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
            if (major > 55) tooNew.add(n + " (class file " + major + ")");
        }
        assertTrue(tooNew.isEmpty(), "classes newer than Java 11: " + tooNew.subList(0, Math.min(10, tooNew.size())));
    }
}
