package org.n2dlive.mm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The built plugin jar and class loaders arranged as in Micro-Manager: a "Micro-Manager" loader with a real
 * installation's jars, and the plugin jar's loader on top of it, parent-first.
 */
final class JarFixtures {
    private JarFixtures() {
    }

    static Path pluginJar() {
        String p = System.getProperty("n2d.plugin.jar");
        if (p == null) throw new IllegalStateException("n2d.plugin.jar is not set: run through `mvn verify` (failsafe)");
        Path jar = Paths.get(p);
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("plugin jar not built: " + jar);
        return jar;
    }

    static List<String> entries(JarFile jar) {
        List<String> names = new ArrayList<>();
        jar.stream().map(JarEntry::getName).forEach(names::add);
        return names;
    }

    static byte[] read(JarFile jar, String name) throws IOException {
        JarEntry e = jar.getJarEntry(name);
        if (e == null) return null;
        try (InputStream in = jar.getInputStream(e)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static String text(JarFile jar, String name) throws IOException {
        byte[] b = read(jar, name);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static URL locationOf(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    /**
     * Micro-Manager's side, as its launcher loads it: the installation's jars (-Dmm.home: its classes and the very
     * library jars it ships, Gson 2.2.4 and Guava among them; the build passes them as n2d.mm.jars) and this
     * module's test classes (the Micro-Manager-side host code, {@link MmSide}). Parent: the platform loader, so
     * nothing of the build's classpath leaks in.
     */
    static URLClassLoader micromanagerLoader() throws IOException {
        String jars = System.getProperty("n2d.mm.jars");
        if (jars == null || jars.isEmpty()) {
            throw new IllegalStateException("n2d.mm.jars is not set: run through `mvn verify -Dmm.home=...` (failsafe)");
        }
        List<URL> urls = new ArrayList<>();
        urls.add(locationOf(MmSide.class));
        for (String j : jars.split(",")) urls.add(Paths.get(j.trim()).toUri().toURL());
        return new URLClassLoader("micromanager", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    /** The plugin jar, loaded parent-first above Micro-Manager's loader. */
    static URLClassLoader pluginLoader(ClassLoader micromanager) throws IOException {
        return new URLClassLoader("mmplugins", new URL[] {pluginJar().toUri().toURL()}, micromanager);
    }
}
