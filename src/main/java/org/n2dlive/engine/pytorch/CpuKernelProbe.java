package org.n2dlive.engine.pytorch;

import org.n2dlive.engine.NumericsCheck;

/**
 * The child process of {@link org.n2dlive.engine.CpuKernelPath}: runs the known-answer check on the uncapped CPU
 * kernels for the channel counts users run (the shipped profiles' 24 and 48, widths of 8 and 16, odd ones), at every
 * check geometry, twice (wrong kernels were seen to be right on some runs), and prints one line
 * {@code verdict: right} or {@code verdict: wrong: <the first failure>}.
 */
public final class CpuKernelProbe {
    private static final int[] CHANNELS = {8, 12, 16, 24, 32, 47, 48};
    private static final int[][] GEOMETRIES = {{NumericsCheck.BATCH, NumericsCheck.SIZE}, {1, 64}, {16, 8}};

    private CpuKernelProbe() {
    }

    public static void main(String[] args) {
        try {
            for (int round = 0; round < 2; round++) {
                for (int c : CHANNELS) {
                    for (int[] g : GEOMETRIES) {
                        NumericsCheck.Result r = CpuKernelCheck.run(NumericsCheck.testCase(c, g[0], g[1]), c);
                        if (!r.passed()) {
                            System.out.println("verdict: wrong: " + r + " (batch " + g[0] + ", " + g[1] + "²)");
                            System.exit(3);
                        }
                    }
                }
            }
            System.out.println("verdict: right");
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("verdict: unknown: " + t);
            System.exit(4);
        }
    }
}
