package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API the plugin compiles against ({@code mm-plugin/mmstudio-api}, never shipped) against Micro-Manager's real
 * types (the installation given as -Dmm.home), signature by signature: every type it declares exists in Micro-Manager with
 * the same kind, and every member it declares exists there, public, with the same parameter and return types and
 * the same static-ness. A declaration that drifted would compile here and fail inside Micro-Manager.
 */
class ApiSignatureTest {

    @Test
    void everyDeclarationOfTheCompileOnlyApiMatchesMicroManagersRealType() throws Exception {
        Path api = Paths.get(System.getProperty("n2d.mmstudio.api.classes", "../mmstudio-api/target/classes"));
        assertTrue(Files.isDirectory(api), "build mm-plugin/mmstudio-api first: " + api.toAbsolutePath());
        URL scijava = org.scijava.plugin.SciJavaPlugin.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> problems = new ArrayList<>();
        int members = 0;
        List<String> names;
        try (Stream<Path> files = Files.walk(api)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> api.relativize(p).toString().replace('/', '.').replace(".class", ""))
                    .sorted().collect(Collectors.toList());
        }
        try (URLClassLoader declared = new URLClassLoader(new URL[] {api.toUri().toURL(), scijava},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                Class<?> mine = declared.loadClass(name);
                if (!Modifier.isPublic(mine.getModifiers())) continue;
                Class<?> real;
                try {
                    real = Class.forName(name, false, ApiSignatureTest.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    problems.add(name + ": no such type in Micro-Manager");
                    continue;
                }
                if (real.isInterface() != mine.isInterface()) problems.add(name + ": interface vs class differs");
                for (Method m : mine.getDeclaredMethods()) {
                    if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) continue;
                    members++;
                    String sig = name + "." + m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName)
                            .collect(Collectors.joining(",", "(", ")"));
                    Method r = find(real, m);
                    if (r == null) {
                        problems.add(sig + ": not in Micro-Manager");
                    } else if (!r.getReturnType().getName().equals(m.getReturnType().getName())) {
                        problems.add(sig + ": returns " + r.getReturnType().getName() + " in Micro-Manager, "
                                + m.getReturnType().getName() + " here");
                    } else if (Modifier.isStatic(r.getModifiers()) != Modifier.isStatic(m.getModifiers())) {
                        problems.add(sig + ": static differs");
                    }
                }
            }
        }
        System.out.println("compile-only API: " + names.size() + " types, " + members + " members checked against Micro-Manager's");
        assertTrue(names.size() >= 15 && members >= 40, names.size() + " types, " + members + " members: too few found");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The real method with these parameter types, preferring the same return type (covariant re-declarations). */
    private static Method find(Class<?> real, Method m) {
        Class<?>[] params = m.getParameterTypes();
        Method any = null;
        for (Method r : real.getMethods()) {
            if (!r.getName().equals(m.getName()) || r.getParameterCount() != params.length) continue;
            boolean same = true;
            for (int i = 0; i < params.length; i++) {
                same &= r.getParameterTypes()[i].getName().equals(params[i].getName());
            }
            if (same && r.getReturnType().getName().equals(m.getReturnType().getName())) return r;
            if (same) any = r;
        }
        return any;
    }
}
