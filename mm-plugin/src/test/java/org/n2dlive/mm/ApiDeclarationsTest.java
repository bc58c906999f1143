package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API the plugin compiles against ({@code mm-plugin/mmstudio-api}, never shipped) against the API facts in
 * {@code ../shared/mm-api/README.md}, signature by signature: every type it declares is declared there with the same
 * kind (interface or class), and every public member with the same name, parameter types, return type and
 * static-ness. A declaration that drifted compiles here and fails inside Micro-Manager. The few members the plugin
 * uses beyond the README's list are named in {@link #BEYOND_THE_README}; mm-plugin/mm-real-tests checks every
 * declaration, those included, against a real Micro-Manager installation.
 */
class ApiDeclarationsTest {
    /**
     * Declared in mmstudio-api although the README does not list them (members of the real MM 2.0 types the plugin
     * needs). Any other undeclared member fails the test, and so does one of these once it is gone.
     */
    static final Set<String> BEYOND_THE_README = new TreeSet<>(Arrays.asList(
            "type org.micromanager.acquisition.SequenceSettings",     // only tested for null (live vs acquisition)
            "org.micromanager.data.Coords.getAxes() : List",          // empty for live mode's intended dimensions
            "org.micromanager.data.SummaryMetadata.getSequenceSettings() : SequenceSettings",
            "org.micromanager.PropertyMap.isEmpty() : boolean",       // a camera image's user data: reuse one builder
            "org.micromanager.PropertyMap.Builder.remove(String) : PropertyMap.Builder",
            // the display settings of a keep-raw data set's window (TwinDisplays)
            "org.micromanager.Studio.displays() : DisplayManager",
            "type org.micromanager.data.DataProvider",
            "type org.micromanager.display.ChannelDisplaySettings",
            "type org.micromanager.display.ChannelDisplaySettings.Builder",
            "type org.micromanager.display.DataViewer",
            "type org.micromanager.display.DisplayManager",
            "type org.micromanager.display.DisplaySettings",
            "type org.micromanager.display.DisplaySettings.Builder",
            "type org.micromanager.display.DisplayWindow",
            // whether a camera sequence runs: then an acquisition must not wait for the model (N2DProcessor)
            "org.micromanager.Studio.core() : CMMCore",
            "type mmcorej.CMMCore"));                                 // isSequenceRunning() only

    private static final Pattern TYPE = Pattern.compile("\\b(interface|class)\\s+(\\w+)");
    private static final Pattern METHOD = Pattern.compile(
            "(?:public\\s+)?(static\\s+)?(?:default\\s+)?([\\w.<>\\[\\]]+)\\s+(\\w+)\\s*\\(([^)]*)\\)");

    /** The README's declarations: "type pkg.Name" -> "interface"/"class", and member signatures -> "static"/"". */
    private static final class Readme {
        final Map<String, String> types = new HashMap<>();
        final Map<String, String> members = new HashMap<>();
    }

    @Test
    void everyDeclarationOfTheCompileOnlyApiIsTheReadmes() throws Exception {
        Path readme = Paths.get(System.getProperty("n2d.shared.dir", "../../shared"), "mm-api", "README.md");
        if (Boolean.getBoolean("n2d.requireShared")) {
            assertTrue(Files.isRegularFile(readme), "n2d.requireShared is set (CI) but " + readme.toAbsolutePath() + " is missing");
        }
        assumeTrue(Files.isRegularFile(readme), "no " + readme.toAbsolutePath() + " (../shared beside the repository)");
        Readme declared = parse(new String(Files.readAllBytes(readme), StandardCharsets.UTF_8));
        Path api = Paths.get(System.getProperty("n2d.mmstudio.api.classes", "mmstudio-api/target/classes"));
        assertTrue(Files.isDirectory(api), "build mm-plugin/mmstudio-api first: " + api.toAbsolutePath());

        List<String> names;
        try (Stream<Path> files = Files.walk(api)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> api.relativize(p).toString().replace('/', '.').replace(".class", ""))
                    .sorted().collect(Collectors.toList());
        }
        List<String> problems = new ArrayList<>();
        Set<String> beyond = new TreeSet<>();
        int types = 0;
        int members = 0;
        URL scijava = org.scijava.plugin.SciJavaPlugin.class.getProtectionDomain().getCodeSource().getLocation();
        // Its own loader: on this test classpath PropertyMaps is the contract model's, not the declaration.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {api.toUri().toURL(), scijava},
                ClassLoader.getPlatformClassLoader())) {
            for (String binary : names) {
                Class<?> mine = loader.loadClass(binary);
                if (!Modifier.isPublic(mine.getModifiers())) continue;
                types++;
                String name = binary.replace('$', '.');
                String kind = mine.isInterface() ? "interface" : "class";
                String readmeKind = declared.types.get(name);
                if (readmeKind == null) {
                    beyond.add("type " + name);
                } else if (!readmeKind.equals(kind)) {
                    problems.add(name + ": " + kind + " here, " + readmeKind + " in the README");
                }
                for (Method m : mine.getDeclaredMethods()) {
                    if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) continue;
                    members++;
                    String sig = name + "." + m.getName() + Arrays.stream(m.getParameterTypes()).map(ApiDeclarationsTest::simple)
                            .collect(Collectors.joining(",", "(", ")")) + " : " + simple(m.getReturnType());
                    String readmeStatic = declared.members.get(sig);
                    boolean isStatic = Modifier.isStatic(m.getModifiers());
                    if (readmeStatic == null) {
                        if (readmeKind != null || !BEYOND_THE_README.contains("type " + name)) beyond.add(sig);
                    } else if (readmeStatic.equals("static") != isStatic) {
                        problems.add(sig + ": static differs from the README");
                    }
                }
            }
        }
        System.out.println("compile-only API: " + types + " types, " + members + " members checked against "
                + readme + " (" + declared.members.size() + " members declared there)");
        assertTrue(types >= 15 && members >= 40 && declared.members.size() >= 40,
                types + " types, " + members + " members, " + declared.members.size() + " in the README: too few found");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(BEYOND_THE_README, beyond, "declarations the README does not list");
    }

    /** A type as written in these signatures: no package, nested types as Outer.Inner, arrays with []. */
    private static String simple(Class<?> c) {
        if (c.isArray()) return simple(c.getComponentType()) + "[]";
        String n = c.getName();
        n = n.substring(n.lastIndexOf('.') + 1);
        return n.replace('$', '.');
    }

    /**
     * Reads the README's ```java blocks: {@code package} lines, type declarations (nested ones tracked by brace
     * depth) and method declarations, several on a line or one over two lines; comments are dropped.
     */
    static Readme parse(String text) {
        Readme r = new Readme();
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (block.find()) {
            String code = block.group(1).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            String pkg = "";
            Deque<String> open = new ArrayDeque<>(); // enclosing types, innermost first; "" for a method body
            StringBuilder pending = new StringBuilder(); // a declaration not finished on its line
            for (String raw : code.split("\\n")) {
                String line = pending + raw.trim();
                pending.setLength(0);
                if (line.startsWith("package ")) {
                    pkg = line.substring(8, line.indexOf(';')).trim();
                    open.clear();
                    continue;
                }
                if (line.contains("(") && !line.contains(")")) { // a parameter list going on
                    pending.append(line).append(' ');
                    continue;
                }
                Matcher t = TYPE.matcher(line);
                String owner = open.isEmpty() ? "" : open.peek();
                String members = line;
                if (t.find() && (line.startsWith("public") || line.startsWith("interface") || line.startsWith("class")
                        || line.startsWith("final"))) {
                    String name = owner.isEmpty() ? pkg + "." + t.group(2) : owner + "." + t.group(2);
                    r.types.put(name, t.group(1));
                    int body = line.indexOf('{');
                    // Members may follow on the same line: "interface Builder { Coords build(); ... }".
                    members = body < 0 ? "" : line.substring(body + 1);
                    owner = name;
                    if (count(line, '{') > count(line, '}')) open.push(name);
                    line = members;
                }
                Matcher m = METHOD.matcher(members);
                while (!owner.isEmpty() && m.find()) {
                    String ownerName = owner;
                    String params = Arrays.stream(m.group(4).split(","))
                            .map(String::trim).filter(p -> !p.isEmpty())
                            .map(p -> typeOf(p.substring(0, p.lastIndexOf(' ')).trim(), ownerName))
                            .collect(Collectors.joining(",", "(", ")"));
                    r.members.put(owner + "." + m.group(3) + params + " : " + typeOf(m.group(2), owner),
                            m.group(1) != null ? "static" : "");
                }
                for (int k = count(line, '}') - count(line, '{'); k > 0 && !open.isEmpty(); k--) open.pop();
            }
        }
        return r;
    }

    /** A README type in the form {@link #simple} gives: generics and packages dropped, Builder as Owner.Builder. */
    private static String typeOf(String written, String owner) {
        String t = written.replaceAll("<.*>", "").replace("...", "[]").trim();
        String dims = "";
        while (t.endsWith("[]")) {
            dims += "[]";
            t = t.substring(0, t.length() - 2);
        }
        List<String> parts = new ArrayList<>(Arrays.asList(t.split("\\.")));
        while (parts.size() > 1 && Character.isLowerCase(parts.get(0).charAt(0))) parts.remove(0);
        t = String.join(".", parts);
        if (t.equals("Builder")) {
            // An unqualified Builder is the nested one of the type it is written in (or that Builder itself).
            String top = owner.replaceAll("^([a-z]\\w*\\.)*", "");
            t = top.endsWith(".Builder") ? top : top + ".Builder";
        }
        return t + dims;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
