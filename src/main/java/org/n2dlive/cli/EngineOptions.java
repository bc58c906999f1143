package org.n2dlive.cli;

import ai.djl.Device;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.n2d.Backends;
import picocli.CommandLine.Option;

/** --engine and --device, shared by the commands that run the model. */
final class EngineOptions {
    @Option(names = "--engine", defaultValue = "pytorch",
            description = "Inference engine: pytorch or onnx (training always runs on PyTorch). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--device", defaultValue = "auto",
            description = "auto, cpu or gpu (gpu needs a CUDA libtorch and its JNI library: tools/gpu-check). Default: ${DEFAULT-VALUE}.")
    String device;

    Device resolveDevice() {
        return Backends.device(device);
    }

    /** The inference backend (never null). */
    InferenceBackend createInference(Device d) {
        return Backends.create(engine, d);
    }
}
