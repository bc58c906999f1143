package org.n2dlive.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Chooses the compute device. A GPU is used only when the libtorch DJL loaded can run CUDA (PyTorch's own
 * {@code torch::cuda::is_available()}, reported as the engine capability "CUDA") and is then named explicitly
 * ({@code Device.gpu()}); DJL's own GPU count comes from libcudart through JNA and can see a GPU that the
 * loaded libtorch (a CPU build) cannot use, or miss one when libcudart is not on the library path.
 * Stateless; any thread.
 */
public final class Devices {
    private Devices() {
    }

    /** "auto" (GPU when one is usable, else CPU), "cpu" or "gpu" (an error naming the cause when none is usable). */
    public static Device resolve(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        switch (c) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpuCount() == 0) throw new IllegalStateException(noGpuMessage());
                return Device.gpu();
            case "auto":
                return gpuCount() > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + choice + "'");
        }
    }

    /** GPUs the loaded PyTorch can use: 0 unless libtorch reports CUDA; then DJL's count, at least 1. */
    public static int gpuCount() {
        try {
            CpuKernelPath.prepare();
            Engine e = Engine.getEngine("PyTorch");
            if (!e.hasCapability("CUDA")) return 0;
            return Math.max(1, e.getGpuCount());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
    }

    /** One line on what DJL loaded, for error messages and reports. */
    public static String describeEngine() {
        try {
            CpuKernelPath.prepare();
            Engine e = Engine.getEngine("PyTorch");
            String path = "?";
            try {
                path = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
            } catch (RuntimeException ignored) {
                // older DJL: path unknown
            }
            return String.format(Locale.ROOT, "libtorch %s from %s, CUDA %s, DJL GPU count %d", e.getVersion(), path,
                    e.hasCapability("CUDA") ? "available" : "not available", e.getGpuCount());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "DJL's PyTorch engine did not load: " + e.getMessage();
        }
    }

    static String noGpuMessage() {
        // GpuSetup knows why (no driver, no CUDA libtorch configured, a bad folder, ...): its reason is the hint.
        String why = GpuSetup.status(false).message;
        return "--device gpu was asked for, but there is no usable GPU: " + why + ". Loaded: " + describeEngine()
                + ". `n2d gpu use <folder>` (or the plugin's GPU folder button) sets a CUDA libtorch; use --device cpu to "
                + "run on the CPU.";
    }
}
