package org.n2dlive.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.NetWeights;

class N2dOnnxGraphTest {

    private static OrtEnvironment env() {
        Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }

    /**
     * PyTorch documents pixel_unshuffle as out[c·s² + i·s + j, a, b] = in[c, a·s + i, b·s + j]; with one channel the
     * s² sub-images are the batch. An index image makes every mismatch visible.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void unshuffleMatchesPixelUnshuffleAndShuffleInvertsIt(int s) throws OrtException {
        int w = 12, h = 8;
        float[] y = new float[w * h];
        for (int i = 0; i < y.length; i++) y[i] = i;
        OrtEnvironment env = env();
        try (OrtSession session = env.createSession(N2dOnnxGraph.buildShuffleRoundTrip(s), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(y), new long[] {1, 1, h, w});
             OrtSession.Result r = session.run(Collections.singletonMap(N2dOnnxGraph.INPUT, in))) {
            OnnxTensor batch = (OnnxTensor) r.get("batch").get();
            assertEquals(java.util.Arrays.toString(new long[] {s * s, 1, h / s, w / s}),
                    java.util.Arrays.toString(batch.getInfo().getShape()));
            float[] b = batch.getFloatBuffer().array();
            int hs = h / s, ws = w / s;
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    for (int a = 0; a < hs; a++) {
                        for (int c = 0; c < ws; c++) {
                            float expected = (a * s + i) * w + (c * s + j);
                            assertEquals(expected, b[((i * s + j) * hs + a) * ws + c], "sub-image " + (i * s + j) + " at " + a + "," + c);
                        }
                    }
                }
            }
            float[] back = ((OnnxTensor) r.get("back").get()).getFloatBuffer().array();
            org.junit.jupiter.api.Assertions.assertArrayEquals(y, back);
        }
    }

    @Test
    void declaresOneOutputPerStageAndSymbolicSpatialInput() throws OrtException {
        NetWeights f = NetWeights.initialise(3, 1);
        OrtEnvironment env = env();
        for (Pipeline p : Pipeline.values()) {
            try (OrtSession s = env.createSession(N2dOnnxGraph.build(p, f, f), new OrtSession.SessionOptions())) {
                Set<String> expected = new TreeSet<>();
                for (int k = 1; k <= p.stages(); k++) expected.add("stage" + k);
                assertEquals(expected, new TreeSet<>(s.getOutputNames()));
                assertEquals(Collections.singleton("y"), s.getInputNames());
                long[] shape = ((ai.onnxruntime.TensorInfo) s.getInputInfo().get("y").getInfo()).getShape();
                assertEquals("[1, 1, -1, -1]", java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void refusesMissingNets() {
        NetWeights f = NetWeights.initialise(3, 1);
        assertThrows(IllegalArgumentException.class, () -> N2dOnnxGraph.build(Pipeline.FULL, f, null));
        assertThrows(IllegalArgumentException.class, () -> N2dOnnxGraph.build(Pipeline.STAGE1, null, f));
        assertThrows(IllegalArgumentException.class, () -> N2dOnnxGraph.outputName(4));
    }
}
