package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URLClassLoader;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The built jar end to end, as Micro-Manager would run it: loaded parent-first above a loader holding
 * Micro-Manager's side ({@link JarFixtures#micromanagerLoader()}), with that loader as the thread's context class
 * loader, found through SciJava's index, and driven through an acquisition in {@link MicroManager}'s pipeline with
 * the real warm-start model on the jar's bundled CPU natives (offline). Only on the platform the jar was built
 * for.
 */
class PluginJarPipelineIT {

    @Test
    void denoisesAnAcquisitionWithTheJarsOwnEngineAndNatives() throws Exception {
        String built = System.getProperty("n2d.native.classifier", "");
        assumeTrue(built.equals(hostClassifier()), "jar built for " + built + ", this host is " + hostClassifier());
        int frames = 4;
        try (URLClassLoader mm = JarFixtures.micromanagerLoader(); URLClassLoader plugins = JarFixtures.pluginLoader(mm)) {
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) mm.loadClass("org.n2dlive.mm.MmSide")
                    .getMethod("runAcquisition", ClassLoader.class, String.class, int.class, int.class)
                    .invoke(null, plugins, RealModelTest.TINY_PROFILE, frames, RealModelTest.SIZE);
            lines.forEach(System.out::println);
            assertTrue(lines.stream().noneMatch(l -> l.startsWith("ERROR ")), "the pipeline recorded exceptions");
            List<String> denoised = lines.stream().filter(l -> l.startsWith("1 ")).collect(Collectors.toList());
            List<String> raw = lines.stream().filter(l -> l.startsWith("0 ")).collect(Collectors.toList());
            assertEquals(frames, raw.size(), "raw frames");
            assertEquals(frames, denoised.size(), "denoised frames");
            for (int t = 0; t < frames; t++) {
                String[] f = denoised.get(t).split(" ");
                String[] r = raw.get(t).split(" ");
                assertEquals(Integer.toString(t), f[1], "order");
                assertEquals("false", f[2], "denoised by the engine, not passed through: " + lines);
                assertTrue(Integer.parseInt(f[3]) > 0, "adaptation steps recorded");
                assertFalse(f[4].isEmpty() || f[4].equals("-"), "weights fingerprint recorded");
                // The pixels: closer to the clean scene than the camera's frame (a copy of the input fails).
                double mseRaw = Double.parseDouble(r[5]);
                double mseDenoised = Double.parseDouble(f[5]);
                assertTrue(mseDenoised < mseRaw, String.format(Locale.ROOT, "frame %d: MSE %.0f vs raw %.0f", t, mseDenoised, mseRaw));
            }
            // DJL came from the jar, not from anywhere else.
            assertSame(plugins, plugins.loadClass("ai.djl.engine.Engine").getClassLoader());
            assertSame(plugins, plugins.loadClass("org.n2dlive.shaded.gson.Gson").getClassLoader());
            assertSame(mm, plugins.loadClass("com.google.gson.Gson").getClassLoader(), "Micro-Manager's Gson 2.2.4 stays its own");
        }
    }

    /** The native classifier (as the build names it) of this JVM's platform. */
    static String hostClassifier() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        if (os.contains("win")) return x64 ? "win-x86_64" : "win-" + arch;
        if (os.contains("mac")) return arch.equals("aarch64") ? "osx-aarch64" : "osx-" + arch;
        return x64 ? "linux-x86_64" : "linux-" + arch;
    }
}
