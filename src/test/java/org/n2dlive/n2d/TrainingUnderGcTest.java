package org.n2dlive.n2d;

import org.n2dlive.engine.NetWeights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;

/**
 * Training must not depend on the Java garbage collector. Regression test: scalars passed to DJL as Numbers
 * live in Java direct buffers that autograd kept for the backward pass; with another thread churning the heap,
 * the loss curve diverged (or went NaN) within 10 steps, while the same run on a quiet heap did not.
 */
class TrainingUnderGcTest {
    private static volatile Object sink;

    @Test
    void lossCurveIsTheSameWithTheHeapChurning() throws InterruptedException {
        float[] quiet = train();
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                sink = new byte[1 << 20];
                if (++n % 50 == 0) System.gc();
            }
        }, "heap-churn");
        churn.setDaemon(true);
        churn.start();
        float[] churned;
        try {
            churned = train();
        } finally {
            stop.set(true);
            churn.join();
        }
        for (float v : churned) assertTrue(Float.isFinite(v), "loss went non-finite under GC load");
        assertArrayEquals(quiet, churned, "training must not read memory the garbage collector frees");
    }

    /** 40 steps of stage-1 training (residual Zero-Shot N2N loss) on one 64² image; the loss of every step. */
    private static float[] train() {
        try (NDManager base = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TorchNet f = new TorchNet(base, Device.cpu(), NetWeights.initialise(16, 0));
            float[] y = new float[64 * 64];
            Random r = new Random(3);
            for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
            NDArray x = TorchOps.tensor(base, y, y.length, new Shape(1, 1, 64, 64));
            float[] losses = new float[40];
            try (TorchTrainer t = new TorchTrainer(f, CompositeLoss.of(ZeroShotN2NLoss.residual()), 1e-3, 1000)) {
                for (int i = 0; i < losses.length; i++) {
                    try (NDManager step = base.newSubManager()) {
                        losses[i] = (float) t.step(step, x, x);
                    }
                    System.gc(); // the main thread too: frees whatever the step left unreachable
                }
            }
            f.close();
            return losses;
        }
    }
}
