package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reference the native kernels are checked against is itself checked: gradients by finite differences. */
class ReferenceNetTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        int c = 3;
        int n = 2;
        int s = 5;
        NetWeights p = NetWeights.initialise(c, 4);
        Random r = new Random(9);
        float[] x = new float[n * s * s];
        float[] t = new float[n * s * s];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
            t[i] = r.nextFloat();
        }
        double[][] g = ReferenceNet.gradients(p, x, t, ReferenceNet.forward(p, x, n, s, s));
        float[][] arrays = p.arrays();
        for (int a = 0; a < arrays.length; a++) {
            for (int i = 0; i < arrays[a].length; i++) {
                float keep = arrays[a][i];
                float h = 1e-3f;
                arrays[a][i] = keep + h;
                double up = loss(p, x, t, n, s);
                arrays[a][i] = keep - h;
                double down = loss(p, x, t, n, s);
                arrays[a][i] = keep;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, g[a][i], 2e-3 * Math.max(1, Math.abs(numeric)), "array " + a + " index " + i);
            }
        }
    }

    @Test
    void aWidenedNetComputesTheSameFunctionAndNarrowsBack() {
        NetWeights p = NetWeights.initialise(5, 2);
        NetWeights wide = p.widenedTo(8);
        float[] x = new float[2 * 7 * 7];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        assertArrayEquals(ReferenceNet.forward(p, x, 2, 7, 7).out, ReferenceNet.forward(wide, x, 2, 7, 7).out, 1e-12);
        assertEquals(p, wide.narrowedTo(5));
    }

    private static double loss(NetWeights p, float[] x, float[] t, int n, int s) {
        double[] out = ReferenceNet.forward(p, x, n, s, s).out;
        double sum = 0;
        for (int i = 0; i < out.length; i++) sum += (out[i] - t[i]) * (out[i] - t[i]);
        return sum / out.length;
    }
}
