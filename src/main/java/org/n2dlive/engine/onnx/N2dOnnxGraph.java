package org.n2dlive.engine.onnx;

import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.NetWeights;

/**
 * The ONNX graph of N2D inference ({@link Pipeline} STAGE1, ENSEMBLE or FULL), serialized as a model that
 * ONNX Runtime loads from bytes.
 *
 * <p>Input {@value #INPUT}: float [1,1,H,W], H and W symbolic (the caller keeps them multiples of 4). Outputs
 * {@code stage1..stageN}, each [1,1,H,W]:
 * <pre>
 *   net(x)  = Conv1x1(LeakyRelu(Conv3x3(LeakyRelu(Conv3x3(x)))))      (pad 1, slope 0.2)
 *   D(x)    = Clip(x − net_f(x), 0, 1)
 *   stage1  = D(y)
 *   path_s  = D(shuffle_s(D(unshuffle_s(y))))   for s = 2, 4; the s² sub-images form a batch [s²,1,H/s,W/s]
 *   stage2  = (stage1 + path_2 + path_4) / 3
 *   stage3  = Clip(net_g(stage2), 0, 1)
 * </pre>
 * Unshuffle is SpaceToDepth then Reshape to a batch: ONNX SpaceToDepth puts y[i::s, j::s] in channel i·s+j,
 * which for one input channel is PyTorch's pixel_unshuffle order; DepthToSpace (DCR) is its exact inverse.
 *
 * <p>Weights are either baked in as initializers {@code f.w1 … g.b3} (a weight change needs a new session) or
 * declared as graph inputs of those names, shaped as {@link NetWeights#shapes()} (one session serves every weight set:
 * what the streaming backend runs, see {@link OnnxInference}).
 *
 * <p>Threading: stateless; all methods are safe from any thread.
 */
public final class N2dOnnxGraph {
    public static final String INPUT = "y";
    private static final String[] PARTS = {"w1", "b1", "w2", "b2", "w3", "b3"};
    private static final String ZERO = "c_zero", ONE = "c_one", THREE = "c_three";

    private N2dOnnxGraph() {
    }

    /** Name of the output holding stage {@code stage} (1-based). */
    public static String outputName(int stage) {
        if (stage < 1 || stage > 3) throw new IllegalArgumentException("stage must be 1, 2 or 3, got " + stage);
        return "stage" + stage;
    }

    /** Names of the weights of net {@code net} ("f" or "g") in {@link NetWeights#arrays()} order. */
    static String[] weightNames(String net) {
        String[] names = new String[PARTS.length];
        for (int i = 0; i < PARTS.length; i++) names[i] = net + "." + PARTS[i];
        return names;
    }

    /** The pipeline with {@code f} (and {@code g}, needed for FULL only) baked in as initializers. */
    public static byte[] build(Pipeline pipeline, NetWeights f, NetWeights g) {
        checkNets(pipeline, f, g);
        Recipe r = new Recipe(f, pipeline == Pipeline.FULL ? g : null);
        return r.pipeline(pipeline);
    }

    /**
     * The pipeline with the weights as float inputs named by {@link #weightNames} ("f", and "g" for FULL) for nets of
     * {@code channelsF} (and {@code channelsG}) channels. {@code channelsG} is ignored unless the pipeline is FULL.
     */
    public static byte[] buildWithWeightInputs(Pipeline pipeline, int channelsF, int channelsG) {
        if (pipeline == null) throw new IllegalArgumentException("pipeline must not be null");
        if (channelsF <= 0) throw new IllegalArgumentException("channelsF must be positive, got " + channelsF);
        if (pipeline == Pipeline.FULL && channelsG <= 0) {
            throw new IllegalArgumentException("FULL needs net g: channelsG must be positive, got " + channelsG);
        }
        Recipe r = new Recipe(null, null);
        r.weightsAsInputs("f", channelsF);
        if (pipeline == Pipeline.FULL) r.weightsAsInputs("g", channelsG);
        return r.pipeline(pipeline);
    }

    /** net_f(y) alone (output "net", no residual or clip): for measuring the cost of one forward pass. */
    static byte[] buildNetOnly(NetWeights f) {
        if (f == null) throw new IllegalArgumentException("net f must not be null");
        Recipe r = new Recipe(f, null);
        r.m.addOutput("net", 1, 1, "H", "W");
        r.m.addNode("Identity", new String[] {r.net("f", INPUT, "n")}, "net");
        return r.m.build("n2d_net", "n2d-live", "1");
    }

    /** y unshuffled into a batch and shuffled back, outputs "batch" [s²,1,H/s,W/s] and "back" [1,1,H,W] (tests). */
    static byte[] buildShuffleRoundTrip(int s) {
        Recipe r = new Recipe(null, null);
        String batch = r.unshuffle(INPUT, s, "u");
        r.m.addNode("Identity", new String[] {batch}, "batch");
        r.m.addNode("Identity", new String[] {r.shuffle(batch, s, "r")}, "back");
        r.m.addOutput("batch", s * s, 1, "Hs", "Ws");
        r.m.addOutput("back", 1, 1, "H", "W");
        return r.m.build("n2d_shuffle", "n2d-live", "1");
    }

    private static void checkNets(Pipeline pipeline, NetWeights f, NetWeights g) {
        if (pipeline == null) throw new IllegalArgumentException("pipeline must not be null");
        if (f == null) throw new IllegalArgumentException("net f must not be null");
        if (pipeline == Pipeline.FULL && g == null) throw new IllegalArgumentException("FULL needs net g, which is null");
    }

    /** One graph under construction: the input, constants and weights are declared up front. */
    private static final class Recipe {
        final OnnxModelBuilder m = new OnnxModelBuilder();
        /** Constants declared so far: each is added on first use, as ONNX Runtime warns about unused ones. */
        private final java.util.Set<String> constants = new java.util.HashSet<>();

        Recipe(NetWeights f, NetWeights g) {
            m.addInput(INPUT, 1, 1, "H", "W");
            if (f != null) weightsAsInitializers("f", f);
            if (g != null) weightsAsInitializers("g", g);
        }

        byte[] pipeline(Pipeline p) {
            String stage1 = outputName(1);
            denoise(INPUT, "s1", stage1);
            m.addOutput(stage1, 1, 1, "H", "W");
            if (p.stages() >= 2) {
                String p2 = path(2), p4 = path(4);
                m.addNode("Sum", new String[] {stage1, p2, p4}, "sum3");
                m.addNode("Div", new String[] {"sum3", scalar(THREE, 3f)}, outputName(2));
                m.addOutput(outputName(2), 1, 1, "H", "W");
            }
            if (p.stages() >= 3) {
                String n = net("g", outputName(2), "s3");
                m.addNode("Clip", new String[] {n, scalar(ZERO, 0f), scalar(ONE, 1f)}, outputName(3));
                m.addOutput(outputName(3), 1, 1, "H", "W");
            }
            return m.build("n2d_" + p.name().toLowerCase(java.util.Locale.ROOT), "n2d-live", "1");
        }

        /** D(shuffle(D(unshuffle(y)))) for block size s. */
        private String path(int s) {
            String tag = "p" + s;
            String batch = unshuffle(INPUT, s, tag + "_u");
            String denoisedBatch = denoise(batch, tag + "_sub", tag + "_subd");
            String full = shuffle(denoisedBatch, s, tag + "_s");
            return denoise(full, tag + "_full", tag);
        }

        /** [1,1,H,W] → [s²,1,H/s,W/s], sub-image i·s+j = x[i::s, j::s]. */
        String unshuffle(String x, int s, String tag) {
            m.addNode("SpaceToDepth", new String[] {x}, tag + "_c").attr("blocksize", (long) s);
            m.addNode("Reshape", new String[] {tag + "_c", batchShape(s)}, tag + "_b");
            return tag + "_b";
        }

        /** The inverse of {@link #unshuffle}: [s²,1,H/s,W/s] → [1,1,H,W]. */
        String shuffle(String x, int s, String tag) {
            m.addNode("Reshape", new String[] {x, channelShape(s)}, tag + "_c");
            m.addNode("DepthToSpace", new String[] {tag + "_c"}, tag + "_f").attr("blocksize", (long) s).attr("mode", "DCR");
            return tag + "_f";
        }

        /** out = Clip(x − net_f(x), 0, 1). */
        private String denoise(String x, String tag, String out) {
            String n = net("f", x, tag);
            m.addNode("Sub", new String[] {x, n}, tag + "_res");
            m.addNode("Clip", new String[] {tag + "_res", scalar(ZERO, 0f), scalar(ONE, 1f)}, out);
            return out;
        }

        /** One application of net {@code which} to {@code x}; value names are prefixed by {@code tag}. */
        String net(String which, String x, String tag) {
            String[] w = weightNames(which);
            m.addNode("Conv", new String[] {x, w[0], w[1]}, tag + "_h1")
                    .attrInts("kernel_shape", 3, 3).attrInts("pads", 1, 1, 1, 1);
            m.addNode("LeakyRelu", new String[] {tag + "_h1"}, tag + "_a1").attr("alpha", NetWeights.LEAKY_SLOPE);
            m.addNode("Conv", new String[] {tag + "_a1", w[2], w[3]}, tag + "_h2")
                    .attrInts("kernel_shape", 3, 3).attrInts("pads", 1, 1, 1, 1);
            m.addNode("LeakyRelu", new String[] {tag + "_h2"}, tag + "_a2").attr("alpha", NetWeights.LEAKY_SLOPE);
            m.addNode("Conv", new String[] {tag + "_a2", w[4], w[5]}, tag + "_net").attrInts("kernel_shape", 1, 1);
            return tag + "_net";
        }

        private void weightsAsInitializers(String which, NetWeights w) {
            String[] names = weightNames(which);
            float[][] arrays = w.arrays();
            long[][] shapes = w.shapes();
            for (int i = 0; i < names.length; i++) m.addFloatInitializer(names[i], arrays[i], shapes[i]);
        }

        void weightsAsInputs(String which, int channels) {
            String[] names = weightNames(which);
            long[][] shapes = new NetWeights(channels).shapes();
            for (int i = 0; i < names.length; i++) {
                Object[] dims = new Object[shapes[i].length];
                for (int d = 0; d < dims.length; d++) dims[d] = shapes[i][d];
                m.addInput(names[i], dims);
            }
        }

        private String scalar(String name, float value) {
            if (constants.add(name)) m.addFloatInitializer(name, new float[] {value});
            return name;
        }

        /** Reshape target [s², 1, 0, 0]; Reshape's 0 copies that input dimension, so H/s and W/s stay symbolic. */
        private String batchShape(int s) {
            String name = "c_batch_shape" + s;
            if (constants.add(name)) m.addInt64Initializer(name, new long[] {s * s, 1, 0, 0}, 4);
            return name;
        }

        /** Reshape target [1, s², 0, 0]. */
        private String channelShape(int s) {
            String name = "c_channel_shape" + s;
            if (constants.add(name)) m.addInt64Initializer(name, new long[] {1, s * s, 0, 0}, 4);
            return name;
        }
    }
}
