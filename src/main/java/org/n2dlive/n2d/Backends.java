package org.n2dlive.n2d;

import org.n2dlive.engine.InferenceBackend;

import ai.djl.Device;
import java.util.Locale;
import org.n2dlive.engine.onnx.OnnxInference;

/** Creates inference backends by name: "pytorch" (DJL PyTorch, CPU or GPU) or "onnx" (DJL ONNX Runtime, CPU). */
public final class Backends {
    private Backends() {
    }

    /**
     * @return the backend, or null for "pytorch": the model then infers on its own live PyTorch nets,
     *         which saves copying the weights every frame
     */
    public static InferenceBackend create(String name, Device device) {
        String n = name == null ? "pytorch" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "pytorch":
                return null;
            case "onnx":
                if (device.isGpu()) {
                    throw new IllegalArgumentException("the onnx engine runs on the CPU only; use --engine pytorch for the GPU");
                }
                return new OnnxInference();
            default:
                throw new IllegalArgumentException("engine must be pytorch or onnx, got '" + name + "'");
        }
    }
}
