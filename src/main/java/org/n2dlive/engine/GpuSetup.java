package org.n2dlive.engine;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU without environment variables. A user setting ({@link #configFile()}) names a folder holding a CUDA
 * libtorch; it is checked here ({@link #check}) and handed to DJL as system properties before the PyTorch engine
 * first loads ({@link #applyConfigured()}). DJL 0.36 reads PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR
 * with {@code ai.djl.util.Utils.getEnvOrSystemProperty}: the environment first, then system properties, so an
 * exported variable still wins (reported as {@link Reason#ENVIRONMENT}). Nothing is downloaded: {@code ai.djl.offline}
 * is set too (unless set already), so a libtorch or JNI library DJL cannot find fails with a message instead of a
 * download.
 *
 * <p>{@link #status} says which device PyTorch uses and, when it is the CPU, why ({@link Reason}).
 *
 * <p>Threading: static; applying and the status synchronize on the class. System properties are JVM-wide, which is
 * the point: the engine is one per JVM.
 */
public final class GpuSetup {
    /** System property naming the settings file instead of {@code ~/.n2d-live/gpu.properties} (tests, portable installs). */
    public static final String CONFIG_PROPERTY = "n2d.gpu.config";
    static final String KEY_FOLDER = "libtorch.folder";
    /** DJL's names for the settings it reads from the environment or system properties. */
    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    static final String VERSION = "PYTORCH_VERSION";
    static final String FLAVOR = "PYTORCH_FLAVOR";
    static final String OFFLINE = "ai.djl.offline";
    private static final Pattern VERSION_TEXT = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:\\+([A-Za-z0-9_.]+))?");
    private static final Pattern PY_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern PY_CUDA = Pattern.compile("(?m)^cuda\\s*(?::[^=]*)?=\\s*(None|['\"]([0-9.]+)['\"])");

    private GpuSetup() {
    }

    /** Why the GPU is or is not used; {@link #GPU} when it is. */
    public enum Reason {
        GPU,
        /** The setting names a good CUDA libtorch, and PyTorch has not loaded yet: it will be used when it does. */
        PENDING,
        MACOS,
        NO_DRIVER,
        NOT_CONFIGURED,
        BAD_SETTINGS_FILE,
        NO_SUCH_FOLDER,
        NO_LIBTORCH,
        CPU_LIBTORCH,
        UNKNOWN_VERSION,
        JNI_MISSING,
        JNI_MISMATCH,
        ENVIRONMENT,
        ENGINE_ALREADY_LOADED,
        CUDA_NOT_AVAILABLE,
        ENGINE_FAILED
    }

    /** Operating systems as libtorch names its files. */
    public enum Os {
        LINUX("libtorch.so", "libtorch_cuda.so", "libdjl_torch.so"),
        WINDOWS("torch.dll", "torch_cuda.dll", "djl_torch.dll"),
        MAC("libtorch.dylib", null, "libdjl_torch.dylib");

        final String libtorch;
        /** Present only in CUDA builds; null where PyTorch has no CUDA build. */
        final String libtorchCuda;
        final String jni;

        Os(String libtorch, String libtorchCuda, String jni) {
            this.libtorch = libtorch;
            this.libtorchCuda = libtorchCuda;
            this.jni = jni;
        }

        static Os current() {
            String n = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (n.startsWith("windows")) return WINDOWS;
            if (n.startsWith("mac") || n.contains("darwin")) return MAC;
            return LINUX;
        }
    }

    /**
     * What the checks need to know of the machine, so that tests can describe another one: OS, DJL's platform
     * classifier, whether an NVIDIA driver is visible, the environment, DJL's cache folder and the class loader
     * that holds DJL's JNI jar.
     */
    static final class Host {
        final Os os;
        final String classifier;
        final boolean driverVisible;
        final Map<String, String> env;
        final Path engineCacheDir;
        final ClassLoader jniLoader;

        Host(Os os, String classifier, boolean driverVisible, Map<String, String> env, Path engineCacheDir,
             ClassLoader jniLoader) {
            this.os = os;
            this.classifier = classifier;
            this.driverVisible = driverVisible;
            this.env = env;
            this.engineCacheDir = engineCacheDir;
            this.jniLoader = jniLoader;
        }

        static Host current() {
            Os os = Os.current();
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                    : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
            String prefix = os == Os.WINDOWS ? "win" : os == Os.MAC ? "osx" : "linux";
            Path cache;
            try {
                cache = ai.djl.util.Utils.getEngineCacheDir("pytorch");
            } catch (RuntimeException | LinkageError e) {
                cache = null; // only one of the places a JNI library may be: the others are still checked
            }
            return new Host(os, prefix + "-" + a, driverVisible(os), System.getenv(), cache, GpuSetup.class.getClassLoader());
        }

        /** The NVIDIA driver's own traces, found without loading anything. */
        private static boolean driverVisible(Os os) {
            switch (os) {
                case LINUX:
                    return Files.exists(Paths.get("/proc/driver/nvidia/version")) || Files.exists(Paths.get("/dev/nvidiactl"))
                            || Files.exists(Paths.get("/usr/lib/wsl/lib/libcuda.so.1")); // WSL 2: the driver lives in Windows
                case WINDOWS:
                    return Files.exists(Paths.get(System.getenv().getOrDefault("SystemRoot", "C:\\Windows"), "System32", "nvcuda.dll"));
                default:
                    return false;
            }
        }

        String envValue(String key) {
            String v = env.get(key);
            return v == null || v.isEmpty() ? null : v;
        }
    }

    /** A folder checked as a CUDA libtorch for this machine. Immutable. */
    public static final class Folder {
        public final Path given;
        /** The folder holding the libtorch library (what DJL's PYTORCH_LIBRARY_PATH names); null if none. */
        public final Path libDir;
        /** "2.7.1" and "cu128", null when unknown. */
        public final String version;
        public final String flavor;
        /** Where DJL will find its JNI library for this libtorch; null when it will not. */
        public final String jni;
        /** {@link Reason#PENDING} when the folder is usable, else the problem. */
        public final Reason reason;
        public final String message;

        Folder(Path given, Path libDir, String version, String flavor, String jni, Reason reason, String message) {
            this.given = given;
            this.libDir = libDir;
            this.version = version;
            this.flavor = flavor;
            this.jni = jni;
            this.reason = reason;
            this.message = message;
        }

        public boolean ok() {
            return reason == Reason.PENDING;
        }

        /** "2.7.1+cu128", or "unknown version". */
        public String describe() {
            return version == null ? "unknown version" : version + (flavor == null ? "" : "+" + flavor);
        }
    }

    /** Which device PyTorch uses (or will), and why not the GPU when it does not. Immutable. */
    public static final class Status {
        public final Reason reason;
        /** Why, in words; for {@link Reason#GPU} what was loaded. */
        public final String message;
        public final boolean engineLoaded;
        /** The configured folder, or null. */
        public final Path folder;
        public final Path configFile;
        /** What DJL loaded: "libtorch from /x, CUDA available"; null when not loaded. */
        public final String loaded;
        /**
         * What is wrong with the settings file or its folder, whatever the reason (a machine without a driver still
         * hears that its folder is bad); null when nothing is.
         */
        public final String settingsProblem;

        Status(Reason reason, String message, boolean engineLoaded, Path folder, Path configFile, String loaded,
               String settingsProblem) {
            this.reason = reason;
            this.message = message;
            this.engineLoaded = engineLoaded;
            this.folder = folder;
            this.configFile = configFile;
            this.loaded = loaded;
            this.settingsProblem = settingsProblem;
        }

        public boolean gpu() {
            return reason == Reason.GPU;
        }

        /** "gpu", "cpu", "none" (PyTorch failed to load), or "not loaded yet" while PyTorch has not started. */
        public String device() {
            if (reason == Reason.GPU) return "gpu";
            if (reason == Reason.ENGINE_FAILED) return "none";
            return engineLoaded ? "cpu" : "not loaded yet";
        }

        /** One line for a window or a log: "GPU (…)", "CPU: why", "GPU when PyTorch starts: …". */
        public String summary() {
            switch (reason) {
                case GPU:
                    return "GPU (" + message + ")";
                case PENDING:
                    return "GPU when PyTorch starts: " + message;
                case ENVIRONMENT:
                    return (engineLoaded ? "CPU: " : "not started yet: ") + message;
                case ENGINE_FAILED:
                    return "no device: " + message;
                default:
                    return (engineLoaded ? "CPU: " : "CPU when PyTorch starts: ") + message;
            }
        }
    }

    /** Whether an NVIDIA driver is visible to this process (its files, found without loading anything). */
    public static boolean driverVisible() {
        return Host.driverVisible(Os.current());
    }

    /** {@code -Dn2d.gpu.config}, else {@code ~/.n2d-live/gpu.properties}. */
    public static Path configFile() {
        String p = System.getProperty(CONFIG_PROPERTY);
        if (p != null && !p.trim().isEmpty()) return Paths.get(p.trim());
        return Paths.get(System.getProperty("user.home"), ".n2d-live", "gpu.properties");
    }

    /** The folder the settings file names, or null when there is no file or no folder in it. */
    public static Path readFolder(Path configFile) throws IOException {
        if (!Files.exists(configFile)) return null;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IllegalArgumentException e) { // a malformed \\u escape
            throw new IOException(configFile + ": not a properties file: " + e.getMessage(), e);
        }
        String f = p.getProperty(KEY_FOLDER);
        if (f == null || f.trim().isEmpty()) return null;
        try {
            return Paths.get(f.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException(configFile + ": " + KEY_FOLDER + " is not a path: " + e.getMessage(), e);
        }
    }

    /** Writes the folder (null: removes the setting) whole: a reader never sees half a file. */
    public static void writeFolder(Path configFile, Path folder) throws IOException {
        Path abs = configFile.toAbsolutePath();
        if (folder == null) {
            Files.deleteIfExists(abs);
            return;
        }
        Files.createDirectories(abs.getParent());
        Properties p = new Properties();
        p.setProperty(KEY_FOLDER, folder.toAbsolutePath().normalize().toString());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "n2d-live: the CUDA libtorch PyTorch loads (n2d gpu use <folder>, or the plugin's GPU folder button)");
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Checks a folder as a CUDA libtorch for this machine; never throws for a bad folder (the reason says why). */
    public static Folder check(Path folder) {
        return check(folder, Host.current());
    }

    static Folder check(Path folder, Host host) {
        if (folder == null) return new Folder(null, null, null, null, null, Reason.NO_SUCH_FOLDER, "no folder given");
        if (!Files.exists(folder)) {
            return new Folder(folder, null, null, null, null, Reason.NO_SUCH_FOLDER, "no such folder: " + folder);
        }
        if (!Files.isDirectory(folder)) {
            return new Folder(folder, null, null, null, null, Reason.NO_SUCH_FOLDER, folder + " is a file, not a folder");
        }
        Os os = host.os;
        Path lib;
        if (Files.isRegularFile(folder.resolve("lib").resolve(os.libtorch))) {
            lib = folder.resolve("lib");
        } else if (Files.isRegularFile(folder.resolve(os.libtorch))) {
            lib = folder;
        } else {
            return new Folder(folder, null, null, null, null, Reason.NO_LIBTORCH, "no libtorch in " + folder + ": expected lib/"
                    + os.libtorch + " (the folder of a libtorch download from pytorch.org, or of a Python torch package)");
        }
        lib = lib.toAbsolutePath().normalize();
        if (os == Os.MAC) {
            return new Folder(folder, lib, null, null, null, Reason.MACOS, "macOS has no CUDA: PyTorch runs on the CPU there");
        }
        if (!Files.isRegularFile(lib.resolve(os.libtorchCuda))) {
            return new Folder(folder, lib, null, "cpu", null, Reason.CPU_LIBTORCH, "a CPU-only libtorch: " + lib + " has no "
                    + os.libtorchCuda + "; choose a CUDA build (pytorch.org: libtorch for CUDA, or torch==2.7.1+cu128)");
        }
        String[] vf;
        try {
            vf = versionOf(lib.getParent());
        } catch (IOException e) {
            return new Folder(folder, lib, null, null, null, Reason.UNKNOWN_VERSION, "cannot read the version of the libtorch in "
                    + folder + ": " + e.getMessage());
        }
        if (vf == null || vf[0] == null || vf[1] == null) {
            return new Folder(folder, lib, null, null, null, Reason.UNKNOWN_VERSION, "cannot tell which libtorch " + lib
                    + " holds: neither build-version (libtorch download) nor version.py (Python torch) next to lib/ names "
                    + "its version and CUDA");
        }
        String version = vf[0];
        String flavor = vf[1];
        if (!flavor.startsWith("cu")) {
            return new Folder(folder, lib, version, flavor, null, Reason.CPU_LIBTORCH, "a " + flavor + " libtorch ("
                    + version + "+" + flavor + "), not a CUDA one");
        }
        return jni(folder, lib, version, flavor, host);
    }

    /** Where DJL 0.36's LibUtils.findJniLibrary will find its JNI library for this libtorch, in its order. */
    private static Folder jni(Path folder, Path lib, String version, String flavor, Host host) {
        String[] bundled = bundledJniVersion(host.jniLoader); // {torch version, DJL API version}, or null
        String api = bundled != null ? bundled[1] : null;
        if (api != null && Files.isRegularFile(lib.resolve(api + "-" + host.os.jni))) {
            return usable(folder, lib, version, flavor, lib.resolve(api + "-" + host.os.jni).toString());
        }
        if (Files.isRegularFile(lib.resolve(host.os.jni))) {
            return usable(folder, lib, version, flavor, lib.resolve(host.os.jni).toString());
        }
        if (api != null && host.engineCacheDir != null) {
            Path cached = host.engineCacheDir.resolve(version + "-" + flavor + "-" + host.classifier).resolve(api + "-" + host.os.jni);
            if (Files.isRegularFile(cached)) return usable(folder, lib, version, flavor, cached.toString());
        }
        String hint = "; put DJL's JNI library built for it (" + host.os.jni + ") into " + lib
                + " (tools/gpu-check/README.md)";
        if (bundled == null) {
            return new Folder(folder, lib, version, flavor, null, Reason.JNI_MISSING, "DJL's JNI jar (pytorch-jni) is not on the "
                    + "class path, and " + lib + " holds no " + host.os.jni + hint);
        }
        if (!version.equals(bundled[0])) {
            return new Folder(folder, lib, version, flavor, null, Reason.JNI_MISMATCH, "libtorch " + version + "+" + flavor
                    + " does not match the JNI library this build carries (for libtorch " + bundled[0] + ")" + hint);
        }
        String resource = "jnilib/" + host.classifier + "/" + flavor + "/" + host.os.jni;
        if (host.jniLoader == null || host.jniLoader.getResource(resource) == null) {
            return new Folder(folder, lib, version, flavor, null, Reason.JNI_MISSING, "this build carries no JNI library for "
                    + "libtorch " + version + "+" + flavor + " on " + host.classifier + " (DJL publishes " + bundled[0]
                    + " for cpu and cu128 only)" + hint);
        }
        return usable(folder, lib, version, flavor, "DJL's pytorch-jni jar (" + resource + ")");
    }

    private static Folder usable(Path folder, Path lib, String version, String flavor, String jni) {
        return new Folder(folder, lib, version, flavor, jni, Reason.PENDING, "the CUDA libtorch " + version + "+" + flavor
                + " in " + lib + " (JNI: " + jni + ")");
    }

    /** {torch version, DJL API version} of the JNI jar on the class path ("2.7.1-0.36.0"), or null. */
    private static String[] bundledJniVersion(ClassLoader loader) {
        URL u = loader == null ? null : loader.getResource("jnilib/pytorch.properties");
        if (u == null) return null;
        Properties p = new Properties();
        try (InputStream in = u.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        String v = p.getProperty("jni_version", "");
        int dash = v.indexOf('-');
        return dash <= 0 ? null : new String[] {v.substring(0, dash), v.substring(dash + 1)};
    }

    /**
     * {version, flavor} from a libtorch download's {@code build-version} ("2.7.1+cu128") or a Python torch package's
     * {@code version.py} ({@code __version__}, and {@code cuda} when the version has no "+cuNNN"); null when neither.
     */
    static String[] versionOf(Path root) throws IOException {
        if (root == null) return null;
        Path bv = root.resolve("build-version");
        if (Files.isRegularFile(bv)) {
            Matcher m = VERSION_TEXT.matcher(new String(Files.readAllBytes(bv), StandardCharsets.UTF_8).trim());
            if (m.matches()) return new String[] {m.group(1), m.group(2)};
        }
        Path py = root.resolve("version.py");
        if (Files.isRegularFile(py)) {
            String text = new String(Files.readAllBytes(py), StandardCharsets.UTF_8);
            Matcher m = PY_VERSION.matcher(text);
            if (!m.find()) return null;
            Matcher v = VERSION_TEXT.matcher(m.group(1));
            if (!v.matches()) return null;
            String flavor = v.group(2);
            if (flavor == null) { // e.g. Linux's default "2.7.1", built for CUDA 12.6: version.py's cuda says which
                Matcher c = PY_CUDA.matcher(text);
                if (c.find()) flavor = c.group(2) == null ? "cpu" : "cu" + c.group(2).replace(".", "");
            }
            return new String[] {v.group(1), flavor};
        }
        return null;
    }

    /**
     * Applies the settings file's folder before PyTorch loads: sets DJL's system properties when the folder is a
     * usable CUDA libtorch, an NVIDIA driver is visible and the environment does not already choose a libtorch.
     * Returns the status as it stands; PyTorch is not loaded by this call. Calling it again is harmless.
     */
    public static Status applyConfigured() {
        synchronized (GpuSetup.class) {
            return apply(configFile(), Host.current(), engineProbe(), System.getProperties());
        }
    }

    /** {@link #applyConfigured()} with the machine, the engine's state and the properties to set given. */
    static Status apply(Path configFile, Host host, Loaded loaded, Properties sys) {
        Path folder = null;
        String settingsError = null;
        try {
            folder = readFolder(configFile);
        } catch (IOException e) {
            settingsError = e.getMessage();
        }
        Folder f = folder == null ? null : check(folder, host);
        boolean usable = f != null && f.ok() && host.driverVisible && host.os != Os.MAC
                && host.envValue(LIBRARY_PATH) == null && loaded == null;
        // Whatever is used: a libtorch or JNI library DJL cannot find is then an error, not a download at run time
        // (an explicit -Dai.djl.offline=false is the user's choice and stays).
        if (sys.getProperty(OFFLINE) == null) sys.setProperty(OFFLINE, "true");
        if (usable) {
            sys.setProperty(LIBRARY_PATH, f.libDir.toString());
            sys.setProperty(VERSION, f.version);
            sys.setProperty(FLAVOR, f.flavor);
        }
        return decide(host, configFile, folder, settingsError, f, loaded, sys.getProperty(LIBRARY_PATH));
    }

    /**
     * The status now. {@code loadEngine}: apply the settings and load PyTorch to find out (seconds, the first time);
     * else report what is known without loading it.
     */
    public static Status status(boolean loadEngine) {
        synchronized (GpuSetup.class) {
            Host host = Host.current();
            Path config = configFile();
            if (loadEngine) {
                apply(config, host, engineProbe(), System.getProperties());
                try {
                    CpuKernelPath.prepare();
                    Engine.getEngine("PyTorch");
                } catch (RuntimeException | LinkageError e) {
                    return apply(config, host, new Loaded(loadedPath(), false, describe(e)), System.getProperties());
                }
            }
            return apply(config, host, engineProbe(), System.getProperties());
        }
    }

    /** What DJL loaded. Immutable. */
    static final class Loaded {
        /** DJL's libtorch folder; null when it failed before finding one. */
        final String libDir;
        final boolean cuda;
        /** Why PyTorch failed to load; null when it loaded. */
        final String error;

        Loaded(String libDir, boolean cuda, String error) {
            this.libDir = libDir;
            this.cuda = cuda;
            this.error = error;
        }
    }

    /** Null while PyTorch has not loaded (DJL's LibUtils has not located a libtorch yet); never loads it. */
    private static Loaded engineProbe() {
        String dir = loadedPath();
        if (dir == null) return null;
        try {
            CpuKernelPath.prepare();
            Engine e = Engine.getEngine("PyTorch");
            return new Loaded(dir, e.hasCapability("CUDA"), null);
        } catch (RuntimeException | LinkageError e) {
            return new Loaded(dir, false, describe(e));
        }
    }

    private static String loadedPath() {
        try {
            return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            return null; // its libtorch field is still null: nothing located, nothing loaded
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
    }

    /**
     * The reason, most fundamental first; pure, so the tests can walk every one. {@code appliedDir}: the libtorch
     * folder DJL's system property names, or null.
     */
    static Status decide(Host host, Path configFile, Path folder, String settingsError, Folder f, Loaded loaded,
                         String appliedDir) {
        String problem = settingsError != null ? "the GPU settings file cannot be read: " + settingsError
                : f != null && !f.ok() ? "the GPU folder " + folder + " is not usable: " + f.message : null;
        boolean isLoaded = loaded != null;
        String what = !isLoaded ? null : loaded.libDir == null ? "no libtorch found"
                : "libtorch from " + loaded.libDir + (loaded.error != null ? "" : loaded.cuda ? ", CUDA available" : ", no CUDA");
        if (isLoaded && loaded.error == null && loaded.cuda) {
            return new Status(Reason.GPU, what, true, folder, configFile, what, problem);
        }
        if (isLoaded && loaded.error != null) {
            String from = appliedDir == null ? "" : " from " + appliedDir + " (choose another folder, or remove "
                    + configFile + " for the bundled CPU libtorch)";
            return new Status(Reason.ENGINE_FAILED, "PyTorch did not load" + from + ": " + loaded.error, true, folder,
                    configFile, what, problem);
        }
        Reason r;
        String why;
        String env = host.envValue(LIBRARY_PATH);
        if (host.os == Os.MAC) {
            r = Reason.MACOS;
            why = "macOS has no CUDA: PyTorch runs on the CPU there";
        } else if (!host.driverVisible) {
            r = Reason.NO_DRIVER;
            why = "no NVIDIA driver is visible to this process ("
                    + (host.os == Os.WINDOWS ? "no nvcuda.dll in System32" : "no /proc/driver/nvidia/version or /dev/nvidiactl") + ")";
        } else if (env != null) {
            r = Reason.ENVIRONMENT;
            why = "the environment variable " + LIBRARY_PATH + "=" + env + " chooses the libtorch (DJL reads it before the GPU "
                    + "folder setting)" + (isLoaded ? ", and PyTorch sees no usable GPU with it" : "; whether it has CUDA shows "
                    + "when PyTorch starts");
        } else if (settingsError != null) {
            r = Reason.BAD_SETTINGS_FILE;
            why = problem;
        } else if (folder == null) {
            r = Reason.NOT_CONFIGURED;
            why = "no CUDA libtorch is configured, and the bundled libtorch is CPU-only (choose one: n2d gpu use <folder>, "
                    + "or the plugin's \"GPU folder…\" button)";
        } else if (!f.ok()) {
            r = f.reason;
            why = "the GPU folder is not usable: " + f.message;
        } else if (isLoaded && !samePath(loaded.libDir, f.libDir)) {
            r = Reason.ENGINE_ALREADY_LOADED;
            why = "PyTorch was already loaded (libtorch from " + loaded.libDir + ") before the GPU folder " + f.libDir
                    + " could be applied; it takes effect at the next start";
        } else if (isLoaded) {
            r = Reason.CUDA_NOT_AVAILABLE;
            why = "the CUDA libtorch " + f.describe() + " from " + f.libDir + " loaded, but PyTorch sees no usable GPU: the "
                    + "NVIDIA driver may be older than " + f.flavor + " needs (nvidia-smi shows the newest CUDA it supports)";
        } else {
            r = Reason.PENDING;
            why = f.message;
        }
        return new Status(r, why, isLoaded, folder, configFile, what, problem);
    }

    private static boolean samePath(String a, Path b) {
        try {
            Path pa = Paths.get(a);
            if (Files.exists(pa) && Files.exists(b)) return Files.isSameFile(pa, b);
            return pa.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
