package org.n2dlive.n2d;

import org.n2dlive.engine.NetWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchTrainer;

class ZeroShotN2NLossTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A 2×2 image and the net f(x) = x², worked by hand from the formulas in DEVELOPERS.md. */
    @Test
    void residualLossOnATinyHandComputedExample() {
        double a = 0.2, b = 0.4, c = 0.6, d = 0.8;
        double y1 = (a + d) / 2, y2 = (b + c) / 2;
        // prediction p(x) = x - f(x) = x - x^2
        double p1 = y1 - y1 * y1, p2 = y2 - y2 * y2;
        double res = 0.5 * (sq(y1 - p2) + sq(y2 - p1));
        double pd1 = ((a - a * a) + (d - d * d)) / 2, pd2 = ((b - b * b) + (c - c * c)) / 2;
        double cons = 0.5 * (sq(p1 - pd1) + sq(p2 - pd2));

        NDArray y = manager.create(new float[] {(float) a, (float) b, (float) c, (float) d}, new Shape(1, 1, 2, 2));
        double got = ZeroShotN2NLoss.residual().compute(NDArray::square, y, y).getFloat();
        assertEquals(res + cons, got, 1e-6);
    }

    /** Stage 3's direct form: input z (the stage-2 image), target y (noisy), p(x) = f(x) = 2x. */
    @Test
    void directLossMapsInputHalvesToTargetHalves() {
        float[] z = {0.1f, 0.3f, 0.5f, 0.7f};
        float[] y = {0.2f, 0.2f, 0.9f, 0.4f};
        double z1 = (z[0] + z[3]) / 2.0, z2 = (z[1] + z[2]) / 2.0;
        double y1 = (y[0] + y[3]) / 2.0, y2 = (y[1] + y[2]) / 2.0;
        double res = 0.5 * (sq(y1 - 2 * z2) + sq(y2 - 2 * z1));
        double cons = 0.5 * (sq(2 * z1 - 2 * z1) + sq(2 * z2 - 2 * z2)); // linear net: consistent by construction
        NDArray zi = manager.create(z, new Shape(1, 1, 2, 2));
        NDArray yi = manager.create(y, new Shape(1, 1, 2, 2));
        double got = ZeroShotN2NLoss.direct().compute(x -> x.mul(2f), zi, yi).getFloat();
        assertEquals(res + cons, got, 1e-6);
    }

    @Test
    void compositeLossAddsWeightedTerms() {
        NDArray y = manager.create(new float[] {0.2f, 0.4f, 0.6f, 0.8f}, new Shape(1, 1, 2, 2));
        double one = ZeroShotN2NLoss.residual().compute(NDArray::square, y, y).getFloat();
        CompositeLoss twoTerms = CompositeLoss.of(ZeroShotN2NLoss.residual()).plus(0.5, ZeroShotN2NLoss.residual());
        assertEquals(1.5 * one, twoTerms.compute(NDArray::square, y, y).getFloat(), 1e-6);
    }

    @Test
    void trainingLowersTheLoss() {
        int n = 32;
        float[] img = new float[n * n];
        Random r = new Random(3);
        for (int i = 0; i < img.length; i++) {
            double clean = 0.5 + 0.3 * Math.sin((i % n) * 0.4) * Math.cos((i / n) * 0.3);
            img[i] = (float) (clean + 0.1 * r.nextGaussian());
        }
        try (NDManager frame = manager.newSubManager()) {
            NDArray x = frame.create(img, new Shape(1, 1, n, n));
            TorchNet net = new TorchNet(frame, Device.cpu(), NetWeights.initialise(8, 0));
            try (TorchTrainer t = new TorchTrainer(net, CompositeLoss.of(ZeroShotN2NLoss.residual()), 1e-3, 1000)) {
                double first = t.step(frame, x, x);
                double last = 0;
                for (int i = 0; i < 150; i++) last = t.step(frame, x, x);
                assertTrue(last < 0.7 * first, "loss went from " + first + " to " + last);
                assertEquals(151, t.optimizer().steps());
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }
}
