package org.n2dlive.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OnnxModelBuilderTest {

    @Test
    void rejectsUseBeforeDefinition() {
        OnnxModelBuilder m = new OnnxModelBuilder();
        m.addInput("x", 1, "N");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.addNode("Add", new String[] {"x", "nope"}, "z"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void rejectsDuplicateNames() {
        OnnxModelBuilder m = new OnnxModelBuilder();
        m.addInput("x", 1);
        assertThrows(IllegalArgumentException.class, () -> m.addFloatInitializer("x", new float[] {1f}, 1));
    }

    @Test
    void rejectsInitializerWithWrongCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OnnxModelBuilder().addFloatInitializer("w", new float[5], 2, 3));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void rejectsOutputNeverProduced() {
        OnnxModelBuilder m = new OnnxModelBuilder();
        m.addInput("x", 1);
        m.addOutput("z", 1);
        assertThrows(IllegalStateException.class, () -> m.build("g", "t", "1"));
    }

    @Test
    void rejectsBadDimension() {
        assertThrows(IllegalArgumentException.class, () -> new OnnxModelBuilder().addInput("x", 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new OnnxModelBuilder().addInput("x", new Object()));
    }
}
