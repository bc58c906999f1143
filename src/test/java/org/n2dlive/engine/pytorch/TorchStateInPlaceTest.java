package org.n2dlive.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.NetWeights;

/**
 * A model that serves several series swaps their weights and optimiser state in and out of the same tensors: the
 * values must be exactly the ones saved, the tensors the same native ones, and nothing non-finite may survive.
 */
class TorchStateInPlaceTest {
    /** Mean squared error of the net's output against the target: any differentiable loss will do here. */
    private static final org.n2dlive.engine.LossTerm MSE = new org.n2dlive.engine.LossTerm() {
        @Override
        public NDArray compute(org.n2dlive.engine.NetFunction net, NDArray input, NDArray target) {
            return net.apply(input).sub(target).square().mean();
        }

        @Override
        public String name() {
            return "mse";
        }
    };

    private static NetWeights random(int seed) {
        NetWeights w = NetWeights.initialise(4, seed);
        Random r = new Random(seed);
        for (float[] a : w.arrays()) for (int i = 0; i < a.length; i++) a[i] += (float) (0.2 * r.nextGaussian());
        return w;
    }

    @Test
    void loadOverwritesTheSameTensorsWithExactlyTheGivenWeights() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             TorchNet net = new TorchNet(m, Device.cpu(), random(1))) {
            long[] handles = new long[6];
            for (int i = 0; i < 6; i++) handles[i] = ((PtNDArray) net.parameters()[i]).getHandle();
            net.parameters()[2].muli(Float.NaN); // a diverged net: loading must still give clean weights
            NetWeights other = random(2);
            net.load(other);
            NetWeights back = net.snapshot();
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(other.arrays()[i], back.arrays()[i], 0f, "parameter " + i);
                assertEquals(handles[i], ((PtNDArray) net.parameters()[i]).getHandle(), "parameter " + i + " stays in place");
                assertTrue(net.parameters()[i].hasGradient());
            }
            assertThrows(IllegalArgumentException.class, () -> net.load(NetWeights.initialise(8, 1)));
        }
    }

    @Test
    void anOptimiserStateRestoredIntoAnotherOptimiserContinuesExactlyAsTheOriginal() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NetWeights start = random(3);
            float[] y = new float[16 * 16];
            Random r = new Random(4);
            for (int i = 0; i < y.length; i++) y[i] = (float) (0.5 + 0.2 * r.nextGaussian());
            try (TorchNet a = new TorchNet(m, Device.cpu(), start);
                 TorchTrainer ta = new TorchTrainer(a, MSE, 1e-3, 2);
                 TorchNet b = new TorchNet(m, Device.cpu(), random(9));
                 TorchTrainer tb = new TorchTrainer(b, MSE, 1e-3, 2);
                 NDManager frame = m.newSubManager()) {
                NDArray x = TorchOps.tensor(frame, y, y.length, new Shape(1, 1, 16, 16));
                for (int s = 0; s < 3; s++) ta.step(frame, x, x);
                ta.optimizer().restartSchedule(); // a re-fit: the halving schedule counts from step 3
                tb.step(frame, x, x); // b has its own history, to be overwritten
                TorchAdam.State saved = ta.optimizer().save();
                b.load(a.snapshot());
                tb.optimizer().restore(saved);
                assertEquals(3, tb.optimizer().steps());
                assertEquals(ta.optimizer().currentLearningRate(), tb.optimizer().currentLearningRate(), 0.0,
                        "the learning-rate schedule resumes where it was");
                ta.step(frame, x, x);
                tb.step(frame, x, x);
                for (int i = 0; i < 6; i++) {
                    assertArrayEquals(a.snapshot().arrays()[i], b.snapshot().arrays()[i], 0f, "parameter " + i + " after the next step");
                }
                float[][] nan = new float[6][];
                for (int i = 0; i < 6; i++) {
                    nan[i] = new float[saved.m[i].length];
                    java.util.Arrays.fill(nan[i], Float.NaN);
                }
                tb.optimizer().restore(new TorchAdam.State(nan, nan, 7, 0)); // a diverged optimiser
                tb.optimizer().reset();
                TorchAdam.State cleared = tb.optimizer().save();
                assertEquals(0, cleared.steps());
                for (int i = 0; i < 6; i++) {
                    for (float v : cleared.m[i]) assertEquals(0f, v, "reset clears every first moment");
                    for (float v : cleared.v[i]) assertEquals(0f, v, "reset clears every second moment");
                }
            }
        }
    }
}
