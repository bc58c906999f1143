package org.n2dlive.engine.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.n2dlive.engine.BackgroundTask;
import org.n2dlive.engine.CpuKernelPath;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.EngineDefaults;

/**
 * The one way into DJL's PyTorch engine: the CPU kernel path is decided ({@link CpuKernelPath}) before libtorch can
 * load, whichever part of the program touches it first. The first use loads libtorch, extracting it from the
 * native jar into {@link EngineDefaults#nativesFolder()} on a machine's first start; {@link #loadReport()} says
 * which happened. Any thread.
 */
public final class TorchRuntime {
    private static volatile String loadReport;
    private static final Map<String, CompletableFuture<String>> BACKGROUND = new ConcurrentHashMap<>();

    private TorchRuntime() {
    }

    /** A new base manager on {@code device}, after the kernel path is settled. */
    public static NDManager manager(Device device) {
        CpuKernelPath.prepare();
        if (loadReport != null) return NDManager.newBaseManager(device, "PyTorch");
        synchronized (TorchRuntime.class) {
            if (loadReport != null) return NDManager.newBaseManager(device, "PyTorch");
            Path folder = nativesFolder();
            boolean there = folder == null || Files.isDirectory(folder);
            long t0 = System.nanoTime();
            NDManager m = NDManager.newBaseManager(device, "PyTorch");
            double s = (System.nanoTime() - t0) / 1e9;
            String from = System.getProperty("PYTORCH_LIBRARY_PATH");
            if (from != null && !from.isEmpty()) {
                loadReport = String.format(Locale.ROOT, "libtorch loaded from %s in %.1f s", from, s);
            } else {
                loadReport = String.format(Locale.ROOT, "libtorch %s in %s in %.1f s", there ? "loaded from its copy" : "extracted (first start on this machine) and loaded", folder, s);
            }
            return m;
        }
    }

    /** How libtorch was loaded in this process (from where, extracted or not, how long); null before it was. */
    public static String loadReport() {
        return loadReport;
    }

    /**
     * Loads libtorch and runs the CPU kernel check for a {@code channels}-wide net ahead of the first model, so the
     * first frame does not wait for either (seconds on a first start). Returns the load report.
     */
    public static String preload(String deviceChoice, int channels) {
        Device device = Devices.resolve(deviceChoice);
        try (NDManager m = manager(device)) {
            CpuKernelCheck.widthFor(device, channels);
        }
        return loadReport;
    }

    /**
     * Whether a model for a {@code channels}-wide net on {@code deviceChoice} can start now without waiting: libtorch
     * is loaded and its CPU kernels checked, or a {@link #preloadInBackground} for it has ended (a failure then shows
     * at once, where the model starts). Never waits.
     */
    public static boolean ready(String deviceChoice, int channels) {
        CompletableFuture<String> background = BACKGROUND.get(key(deviceChoice, channels));
        if (background != null && background.isDone()) return true;
        if (loadReport == null) return false;
        try {
            return CpuKernelCheck.settled(Devices.resolve(deviceChoice), channels);
        } catch (RuntimeException e) {
            return true; // no such device: starting says so
        }
    }

    /**
     * {@link #preload} on a daemon thread, once per device choice and width in this process; later calls return the
     * same future. The thread takes the caller's context class loader (DJL finds its engines through it).
     */
    public static CompletableFuture<String> preloadInBackground(String deviceChoice, int channels) {
        return BACKGROUND.computeIfAbsent(key(deviceChoice, channels), k -> BackgroundTask.start("n2d-engine-preload",
                Thread.MIN_PRIORITY, () -> preload(deviceChoice, channels)));
    }

    private static String key(String deviceChoice, int channels) {
        return (deviceChoice == null ? "auto" : deviceChoice.trim().toLowerCase(Locale.ROOT)) + "|" + channels;
    }

    /** Where DJL keeps PyTorch's natives (its engine cache folder), or null when it cannot be told. */
    private static Path nativesFolder() {
        String dir = System.getProperty("ENGINE_CACHE_DIR");
        if (dir == null || dir.isEmpty()) dir = System.getenv("ENGINE_CACHE_DIR");
        if (dir == null || dir.isEmpty()) return null;
        return Paths.get(dir, "pytorch");
    }
}
