package org.n2dlive.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Which instruction set libtorch's CPU kernels may use, decided once per process before libtorch loads, since the
 * math libraries inside it (oneDNN, ATen, MKL) read their caps from the environment only then.
 *
 * <p>On a CPU with AVX-512 the fast kernels are run first in a child JVM ({@code CpuKernelProbe}: the known-answer
 * check of {@link NumericsCheck} on the channel counts the profiles use, each twice, since the wrong kernels measured on
 * AMD Zen 5 were wrong on some runs and not others). Where they are right they are kept. Where they are wrong, this
 * process caps oneDNN, ATen and MKL at AVX2 (set into its own environment before libtorch loads, so neither the
 * launcher nor Micro-Manager's start-up needs changing). The verdict is cached per CPU model and libtorch version in
 * {@code ~/.n2d-live/cpu-kernels.properties}, so only the first start on a machine pays for the probe (seconds).
 * A user's own {@code ONEDNN_MAX_CPU_ISA} is kept, and {@code -Dn2d.cpu.kernels=native|avx2|auto} overrides.
 * What was decided, and why, is in {@link #describe()} for logs and reports; the in-process check
 * ({@code CpuKernelCheck}) still verifies every net shape on whatever kernels are in use.
 *
 * <p>Threading: {@link #prepare()} is synchronized and idempotent; call it before anything loads PyTorch.
 */
public final class CpuKernelPath {
    /** System property: auto (default), native (never cap) or avx2 (always cap). */
    public static final String MODE = "n2d.cpu.kernels";
    /** System property naming the verdict cache instead of {@code ~/.n2d-live/cpu-kernels.properties}. */
    public static final String CACHE = "n2d.cpu.kernels.cache";
    /** The libtorch whose kernels were judged (the one the build ships; a verdict for another does not carry over). */
    static final String LIBTORCH = "2.7.1";
    private static final String PROBE = "org.n2dlive.engine.pytorch.CpuKernelProbe";
    private static final String[][] CAPS = {
        {"ONEDNN_MAX_CPU_ISA", "AVX2"}, {"ATEN_CPU_CAPABILITY", "avx2"}, {"MKL_ENABLE_INSTRUCTIONS", "AVX2"}};

    /** Written once by {@link #prepare()}; read without its lock, so that a settings window's refresh on the Swing
     *  thread never waits for the probe (a first start's probe held the real MMStudio's Swing thread for seconds). */
    private static volatile String decision;

    private CpuKernelPath() {
    }

    /** Decides and applies the kernel path; returns the one-line description. Before libtorch loads. */
    public static synchronized String prepare() {
        if (decision != null) return decision;
        decision = decide();
        org.slf4j.LoggerFactory.getLogger(CpuKernelPath.class).info("n2d-live CPU kernels: {}", decision);
        return decision;
    }

    /** {@link #describe()} in a few words, for a settings window (the log has the whole reason). */
    public static String brief() {
        String d = describe();
        if (d.contains("AVX-512 kernels are wrong")) return "AVX2 (the AVX-512 kernels are wrong on this CPU)";
        int cut = d.indexOf(" (");
        return cut > 0 && d.startsWith("native") ? d.substring(0, cut) : d;
    }

    /** What {@link #prepare()} decided, or "not decided" before. */
    public static String describe() {
        String d = decision;
        return d == null ? "not decided" : d;
    }

    static String decide() {
        String userCap = System.getenv("ONEDNN_MAX_CPU_ISA");
        if (userCap != null) return "oneDNN capped at " + userCap + " by the environment";
        String mode = System.getProperty(MODE, "auto").trim().toLowerCase(Locale.ROOT);
        if (mode.equals("native")) return "native (n2d.cpu.kernels=native)";
        if (mode.equals("avx2")) return cap("AVX2 (n2d.cpu.kernels=avx2)");
        if (!mode.equals("auto")) {
            throw new IllegalArgumentException(MODE + " must be auto, native or avx2, got '" + mode + "'");
        }
        String flags = cpuFlags();
        if (flags == null) return "native (CPU features not readable here; each net shape is still checked)";
        if (!flags.contains(" avx512f")) return "native (no AVX-512)";
        String key = cacheKey();
        Path cache = cacheFile();
        String verdict = readVerdict(cache, key);
        String source = "cached";
        if (verdict == null) {
            long t0 = System.nanoTime();
            verdict = probe();
            source = String.format(Locale.ROOT, "probed in %.1f s", (System.nanoTime() - t0) / 1e9);
            if (!verdict.startsWith("unknown")) writeVerdict(cache, key, verdict);
        }
        if (verdict.startsWith("right")) return "native AVX-512 (right on this CPU, " + source + ")";
        return cap("AVX2: the AVX-512 kernels are " + verdict + " on this CPU (" + source + ")");
    }

    /** Sets the caps in this process's environment; libtorch reads them when it loads. */
    private static String cap(String why) {
        for (String[] kv : CAPS) {
            if (!Env.set(kv[0], kv[1])) {
                return "native: the AVX2 cap could not be set here (" + why + "); each net shape is still checked";
            }
        }
        return why;
    }

    /** The CPU's flags line (Linux), space-led, or null where the OS does not say. */
    static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String cacheKey() {
        String model = "?";
        String family = "?";
        String number = "?";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                String v = line.substring(line.indexOf(':') + 1).trim();
                if (line.startsWith("model name")) model = v;
                else if (line.startsWith("cpu family")) family = v;
                else if (line.startsWith("model\t") || line.startsWith("model ")) number = v;
                if (line.trim().isEmpty()) break; // the first CPU is enough
            }
        } catch (IOException | RuntimeException ignored) {
            // the key stays generic
        }
        String raw = model + "|" + family + "|" + number + "|libtorch " + LIBTORCH;
        return raw.replaceAll("[^A-Za-z0-9|._ -]", "_").replace(' ', '_');
    }

    static Path cacheFile() {
        String p = System.getProperty(CACHE);
        if (p != null) return Paths.get(p);
        return Paths.get(System.getProperty("user.home"), ".n2d-live", "cpu-kernels.properties");
    }

    static String readVerdict(Path file, String key) {
        if (!Files.isRegularFile(file)) return null;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return null; // an unreadable cache is probed again
        }
        return p.getProperty(key);
    }

    static void writeVerdict(Path file, String key, String verdict) {
        try {
            Properties p = new Properties();
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
            }
            p.setProperty(key, verdict);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "cpu-kernels", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "n2d-live: whether libtorch " + LIBTORCH + "'s AVX-512 CPU kernels compute right here");
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // not cached: the next start probes again
        }
    }

    /**
     * Runs the probe in a child JVM on the uncapped kernels. "right", "wrong: ..." or "unknown: ..." (a probe that
     * could not run counts as wrong: AVX2 is right wherever it was measured, only slower).
     */
    private static String probe() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-D" + MODE + "=native");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-DOPT_OUT_TRACKING=true");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        for (String k : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "ENGINE_CACHE_DIR",
            "ai.djl.pytorch.num_threads"}) {
            String v = System.getProperty(k);
            if (v != null) cmd.add("-D" + k + "=" + v);
        }
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(PROBE);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown: the probe did not finish in 180 s";
            }
            String text = new String(out, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("verdict: ")) return line.substring("verdict: ".length()).trim();
            }
            return "unknown: the probe exited " + p.exitValue() + " without a verdict: " + tail(text);
        } catch (IOException e) {
            return "unknown: the probe could not start: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown: interrupted";
        }
    }

    private static String tail(String s) {
        String t = s.trim().replace('\n', ' ');
        return t.length() > 300 ? "…" + t.substring(t.length() - 300) : t;
    }

    /** This process's class path, with the jar (or folder) holding these classes first (a plugin jar, say). */
    private static String classPath() {
        String own = null;
        try {
            own = Paths.get(CpuKernelPath.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException ignored) {
            // the JVM's class path alone
        }
        String jvm = System.getProperty("java.class.path", "");
        return own == null ? jvm : own + java.io.File.pathSeparator + jvm;
    }

    /** Sets a variable in this process's C environment (what native libraries read), through the C library. */
    static final class Env {
        interface Posix extends Library {
            int setenv(String name, String value, int overwrite);
        }

        interface Windows extends Library {
            int _putenv_s(String name, String value);
        }

        static boolean set(String name, String value) {
            try {
                if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                    return load("ucrtbase", Windows.class)._putenv_s(name, value) == 0;
                }
                return load("c", Posix.class).setenv(name, value, 1) == 0;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return false;
            }
        }

        /**
         * {@code Native.loadLibrary(name, type)}, by reflection: Micro-Manager puts its own JNA 4.5 first on the class
         * path, which has no {@code Native.load} (JNA 5) and whose {@code loadLibrary(String, Class)} returns Object
         * where JNA 5's returns Library, so a call compiled against JNA 5 fails there with NoSuchMethodError (seen in
         * the real MMStudio, mm-plugin/e2e). Looked up by parameter types, the method is found in both.
         */
        private static <T extends Library> T load(String library, Class<T> type) throws ReflectiveOperationException {
            return type.cast(Native.class.getMethod("loadLibrary", String.class, Class.class).invoke(null, library, type));
        }
    }
}
