package org.n2dlive.engine;

/**
 * What DJL must be told before its engines load, set as system properties (DJL reads them as it reads its
 * environment variables, so nothing has to be exported before the JVM starts):
 * <ul>
 *   <li>offline, and no usage telemetry: DJL otherwise probes a cloud metadata address and may download natives,
 *       which a microscope PC must never do unasked;</li>
 *   <li>where natives are extracted: a stated folder of the product's ({@link #nativesFolder()});</li>
 *   <li>how many threads libtorch and ONNX Runtime compute with: a host that shares the machine (Micro-Manager's
 *       camera, display and Swing threads) leaves them a core.</li>
 * </ul>
 * A property the user set already is kept. Stateless; any thread, before the first engine use.
 */
public final class EngineDefaults {
    /** System property: threads for the models' math (default: all cores for the CLI, cores − 1 in the plugin). */
    public static final String THREADS = "n2d.threads";

    private EngineDefaults() {
    }

    /** Offline and private, with the math on {@code threads} threads (at least 1) unless {@link #THREADS} says. */
    public static void apply(int threads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        if (isBlank(System.getenv("ENGINE_CACHE_DIR")) && isBlank(System.getenv("DJL_CACHE_DIR"))
                && isBlank(System.getProperty("DJL_CACHE_DIR"))) {
            setIfAbsent("ENGINE_CACHE_DIR", nativesFolder().toString());
        }
        int n = threads();
        if (n <= 0) n = Math.max(1, threads);
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(n));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.onnxruntime.num_threads", Integer.toString(n));
        setIfAbsent(THREADS, Integer.toString(n));
    }

    /**
     * Where the engines' native libraries are extracted from their jars, once per machine and version (~100 MB for
     * libtorch): {@code ~/.n2d-live/natives}, unless DJL's own ENGINE_CACHE_DIR or DJL_CACHE_DIR says otherwise.
     */
    public static java.nio.file.Path nativesFolder() {
        return java.nio.file.Paths.get(System.getProperty("user.home"), ".n2d-live", "natives");
    }

    private static boolean isBlank(String s) {
        return s == null || s.trim().isEmpty();
    }

    /** Cores − 1, at least 1: what a process that shares the machine with an application should use. */
    public static int sharedMachineThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** The threads {@link #THREADS} asks for, or 0 when unset or not a positive number. */
    public static int threads() {
        String v = System.getProperty(THREADS);
        if (v == null) return 0;
        try {
            int n = Integer.parseInt(v.trim());
            return n > 0 ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
