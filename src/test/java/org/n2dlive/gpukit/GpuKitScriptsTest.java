package org.n2dlive.gpukit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.n2dlive.TestPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check kit's scripts (tools/gpu-check), run as a user would: packing a kit from a small stand-in
 * engine build (no jlink: that takes a minute and may need the jmods package), the folder it makes, and the
 * argument handling and preflight errors of the run script on a machine without a GPU.
 */
class GpuKitScriptsTest {
    private static Path tools;

    @BeforeAll
    static void locate() {
        tools = TestPaths.repoRoot().resolve("tools/gpu-check");
    }

    /** Runs a script with bash; returns {exit code, stdout+stderr}. */
    private static String[] bash(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "script still running: " + cmd);
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    private static String[] bash(String... args) throws IOException, InterruptedException {
        return bash(Map.of(), args);
    }

    private static void jar(Path file, String... entries) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Implementation-Title", file.getFileName().toString());
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(os, mf)) {
            for (String e : entries) {
                jar.putNextEntry(new ZipEntry(e));
                jar.write(("content of " + e).getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
    }

    /** A stand-in for target/engine: the engine jar and a lib/ with the kinds of jars the real one has. */
    private static Path engineBuild(Path dir) throws IOException {
        Path e = dir.resolve("engine");
        Files.createDirectories(e.resolve("lib"));
        jar(e.resolve("n2d-live-engine-0.1.0.jar"), "org/n2dlive/Placeholder.txt");
        jar(e.resolve("lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar"), "pytorch/cpu/linux-x86_64/libtorch_cpu.so");
        jar(e.resolve("lib/pytorch-jni-2.7.1-0.36.0.jar"), "jnilib/linux-x86_64/cpu/libdjl_torch.so");
        jar(e.resolve("lib/pytorch-engine-0.36.0.jar"), "ai/djl/pytorch/engine/Placeholder.txt");
        jar(e.resolve("lib/onnxruntime-engine-0.36.0.jar"), "ai/djl/onnxruntime/engine/Placeholder.txt");
        jar(e.resolve("lib/onnxruntime-1.21.1.jar"), "ai/onnxruntime/OrtEnvironment.txt",
                "ai/onnxruntime/native/linux-x64/libonnxruntime.so", "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                "ai/onnxruntime/native/osx-x64/libonnxruntime.dylib", "ai/onnxruntime/native/win-x64/onnxruntime.dll",
                "ai/onnxruntime/native/win-x64/onnxruntime.pdb");
        jar(e.resolve("lib/gson-2.13.1.jar"), "com/google/gson/Placeholder.txt");
        return e;
    }

    private static List<String> entries(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            return z.stream().map(ZipEntry::getName).collect(Collectors.toList());
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void packsTheKitWithDjlsPublishedJniAndWithoutCpuNatives(@TempDir Path dir) throws Exception {
        Path kit = dir.resolve("kit");
        String[] r = bash(tools.resolve("pack.sh").toString(), "--no-jlink", "--engine-dir", engineBuild(dir).toString(),
                kit.toString());
        assertEquals("0", r[0], r[1]);

        assertEquals(List.of("n2d-live-engine-0.1.0.jar"), names(kit.resolve("app")));
        assertEquals(List.of("gson-2.13.1.jar", "onnxruntime-1.21.1.jar", "onnxruntime-engine-0.36.0.jar", "pytorch-engine-0.36.0.jar",
                "pytorch-jni-2.7.1-0.36.0.jar"), names(kit.resolve("lib")),
                "libtorch's CPU natives stay behind; DJL's published JNI (pytorch-jni) goes along");
        assertEquals(entries(dir.resolve("engine/lib/pytorch-jni-2.7.1-0.36.0.jar")),
                entries(kit.resolve("lib/pytorch-jni-2.7.1-0.36.0.jar")), "the pytorch-jni jar as DJL publishes it");
        List<String> ort = entries(kit.resolve("lib/onnxruntime-1.21.1.jar"));
        assertTrue(ort.contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so"), ort.toString());
        assertTrue(ort.contains("ai/onnxruntime/OrtEnvironment.txt"), "the Java side stays: " + ort);
        assertFalse(ort.stream().anyMatch(n -> n.contains("osx-x64") || n.contains("win-x64")), ort.toString());
        assertTrue(ort.contains("META-INF/MANIFEST.MF"));

        assertFalse(Files.exists(kit.resolve("jni")), "no JNI sources and no JNI build in the kit");
        assertFalse(Files.exists(kit.resolve("build-jni.sh")));
        assertTrue(names(kit.resolve("test-streams")).containsAll(List.of("cells-256.stream", "cells-2048.stream", "README.md")));
        for (String s : List.of("run-gpu-check.sh", "bin/n2d")) {
            assertTrue(Files.isExecutable(kit.resolve(s)), s + " executable");
        }
        assertFalse(Files.exists(kit.resolve("runtime")), "--no-jlink");
        String info = Files.readString(kit.resolve("KIT_INFO"));
        assertTrue(info.contains("left out: pytorch-native-cpu-2.7.1-linux-x86_64.jar\n"), info);
        assertTrue(info.contains("java.base"), info);
        assertFalse(info.contains("java.compiler"), info);
        // the manifest lists every file with its size
        List<String> manifest = Files.readAllLines(kit.resolve("MANIFEST.txt"));
        long gsonSize = Files.size(kit.resolve("lib/gson-2.13.1.jar"));
        assertTrue(manifest.contains(gsonSize + " ./lib/gson-2.13.1.jar"), manifest.toString());
        try (Stream<Path> all = Files.walk(kit)) {
            assertEquals(all.filter(Files::isRegularFile).count() - 1, manifest.size(), "every file but the manifest itself");
        }

        // packing again over a kit replaces it; over a folder that is not a kit it refuses and touches nothing
        assertEquals("0", bash(tools.resolve("pack.sh").toString(), "--no-jlink", "--engine-dir", dir.resolve("engine").toString(),
                kit.toString())[0]);
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("keep.txt"), "mine");
        String[] refused = bash(tools.resolve("pack.sh").toString(), "--no-jlink", "--engine-dir", dir.resolve("engine").toString(),
                other.toString());
        assertEquals("2", refused[0], refused[1]);
        assertTrue(refused[1].contains("not a kit packed before"), refused[1]);
        assertEquals("mine", Files.readString(other.resolve("keep.txt")));
    }

    @Test
    void packRejectsBadArguments(@TempDir Path dir) throws Exception {
        String pack = tools.resolve("pack.sh").toString();
        assertEquals("0", bash(pack, "--help")[0]);
        String[] none = bash(pack);
        assertEquals("2", none[0]);
        assertTrue(none[1].contains("OUTDIR is required"), none[1]);
        assertEquals("2", bash(pack, "--bogus", dir.toString())[0]);
        assertEquals("2", bash(pack, "--max-mb", "x", dir.toString())[0]);
        assertEquals("2", bash(pack, dir.resolve("a").toString(), dir.resolve("b").toString())[0]);
        String[] noEngine = bash(pack, "--no-jlink", "--engine-dir", dir.resolve("missing").toString(), dir.resolve("k").toString());
        assertEquals("3", noEngine[0], noEngine[1]);
        assertTrue(noEngine[1].contains("not an engine build folder"), noEngine[1]);
    }

    @Test
    void runScriptHandlesArgumentsAndRefusesWithoutGpu(@TempDir Path dir) throws Exception {
        String src = tools.resolve("run-gpu-check.sh").toString();
        String[] help = bash(src, "--help");
        assertEquals("0", help[0]);
        assertTrue(help[1].contains("usage: run-gpu-check.sh"), help[1]);
        assertEquals("2", bash(src, "--frames", "abc")[0]);
        assertEquals("2", bash(src, "--nonsense")[0]);
        String[] notKit = bash(src);
        assertEquals("3", notKit[0], notKit[1]);
        assertTrue(notKit[1].contains("not a packed kit"), notKit[1]);

        Path kit = dir.resolve("kit");
        assertEquals("0", bash(tools.resolve("pack.sh").toString(), "--no-jlink", "--engine-dir", engineBuild(dir).toString(),
                kit.toString())[0]);
        String run = kit.resolve("run-gpu-check.sh").toString();
        String[] noRuntime = bash(run, "--out", dir.resolve("out").toString());
        assertEquals("3", noRuntime[0], noRuntime[1]);
        assertTrue(noRuntime[1].contains("no Java runtime"), noRuntime[1]);

        // a runtime in place (this JVM's), but no nvidia-smi on PATH: the clear no-GPU error, nothing run
        Path javaHome = Path.of(System.getProperty("java.home"));
        Files.createSymbolicLink(kit.resolve("runtime"), javaHome);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String t : List.of("bash", "dirname", "date", "grep", "sed", "head", "mkdir", "cat", "tr", "ls")) {
            Path real = Stream.of("/usr/bin/" + t, "/bin/" + t).map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
            if (real != null) Files.createSymbolicLink(bin.resolve(t), real);
        }
        String[] noGpu = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString());
        assertEquals("3", noGpu[0], noGpu[1]);
        assertTrue(noGpu[1].contains("no NVIDIA GPU here: nvidia-smi is not on PATH"), noGpu[1]);

        // an nvidia-smi that finds no device
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho 'No devices were found'\nexit 6\n");
        assertTrue(smi.toFile().setExecutable(true));
        String[] noDevice = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString());
        assertEquals("3", noDevice[0], noDevice[1]);
        assertTrue(noDevice[1].contains("nvidia-smi -L failed: No devices were found"), noDevice[1]);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written when nothing could run");

        // a GPU and the CUDA torch DJL publishes its JNI for (2.7.1 + CUDA 12.8), as a pip install lays them out:
        // the plan names what DJL will be told, and the JNI is DJL's own from the kit's pytorch-jni jar
        Files.writeString(smi, "#!/bin/sh\necho 'GPU 0: NVIDIA H200 (UUID: GPU-0)'\n");
        Path site = dir.resolve("site-packages");
        Path torch = Files.createDirectories(site.resolve("torch/lib"));
        for (String f : List.of("libtorch.so", "libtorch_cpu.so", "libtorch_cuda.so")) Files.writeString(torch.resolve(f), "");
        Files.createDirectories(site.resolve("nvidia/cuda_runtime/lib"));
        Files.writeString(site.resolve("nvidia/cuda_runtime/lib/libcudart.so.12"), "");
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho '" + site.resolve("torch") + "'\necho '2.7.1+cu128'\necho '12.8'\n");
        assertTrue(python.toFile().setExecutable(true));
        String[] plan = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString(), "--dry-run");
        assertEquals("0", plan[0], plan[1]);
        assertTrue(plan[1].contains("PYTORCH_LIBRARY_PATH=" + site.resolve("torch") + "/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128"), plan[1]);
        assertTrue(plan[1].contains("JNI library    DJL's own, from the kit's pytorch-jni jar (jnilib/linux-x86_64/cu128)"), plan[1]);
        assertFalse(Files.exists(dir.resolve("out")), "a dry run writes nothing");

        // another torch (2.11 + CUDA 13): DJL publishes no JNI for it, so it is refused unless one is given
        Files.writeString(python, "#!/bin/sh\necho '" + site.resolve("torch") + "'\necho '2.11.0+cu130'\necho '13.0'\n");
        String[] otherTorch = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString());
        assertEquals("3", otherTorch[0], otherTorch[1]);
        assertTrue(otherTorch[1].contains("torch 2.11.0+cu130 (cu130): DJL 0.36 publishes its JNI for libtorch 2.7.1 + CUDA 12.8"),
                otherTorch[1]);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written when nothing could run");
        Path jni = Files.writeString(dir.resolve("libdjl_torch.so"), "");
        String[] given = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString(), "--dry-run",
                "--jni", jni.toString());
        assertEquals("0", given[0], given[1]);
        assertTrue(given[1].contains("JNI library    " + jni + " -> ") && given[1].contains(
                "/djl-cache/pytorch/2.11.0-cu130-linux-x86_64/0.36.0-libdjl_torch.so"), "where DJL 0.36 looks first: " + given[1]);

        // the same torch built for the CPU: refused, nothing run
        Files.writeString(python, "#!/bin/sh\necho '" + site.resolve("torch") + "'\necho '2.11.0+cpu'\necho ''\n");
        Files.delete(torch.resolve("libtorch_cuda.so"));
        String[] cpuTorch = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString());
        assertEquals("3", cpuTorch[0], cpuTorch[1]);
        assertTrue(cpuTorch[1].contains("is a CPU build: a GPU run needs a CUDA build"), cpuTorch[1]);
    }
}
