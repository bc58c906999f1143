package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.pytorch.LiveNets;
import org.n2dlive.engine.pytorch.TorchNet;
import org.n2dlive.engine.pytorch.TorchOps;
import org.n2dlive.engine.pytorch.TorchTrainer;

/** The engine choice: every name gives a real backend (never null), and PyTorch on live nets tracks them. */
class BackendsTest {

    @Test
    void everyEngineNameGivesABackend() {
        Device cpu = Device.cpu();
        try (InferenceBackend torch = Backends.create("pytorch", cpu);
             InferenceBackend onnx = Backends.create(" ONNX ", cpu);
             InferenceBackend auto = Backends.create("auto", cpu)) {
            assertEquals("pytorch", torch.name());
            assertEquals("onnx", onnx.name());
            assertEquals("onnx", auto.name(), "auto is ONNX Runtime on the CPU");
        }
        assertEquals("pytorch", Backends.engine("auto", Device.gpu()), "auto is PyTorch on a GPU");
        IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class, () -> Backends.create("onnx", Device.gpu()));
        assertTrue(gpu.getMessage().contains("CPU only"), gpu.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Backends.create("tensorflow", cpu));
        assertTrue(bad.getMessage().contains("'tensorflow'") && bad.getMessage().contains("auto, pytorch or onnx"), bad.getMessage());
    }

    /**
     * On live nets the backend infers with the nets as they are now: equal to a copying backend given a snapshot,
     * and following a training step without any setWeights.
     */
    @Test
    void pytorchOnLiveNetsFollowsTraining() {
        int w = 16;
        int h = 12;
        float[] y = new float[w * h];
        Random r = new Random(3);
        for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
        Device cpu = Device.cpu();
        try (NDManager m = NDManager.newBaseManager(cpu, "PyTorch")) {
            TorchNet f = new TorchNet(m, cpu, NetWeights.initialise(6, 1));
            TorchNet g = new TorchNet(m, cpu, NetWeights.initialise(6, 2));
            LiveNets nets = new LiveNets() {
                @Override
                public TorchNet f() {
                    return f;
                }

                @Override
                public TorchNet g() {
                    return g;
                }
            };
            try (InferenceBackend live = Backends.create("pytorch", cpu, nets);
                 InferenceBackend copy = Backends.create("pytorch", cpu);
                 TorchTrainer trainer = new TorchTrainer(f, CompositeLoss.of(ZeroShotN2NLoss.residual()), 1e-2, 1000)) {
                copy.setWeights(f.snapshot(), g.snapshot());
                float[] before = run(live, y, w, h);
                assertArrayEquals(run(copy, y, w, h), before, 1e-6f);

                NDArray x = TorchOps.tensor(m, y, y.length, new Shape(1, 1, h, w));
                trainer.step(m, x, x);
                float[] after = run(live, y, w, h);
                assertFalse(Arrays.equals(before, after), "a training step must change what the live backend infers");
                copy.setWeights(f.snapshot(), g.snapshot());
                assertArrayEquals(run(copy, y, w, h), after, 1e-6f);

                live.setWeights(NetWeights.initialise(6, 9), null); // a snapshot of other nets: changes nothing here
                assertArrayEquals(after, run(live, y, w, h));
            }
            g.close();
            f.close();
        }
    }

    private static float[] run(InferenceBackend b, float[] y, int w, int h) {
        float[][] out = new float[3][w * h];
        b.infer(y, w, h, Pipeline.FULL, out);
        return out[2];
    }
}
