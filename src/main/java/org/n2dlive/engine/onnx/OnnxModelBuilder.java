package org.n2dlive.engine.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a serialized ONNX {@code ModelProto} (one graph, default domain) with float tensors, written with
 * {@link ProtoWriter} from the field numbers of the public {@code onnx.proto}. Checks as it goes that every
 * value name is defined once and before use, so a mistake in a graph recipe fails here with the name,
 * not later inside ONNX Runtime.
 *
 * <p>Threading: confined to the building thread; not thread-safe. One builder makes one model.
 */
final class OnnxModelBuilder {
    /** IR version 8 (ONNX 1.10); ONNX Runtime 1.21 reads IR versions up to 10. */
    static final long IR_VERSION = 8;
    /** Default-domain opset 13; ONNX Runtime 1.21 implements opsets up to 22. */
    static final long OPSET = 13;

    // onnx.proto field numbers.
    private static final int MODEL_IR_VERSION = 1, MODEL_PRODUCER_NAME = 2, MODEL_PRODUCER_VERSION = 3,
            MODEL_GRAPH = 7, MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1, OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1, GRAPH_NAME = 2, GRAPH_INITIALIZER = 5, GRAPH_INPUT = 11, GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4, NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1, ATTR_F = 2, ATTR_I = 3, ATTR_S = 4, ATTR_INTS = 8, ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1, ATTR_TYPE_INT = 2, ATTR_TYPE_STRING = 3, ATTR_TYPE_INTS = 7;
    private static final int TENSOR_DIMS = 1, TENSOR_DATA_TYPE = 2, TENSOR_FLOAT_DATA = 4, TENSOR_INT64_DATA = 7,
            TENSOR_NAME = 8;
    static final int DATA_TYPE_FLOAT = 1, DATA_TYPE_INT64 = 7;
    private static final int VALUE_INFO_NAME = 1, VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TYPE_TENSOR_ELEM_TYPE = 1, TYPE_TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1, DIM_PARAM = 2;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> defined = new HashSet<>();
    private final Set<String> outputNames = new HashSet<>();

    /**
     * Declares a float graph input. Each dimension is a {@link Number} (fixed size) or a {@link String}
     * (a symbolic size, {@code dim_param}; equal names mean equal sizes).
     */
    void addInput(String name, Object... dims) {
        define(name);
        inputs.add(valueInfo(name, dims));
    }

    /** Declares a float graph output (dimensions as in {@link #addInput}); it must be produced by a node. */
    void addOutput(String name, Object... dims) {
        if (!outputNames.add(name)) throw new IllegalArgumentException("output '" + name + "' declared twice");
        outputs.add(valueInfo(name, dims));
    }

    void addFloatInitializer(String name, float[] data, long... dims) {
        checkCount(name, data.length, dims);
        define(name);
        ProtoWriter t = new ProtoWriter(16 + 4 * data.length);
        t.packedInt64(TENSOR_DIMS, dims).varint(TENSOR_DATA_TYPE, DATA_TYPE_FLOAT).packedFloats(TENSOR_FLOAT_DATA, data)
                .string(TENSOR_NAME, name);
        initializers.add(t);
    }

    void addInt64Initializer(String name, long[] data, long... dims) {
        checkCount(name, data.length, dims);
        define(name);
        ProtoWriter t = new ProtoWriter();
        t.packedInt64(TENSOR_DIMS, dims).varint(TENSOR_DATA_TYPE, DATA_TYPE_INT64).packedInt64(TENSOR_INT64_DATA, data)
                .string(TENSOR_NAME, name);
        initializers.add(t);
    }

    /**
     * Appends a node (nodes must come in topological order: every input already defined). An empty input
     * name marks an omitted optional input, as ONNX allows. Returns the node for adding attributes.
     */
    Node addNode(String opType, String[] nodeInputs, String... nodeOutputs) {
        for (String in : nodeInputs) {
            if (!in.isEmpty() && !defined.contains(in)) {
                throw new IllegalArgumentException(opType + " node uses '" + in + "' before it is defined");
            }
        }
        ProtoWriter n = new ProtoWriter();
        for (String in : nodeInputs) n.string(NODE_INPUT, in);
        for (String out : nodeOutputs) {
            define(out);
            n.string(NODE_OUTPUT, out);
        }
        n.string(NODE_NAME, opType + "_" + nodes.size()).string(NODE_OP_TYPE, opType);
        nodes.add(n);
        return new Node(n);
    }

    /** The serialized model. Every declared output must have been produced. */
    byte[] build(String graphName, String producerName, String producerVersion) {
        for (String out : outputNames) {
            if (!defined.contains(out)) throw new IllegalStateException("graph output '" + out + "' is never produced");
        }
        ProtoWriter graph = new ProtoWriter(totalSize() + 64);
        for (ProtoWriter n : nodes) graph.message(GRAPH_NODE, n);
        graph.string(GRAPH_NAME, graphName);
        for (ProtoWriter t : initializers) graph.message(GRAPH_INITIALIZER, t);
        for (ProtoWriter v : inputs) graph.message(GRAPH_INPUT, v);
        for (ProtoWriter v : outputs) graph.message(GRAPH_OUTPUT, v);

        ProtoWriter opset = new ProtoWriter().string(OPSET_DOMAIN, "").varint(OPSET_VERSION, OPSET);
        ProtoWriter model = new ProtoWriter(graph.size() + 128);
        model.varint(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, producerName)
                .string(MODEL_PRODUCER_VERSION, producerVersion)
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, opset);
        return model.toByteArray();
    }

    /** Attribute setters of one node. */
    static final class Node {
        private final ProtoWriter proto;

        private Node(ProtoWriter proto) {
            this.proto = proto;
        }

        Node attr(String name, long value) {
            proto.message(NODE_ATTRIBUTE, new ProtoWriter().string(ATTR_NAME, name).varint(ATTR_I, value)
                    .varint(ATTR_TYPE, ATTR_TYPE_INT));
            return this;
        }

        Node attr(String name, float value) {
            proto.message(NODE_ATTRIBUTE, new ProtoWriter().string(ATTR_NAME, name).float32(ATTR_F, value)
                    .varint(ATTR_TYPE, ATTR_TYPE_FLOAT));
            return this;
        }

        Node attr(String name, String value) {
            proto.message(NODE_ATTRIBUTE, new ProtoWriter().string(ATTR_NAME, name).string(ATTR_S, value)
                    .varint(ATTR_TYPE, ATTR_TYPE_STRING));
            return this;
        }

        Node attrInts(String name, long... values) {
            proto.message(NODE_ATTRIBUTE, new ProtoWriter().string(ATTR_NAME, name).packedInt64(ATTR_INTS, values)
                    .varint(ATTR_TYPE, ATTR_TYPE_INTS));
            return this;
        }
    }

    private static ProtoWriter valueInfo(String name, Object[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof Number) {
                long v = ((Number) d).longValue();
                if (v < 0) throw new IllegalArgumentException("negative dimension " + v + " for '" + name + "'");
                dim.varint(DIM_VALUE, v);
            } else if (d instanceof String && !((String) d).isEmpty()) {
                dim.string(DIM_PARAM, (String) d);
            } else {
                throw new IllegalArgumentException("dimension of '" + name + "' must be a number or a symbol name, got " + d);
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(TYPE_TENSOR_ELEM_TYPE, DATA_TYPE_FLOAT).message(TYPE_TENSOR_SHAPE, shape);
        ProtoWriter type = new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType);
        return new ProtoWriter().string(VALUE_INFO_NAME, name).message(VALUE_INFO_TYPE, type);
    }

    private void define(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("value names must be non-empty");
        if (!defined.add(name)) throw new IllegalArgumentException("value '" + name + "' is defined twice");
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension " + d + " for '" + name + "'");
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("initializer '" + name + "' has " + count + " values but its shape holds " + n);
        }
    }

    private int totalSize() {
        long n = 0;
        for (List<ProtoWriter> l : List.of(nodes, initializers, inputs, outputs)) {
            for (ProtoWriter w : l) n += w.size() + 8;
        }
        return (int) Math.min(n, Integer.MAX_VALUE - 64);
    }
}
