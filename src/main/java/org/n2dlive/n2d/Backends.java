package org.n2dlive.n2d;

import ai.djl.Device;
import java.util.Locale;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.onnx.OnnxInference;
import org.n2dlive.engine.pytorch.LiveNets;
import org.n2dlive.engine.pytorch.TorchInference;

/**
 * The one place where an engine name and a device name become a device and an inference backend:
 * "pytorch" (DJL PyTorch, CPU or GPU), "onnx" (DJL ONNX Runtime, CPU only) or "auto", and a device "auto",
 * "cpu" or "gpu". Stateless.
 */
public final class Backends {
    private Backends() {
    }

    /** The compute device for "auto" (a GPU when DJL's PyTorch engine sees one), "cpu" or "gpu". */
    public static Device device(String name) {
        return Devices.resolve(name);
    }

    /**
     * The engine a name stands for on {@code device}. "auto" is ONNX Runtime on the CPU (the faster CPU forward:
     * 17.9 vs 26.5 ms at 256², README, host A; and a session rebuild for new weights costs only a few ms) and PyTorch
     * on a GPU (ONNX Runtime runs on the CPU only here).
     *
     * @return "pytorch" or "onnx"
     */
    public static String engine(String name, Device device) {
        String n = name == null ? "pytorch" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "pytorch":
                return n;
            case "onnx":
                if (device.isGpu()) {
                    throw new IllegalArgumentException("the onnx engine runs on the CPU only; use --engine pytorch for the GPU");
                }
                return n;
            case "auto":
                return device.isGpu() ? "pytorch" : "onnx";
            default:
                throw new IllegalArgumentException("engine must be auto, pytorch or onnx, got '" + name + "'");
        }
    }

    /** A backend holding its own copy of the weights (see {@link #create(String, Device, LiveNets)}). */
    public static InferenceBackend create(String name, Device device) {
        return create(name, device, null);
    }

    /**
     * The backend for an engine name; never null.
     *
     * @param live the nets of a model that trains while it infers (the warm-start worker), or null. PyTorch then
     *             infers on them in place, which saves copying the weights into new tensors every frame;
     *             ONNX Runtime needs the weights as a graph and takes them through {@code setWeights} either way.
     */
    public static InferenceBackend create(String name, Device device, LiveNets live) {
        if ("onnx".equals(engine(name, device))) return new OnnxInference();
        return live == null ? new TorchInference(device) : TorchInference.onLiveNets(device, live);
    }
}
