package org.n2dlive.gpukit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * argument handling and preflight errors of the run and build scripts on a machine without a GPU.
 */
class GpuKitScriptsTest {
    private static Path tools;
    private static Path jniSrc;

    @BeforeAll
    static void locate() {
        tools = TestPaths.repoRoot().resolve("tools/gpu-check");
        jniSrc = TestPaths.repoRoot().resolve("../shared/djl-pytorch-jni").normalize();
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
    void packsTheKitWithoutCpuNativesAndWithJniSourcesHeaderAndPatch(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(jniSrc), "../shared/djl-pytorch-jni absent");
        Path kit = dir.resolve("kit");
        String[] r = bash(tools.resolve("pack.sh").toString(), "--no-jlink", "--engine-dir", engineBuild(dir).toString(),
                "--jni-src", jniSrc.toString(), kit.toString());
        assertEquals("0", r[0], r[1]);

        assertEquals(List.of("n2d-live-engine-0.1.0.jar"), names(kit.resolve("app")));
        assertEquals(List.of("gson-2.13.1.jar", "onnxruntime-1.21.1.jar", "onnxruntime-engine-0.36.0.jar", "pytorch-engine-0.36.0.jar"),
                names(kit.resolve("lib")), "libtorch's CPU natives and the prebuilt 2.7.1 JNI stay behind");
        List<String> ort = entries(kit.resolve("lib/onnxruntime-1.21.1.jar"));
        assertTrue(ort.contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so"), ort.toString());
        assertTrue(ort.contains("ai/onnxruntime/OrtEnvironment.txt"), "the Java side stays: " + ort);
        assertFalse(ort.stream().anyMatch(n -> n.contains("osx-x64") || n.contains("win-x64")), ort.toString());
        assertTrue(ort.contains("META-INF/MANIFEST.MF"));

        String header = Files.readString(kit.resolve("jni/include/ai_djl_pytorch_jni_PyTorchLibrary.h"));
        assertTrue(header.contains("Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSetGradMode"), "javac -h made the JNI header");
        assertTrue(Files.isRegularFile(kit.resolve("jni/djl-pytorch-jni/engines/pytorch/pytorch-native/CMakeLists.txt")));
        assertTrue(Files.isRegularFile(kit.resolve("jni/patches/libtorch-2.11-compat.patch")));
        assertTrue(names(kit.resolve("test-streams")).containsAll(List.of("cells-256.stream", "cells-2048.stream", "README.md")));
        for (String s : List.of("run-gpu-check.sh", "build-jni.sh", "bin/n2d")) {
            assertTrue(Files.isExecutable(kit.resolve(s)), s + " executable");
        }
        assertFalse(Files.exists(kit.resolve("runtime")), "--no-jlink");
        String info = Files.readString(kit.resolve("KIT_INFO"));
        assertTrue(info.contains("left out: pytorch-jni-2.7.1-0.36.0.jar pytorch-native-cpu-2.7.1-linux-x86_64.jar"), info);
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
                "--jni-src", jniSrc.toString(), kit.toString())[0]);
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("keep.txt"), "mine");
        String[] refused = bash(tools.resolve("pack.sh").toString(), "--no-jlink", "--engine-dir", dir.resolve("engine").toString(),
                "--jni-src", jniSrc.toString(), other.toString());
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
        assumeTrue(Files.isDirectory(jniSrc), "../shared/djl-pytorch-jni absent");
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
                "--jni-src", jniSrc.toString(), kit.toString())[0]);
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

        // a GPU and a CUDA torch as a pip install lays them out: the plan names what DJL will be told
        Files.writeString(smi, "#!/bin/sh\necho 'GPU 0: NVIDIA H200 (UUID: GPU-0)'\n");
        Path site = dir.resolve("site-packages");
        Path torch = Files.createDirectories(site.resolve("torch/lib"));
        for (String f : List.of("libtorch.so", "libtorch_cpu.so", "libtorch_cuda.so")) Files.writeString(torch.resolve(f), "");
        Files.createDirectories(site.resolve("nvidia/cu13/lib"));
        Files.writeString(site.resolve("nvidia/cu13/lib/libcudart.so.13"), "");
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho '" + site.resolve("torch") + "'\necho '2.11.0+cu130'\necho '13.0'\n");
        assertTrue(python.toFile().setExecutable(true));
        String[] plan = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString(), "--dry-run");
        assertEquals("0", plan[0], plan[1]);
        assertTrue(plan[1].contains("PYTORCH_LIBRARY_PATH=" + site.resolve("torch") + "/lib PYTORCH_VERSION=2.11.0 PYTORCH_FLAVOR=cu130"), plan[1]);
        assertTrue(plan[1].contains("/djl-cache/pytorch/2.11.0-cu130-linux-x86_64/0.36.0-libdjl_torch.so"), plan[1]);
        assertFalse(Files.exists(dir.resolve("out")), "a dry run writes nothing");

        // the same torch built for the CPU: refused, nothing run
        Files.writeString(python, "#!/bin/sh\necho '" + site.resolve("torch") + "'\necho '2.11.0+cpu'\necho ''\n");
        Files.delete(torch.resolve("libtorch_cuda.so"));
        String[] cpuTorch = bash(Map.of("PATH", bin.toString()), run, "--out", dir.resolve("out").toString());
        assertEquals("3", cpuTorch[0], cpuTorch[1]);
        assertTrue(cpuTorch[1].contains("is a CPU build: a GPU run needs a CUDA build"), cpuTorch[1]);
    }

    @Test
    void buildScriptChecksItsInputs(@TempDir Path dir) throws Exception {
        String build = tools.resolve("build-jni.sh").toString();
        assertEquals("0", bash(build, "--help")[0]);
        String[] noTorch = bash(build, "--out", dir.resolve("x.so").toString());
        assertEquals("2", noTorch[0]);
        assertTrue(noTorch[1].contains("--torch is required"), noTorch[1]);
        assertEquals("2", bash(build, "--torch", dir.toString(), "--out", "x.so", "--method", "magic")[0]);
        String[] missing = bash(build, "--torch", dir.resolve("nope").toString(), "--out", "x.so");
        assertEquals("4", missing[0]);
        // a folder with the libraries but no C++ headers (e.g. a torch installed without them)
        Path fake = Files.createDirectories(dir.resolve("torch/lib"));
        Files.writeString(fake.resolve("libtorch.so"), "");
        Files.writeString(fake.resolve("libtorch_cpu.so"), "");
        String[] noHeaders = bash(build, "--torch", dir.resolve("torch").toString(), "--out", dir.resolve("x.so").toString());
        assertEquals("4", noHeaders[0], noHeaders[1]);
        assertTrue(noHeaders[1].contains("has no C++ headers"), noHeaders[1]);
        assertFalse(Files.exists(dir.resolve("x.so")));
    }

    /**
     * The build's mechanics with a stand-in compiler (no libtorch headers exist here): sources patched, the
     * generated header in place, every source compiled once with the torch and JNI include paths and the ABI
     * flag, linked against libtorch, checked for the JNI entry points and installed; cmake's failure on a folder
     * that is no CMake package falls back to the direct build; a compiler error in the legacy profiler leads to
     * the one rebuild without it.
     */
    @Test
    void buildScriptCompilesEverySourceAndFallsBack(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(jniSrc), "../shared/djl-pytorch-jni absent");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")) && Files.isExecutable(Path.of("/usr/bin/patch")), "no cc or patch");
        Path torch = dir.resolve("torch");
        Files.createDirectories(torch.resolve("lib"));
        Files.createDirectories(torch.resolve("include/torch/csrc/api/include/torch"));
        Files.writeString(torch.resolve("lib/libtorch.so"), "");
        Files.writeString(torch.resolve("lib/libtorch_cpu.so"), "");
        Files.writeString(torch.resolve("include/torch/script.h"), "");
        Files.writeString(torch.resolve("include/torch/csrc/api/include/torch/torch.h"), "");
        Path header = Files.createDirectories(dir.resolve("header"));
        Files.writeString(header.resolve("ai_djl_pytorch_jni_PyTorchLibrary.h"), "/* generated */");
        Path log = dir.resolve("cxx.log");
        Path cxx = dir.resolve("fake-c++");
        Files.writeString(cxx, String.join("\n",
                "#!/bin/bash",
                "echo \"$*\" >> \"$CXX_LOG\"",
                "out=''; src=''; shared=0; prev=''",
                "for a in \"$@\"; do",
                "  [ \"$prev\" = -o ] && out=$a; [ \"$prev\" = -c ] && src=$a; [ \"$a\" = -shared ] && shared=1; prev=$a",
                "done",
                "if [ -n \"$src\" ]; then",
                "  case \"$src\" in *_system.cc) if [ -n \"$FAIL_PROFILER\" ] && [[ \" $* \" != *' -DDJL_NO_LEGACY_PROFILER '* ]]; then",
                "    echo \"$src:307: error: 'enableProfilerLegacy' was not declared in this scope\" >&2; exit 1; fi;; esac",
                "  grep -q DJL_NO_LEGACY_PROFILER \"$src\" 2>/dev/null || case \"$src\" in *_system.cc) echo unpatched >&2; exit 1;; esac",
                "  : > \"$out\"; exit 0",
                "fi",
                "if [ $shared = 1 ]; then",
                "  echo 'void Java_ai_djl_pytorch_jni_PyTorchLibrary_torchSetGradMode(void) {}' | /usr/bin/cc -shared -fPIC -x c - -o \"$out\"",
                "  exit $?",
                "fi",
                "exit 1", ""));
        assertTrue(cxx.toFile().setExecutable(true));
        Path out = dir.resolve("out/libdjl_torch.so");
        String[] r = bash(Map.of("CXX", cxx.toString(), "CXX_LOG", log.toString(), "FAIL_PROFILER", "1"),
                tools.resolve("build-jni.sh").toString(), "--torch", torch.toString(), "--out", out.toString(),
                "--src", jniSrc.toString(), "--header", header.toString(), "--java-home", System.getProperty("java.home"),
                "--work", dir.resolve("work").toString(), "--method", "auto", "--abi", "1", "--jobs", "2");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("falling back to the direct build"), r[1]);
        assertTrue(r[1].contains("rebuilding with -DDJL_NO_LEGACY_PROFILER"), r[1]);
        assertTrue(Files.size(out) > 0);
        assertTrue(Files.readString(dir.resolve("work/src/engines/pytorch/pytorch-native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h"))
                .contains("generated"));

        List<String> calls = Files.readAllLines(log);
        long sources;
        try (Stream<Path> s = Files.list(jniSrc.resolve("engines/pytorch/pytorch-native/src/main/native"))) {
            sources = s.filter(p -> p.toString().endsWith(".cc")).count();
        }
        List<String> last = calls.stream().filter(c -> c.contains("-DDJL_NO_LEGACY_PROFILER") && c.contains(" -c ")).collect(Collectors.toList());
        assertEquals(sources, last.size(), "every source compiled once in the rebuild: " + last);
        for (String c : last) {
            assertTrue(c.contains("-I" + torch + "/include ") && c.contains("-I" + torch + "/include/torch/csrc/api/include"), c);
            assertTrue(c.contains("-D_GLIBCXX_USE_CXX11_ABI=1") && c.contains("-std=c++17") && c.contains("-fPIC"), c);
            assertTrue(c.contains("/include/linux"), "jni_md.h's folder: " + c);
            assertFalse(c.contains("-DUSE_CUDA"), "no libtorch_cuda.so in this torch: a CPU build");
        }
        String link = calls.get(calls.size() - 1);
        assertTrue(link.contains("-shared") && link.contains("-ltorch -ltorch_cpu -lc10") && link.contains("-L" + torch + "/lib"), link);
    }

    @Test
    void thePatchAppliesToDjlsSources(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(jniSrc), "../shared/djl-pytorch-jni absent");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/patch")), "no patch program");
        Path copy = dir.resolve("src");
        String[] cp = bash("-c", "cp -r \"$0\" \"$1\"", jniSrc.toString(), copy.toString());
        assertEquals("0", cp[0], cp[1]);
        String[] r = bash("-c", "cd \"$0\" && patch -p1 --forward --batch < \"$1\"", copy.toString(),
                tools.resolve("patches/libtorch-2.11-compat.patch").toString());
        assertEquals("0", r[0], r[1]);
        Path native_ = copy.resolve("engines/pytorch/pytorch-native/src/main/native");
        String system = Files.readString(native_.resolve("ai_djl_pytorch_jni_PyTorchLibrary_system.cc"));
        assertTrue(system.contains("#ifndef DJL_NO_LEGACY_PROFILER"), "the legacy profiler can be compiled out");
        assertTrue(Files.readString(native_.resolve("ai_djl_pytorch_jni_PyTorchLibrary_tensor.cc"))
                .contains("at::AutoDispatchBelowADInplaceOrView guard;"));
        try (Stream<Path> files = Files.list(native_)) {
            for (Path f : files.collect(Collectors.toList())) {
                String text = Files.readString(f);
                assertFalse(text.contains("c10::optional") || text.contains("c10::nullopt"), f + " still names c10::optional");
                assertFalse(text.contains("AutoNonVariableTypeMode guard"), f + " still uses AutoNonVariableTypeMode");
            }
        }
    }
}
