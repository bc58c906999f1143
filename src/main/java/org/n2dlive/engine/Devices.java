package org.n2dlive.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Chooses the compute device. DJL's automatic GPU detection needs libcudart on the library path, so a GPU
 * is used only when the PyTorch engine reports one and is then named explicitly ({@code Device.gpu()}).
 */
public final class Devices {
    private Devices() {
    }

    /** "auto" (GPU when one is visible, else CPU), "cpu" or "gpu" (an error when none is visible). */
    public static Device resolve(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(java.util.Locale.ROOT);
        switch (c) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpuCount() == 0) {
                    throw new IllegalStateException("--device gpu was asked for, but DJL's PyTorch engine sees no GPU. "
                            + "Point DJL at a CUDA libtorch (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION=2.7.1, PYTORCH_FLAVOR=cu128; "
                            + "see README) or use --device cpu.");
                }
                return Device.gpu();
            case "auto":
                return gpuCount() > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + choice + "'");
        }
    }

    public static int gpuCount() {
        try {
            return Engine.getEngine("PyTorch").getGpuCount();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
