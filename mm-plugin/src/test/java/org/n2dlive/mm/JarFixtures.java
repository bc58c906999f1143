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
 * The built plugin jar and class loaders arranged as in Micro-Manager: a "Micro-Manager" loader with
 * {@link MicroManager#classpath()}; the plugin jar's loader on top of it, parent-first.
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
     * Micro-Manager's side: these test classes ({@code MmSide}, the drivers it uses and {@link MicroManager}; for the
     * contract model also its {@code org.micromanager.PropertyMaps}, which must come before the declaration's),
     * then {@link MicroManager#classpath()}. Parent: the platform loader, so nothing of the build's classpath (the
     * engine, DJL, a newer Gson) leaks in.
     */
    static URLClassLoader micromanagerLoader() throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(locationOf(MmSide.class));
        urls.addAll(MicroManager.classpath());
        return new URLClassLoader("micromanager", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    /** The plugin jar, loaded parent-first above Micro-Manager's loader. */
    static URLClassLoader pluginLoader(ClassLoader micromanager) throws IOException {
        return new URLClassLoader("mmplugins", new URL[] {pluginJar().toUri().toURL()}, micromanager);
    }
}
