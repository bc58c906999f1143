package org.n2dlive.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReflectPadTest {
    @Test
    void padsLikeNumpyReflectAndCropsBack() {
        // 3x2 image, padded to 4x4; numpy.pad(a, ((0,2),(0,1)), 'reflect')
        float[] src = {1, 2, 3,
                       4, 5, 6};
        float[] dst = new float[16];
        ReflectPad.pad(src, 3, 2, dst, 4, 4);
        float[] expected = {1, 2, 3, 2,
                            4, 5, 6, 5,
                            1, 2, 3, 2,
                            4, 5, 6, 5};
        assertArrayEquals(expected, dst, 0f);
        float[] back = new float[6];
        ReflectPad.crop(dst, 4, back, 3, 2);
        assertArrayEquals(src, back, 0f);
    }

    @Test
    void singlePixelDimensionsRepeatTheEdge() {
        float[] src = {7, 8};
        float[] dst = new float[8];
        ReflectPad.pad(src, 2, 1, dst, 4, 2);
        assertArrayEquals(new float[] {7, 8, 7, 8, 7, 8, 7, 8}, dst, 0f);
        assertEquals(8, ReflectPad.paddedSize(5, 4));
        assertEquals(8, ReflectPad.paddedSize(8, 4));
    }
}
