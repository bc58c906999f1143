package org.n2dlive.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.NetWeights;

/**
 * Widening a stream's normalization carries the model across: after {@link TorchNet#rescaleInput}(a), the net on
 * inputs × a gives outputs × a, i.e. the same denoised image in raw units (checked on random, non-trivial weights
 * and biases, with negative activations so both LeakyReLU slopes are exercised).
 */
class TorchNetRescaleTest {
    @Test
    void rescaledNetDenoisesTheRescaledInputExactlyAsBefore() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NetWeights w = NetWeights.initialise(8, 3);
            Random r = new Random(5);
            for (float[] a : w.arrays()) for (int i = 0; i < a.length; i++) a[i] += (float) (0.3 * r.nextGaussian());
            int n = 16 * 16;
            float[] y = new float[n];
            for (int i = 0; i < n; i++) y[i] = (float) (0.5 + 0.4 * r.nextGaussian());
            float a = 0.37f;
            float[] before;
            float[] after;
            try (TorchNet net = new TorchNet(m, Device.cpu(), w); NDManager s = m.newSubManager()) {
                NDArray x = TorchOps.tensor(s, y, n, new Shape(1, 1, 16, 16));
                before = net.apply(x).toFloatArray();
                net.rescaleInput(a);
                float[] ya = y.clone();
                for (int i = 0; i < n; i++) ya[i] *= a;
                after = net.apply(TorchOps.tensor(s, ya, n, new Shape(1, 1, 16, 16))).toFloatArray();
            }
            double maxAbs = 0;
            for (float v : before) maxAbs = Math.max(maxAbs, Math.abs(v));
            assertEquals(true, maxAbs > 0.05, "the net must produce a non-trivial output for this check to mean anything");
            for (int i = 0; i < n; i++) {
                assertEquals(before[i] * a, after[i], 1e-5, "pixel " + i);
            }
        }
    }

    @Test
    void aNonPositiveFactorIsRefused() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             TorchNet net = new TorchNet(m, Device.cpu(), NetWeights.initialise(4, 1))) {
            assertThrows(IllegalArgumentException.class, () -> net.rescaleInput(0f));
            assertThrows(IllegalArgumentException.class, () -> net.rescaleInput(Float.NaN));
        }
    }
}
