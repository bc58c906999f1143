package org.n2dlive.mm;

import org.n2dlive.engine.Backends;
import org.n2dlive.engine.Devices;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.n2d.WarmStartDenoiser;
import org.n2dlive.n2d.WarmStartSettings;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.Profile;

/**
 * Builds the engine's warm-start model from a profile: the profile's values as {@link WarmStartSettings},
 * and ONNX Runtime as the separate inference backend when the profile's engine is "onnx" (PyTorch infers on
 * the live nets otherwise). Settings mapping only; all denoising is the engine's. Must run on the thread
 * that will use the model (the stream's worker). Stateless.
 */
final class WarmStartModels {
    private WarmStartModels() {
    }

    static FrameDenoiser create(Profile p) {
        WarmStartSettings s = new WarmStartSettings(p.pipeline(), p.channels(), p.initialSteps(), p.initialCrop(),
                p.adaptSteps(), p.adaptCrop(), p.frameBudgetMs(), p.learningRate(), p.lrHalvingSteps(),
                p.sceneChangeFactor(), p.seed(), WarmStartSettings.InferenceEngine.valueOf(p.engine().toUpperCase(java.util.Locale.ROOT)),
                p.device(), p.normalization());
        InferenceBackend inference = "onnx".equals(p.engine()) ? Backends.create("onnx", Devices.resolve(p.device())) : null;
        try {
            return new WarmStartDenoiser(s, inference);
        } catch (RuntimeException | Error e) {
            if (inference != null) inference.close();
            throw e;
        }
    }
}
