package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.onnx.OnnxInference;
import org.n2dlive.engine.pytorch.TorchInference;
import org.n2dlive.engine.NetWeights;

/** ONNX Runtime and PyTorch give the same N2D output on the same weights (issue target: within 1e-4). */
class BackendEqualityTest {

    @Test
    void onnxAndPytorchAgreeOnEveryPipeline() {
        int w = 24;
        int h = 20;
        float[] y = new float[w * h];
        Random r = new Random(4);
        for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
        NetWeights f = NetWeights.initialise(48, 10);
        NetWeights g = NetWeights.initialise(48, 11);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             TorchInference torch = new TorchInference(m, Device.cpu());
             OnnxInference onnx = new OnnxInference()) {
            torch.setWeights(f, g);
            onnx.setWeights(f, g);
            for (Pipeline p : Pipeline.values()) {
                float[][] a = new float[p.stages()][w * h];
                float[][] b = new float[p.stages()][w * h];
                torch.infer(y, w, h, p, a);
                onnx.infer(y, w, h, p, b);
                for (int k = 0; k < p.stages(); k++) {
                    double max = 0;
                    for (int i = 0; i < w * h; i++) max = Math.max(max, Math.abs(a[k][i] - b[k][i]));
                    assertEquals(0, max, 1e-4, p + " stage " + (k + 1) + " differs by " + max);
                }
            }
        }
    }
}
