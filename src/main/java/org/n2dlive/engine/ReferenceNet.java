package org.n2dlive.engine;

/**
 * The N2D network written out in plain Java with double accumulators: the forward pass and the gradients of a mean
 * squared error, for a batch [N,1,H,W]. It is the independent answer the native kernels are checked against
 * ({@link NumericsCheck}), so it shares no code with any backend; too slow for anything but small checks.
 * Stateless; any thread.
 */
public final class ReferenceNet {
    private ReferenceNet() {
    }

    /** Per-layer activations of one forward pass, kept for the backward pass. */
    public static final class Forward {
        final int n;
        final int h;
        final int w;
        final double[] z1;
        final double[] z2;
        /** The net's output f(x), [N,1,H,W]. */
        public final double[] out;

        Forward(int n, int c, int h, int w) {
            this.n = n;
            this.h = h;
            this.w = w;
            z1 = new double[n * c * h * w];
            z2 = new double[n * c * h * w];
            out = new double[n * h * w];
        }
    }

    /** f(x) for {@code x} of {@code n} images of {@code h × w}. */
    public static Forward forward(NetWeights p, float[] x, int n, int h, int w) {
        int c = p.channels;
        int plane = h * w;
        Forward f = new Forward(n, c, h, w);
        double[] h1 = new double[n * c * plane];
        double[] x64 = new double[n * plane]; // exact: the convolution multiplies in double either way
        for (int i = 0; i < x64.length; i++) x64[i] = x[i];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                int dst = (b * c + k) * plane;
                conv3x3(x64, b * plane, p.w1, k * 9, h, w, f.z1, dst);
                for (int i = 0; i < plane; i++) {
                    f.z1[dst + i] += p.b1[k];
                    h1[dst + i] = leaky(f.z1[dst + i]);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                int dst = (b * c + k) * plane;
                for (int ci = 0; ci < c; ci++) conv3x3(h1, (b * c + ci) * plane, p.w2, (k * c + ci) * 9, h, w, f.z2, dst);
                for (int i = 0; i < plane; i++) f.z2[dst + i] += p.b2[k];
            }
        }
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < plane; i++) {
                double s = p.b3[0];
                for (int k = 0; k < c; k++) s += p.w3[k] * leaky(f.z2[(b * c + k) * plane + i]);
                f.out[b * plane + i] = s;
            }
        }
        return f;
    }

    /**
     * Gradients of mean((f(x) − t)²) over all N·H·W outputs with respect to the six arrays (w1, b1, w2, b2, w3,
     * b3), in {@link NetWeights#arrays()} order and layout.
     */
    public static double[][] gradients(NetWeights p, float[] x, float[] t, Forward f) {
        int c = p.channels;
        int n = f.n;
        int h = f.h;
        int w = f.w;
        int plane = h * w;
        double[] gw1 = new double[c * 9];
        double[] gb1 = new double[c];
        double[] gw2 = new double[c * c * 9];
        double[] gb2 = new double[c];
        double[] gw3 = new double[c];
        double[] gb3 = new double[1];
        double[] dz2 = new double[n * c * plane];
        double[] h1 = new double[n * c * plane];
        for (int i = 0; i < h1.length; i++) h1[i] = leaky(f.z1[i]);
        double scale = 2.0 / ((double) n * plane);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < plane; i++) {
                double dOut = scale * (f.out[b * plane + i] - t[b * plane + i]);
                gb3[0] += dOut;
                for (int k = 0; k < c; k++) {
                    int at = (b * c + k) * plane + i;
                    gw3[k] += dOut * leaky(f.z2[at]);
                    dz2[at] = dOut * p.w3[k] * leakySlope(f.z2[at]);
                }
            }
        }
        double[] dz1 = new double[n * c * plane];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                int src = (b * c + k) * plane;
                for (int i = 0; i < plane; i++) gb2[k] += dz2[src + i];
                for (int ci = 0; ci < c; ci++) {
                    int hin = (b * c + ci) * plane;
                    int wk = (k * c + ci) * 9;
                    for (int dy = 0; dy < 3; dy++) {
                        for (int dx = 0; dx < 3; dx++) {
                            double g = 0;
                            double wv = p.w2[wk + dy * 3 + dx];
                            for (int yy = 0; yy < h; yy++) {
                                int sy = yy + dy - 1;
                                if (sy < 0 || sy >= h) continue;
                                for (int xx = 0; xx < w; xx++) {
                                    int sx = xx + dx - 1;
                                    if (sx < 0 || sx >= w) continue;
                                    double d = dz2[src + yy * w + xx];
                                    g += d * h1[hin + sy * w + sx];
                                    dz1[hin + sy * w + sx] += d * wv;
                                }
                            }
                            gw2[wk + dy * 3 + dx] += g;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < dz1.length; i++) dz1[i] *= leakySlope(f.z1[i]);
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < c; k++) {
                int src = (b * c + k) * plane;
                for (int i = 0; i < plane; i++) gb1[k] += dz1[src + i];
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double g = 0;
                        for (int yy = 0; yy < h; yy++) {
                            int sy = yy + dy - 1;
                            if (sy < 0 || sy >= h) continue;
                            for (int xx = 0; xx < w; xx++) {
                                int sx = xx + dx - 1;
                                if (sx < 0 || sx >= w) continue;
                                g += dz1[src + yy * w + xx] * x[b * plane + sy * w + sx];
                            }
                        }
                        gw1[k * 9 + dy * 3 + dx] += g;
                    }
                }
            }
        }
        return new double[][] {gw1, gb1, gw2, gb2, gw3, gb3};
    }

    /** dst[i] += Σ 3×3 (zero-padded) of the plane at {@code src[off..]} with the kernel at {@code k[ko..ko+9]}. */
    private static void conv3x3(double[] src, int off, float[] k, int ko, int h, int w, double[] dst, int dOff) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int dy = 0; dy < 3; dy++) {
                    int sy = y + dy - 1;
                    if (sy < 0 || sy >= h) continue;
                    for (int dx = 0; dx < 3; dx++) {
                        int sx = x + dx - 1;
                        if (sx < 0 || sx >= w) continue;
                        s += k[ko + dy * 3 + dx] * src[off + sy * w + sx];
                    }
                }
                dst[dOff + y * w + x] += s;
            }
        }
    }

    private static double leaky(double v) {
        return v > 0 ? v : NetWeights.LEAKY_SLOPE * v;
    }

    private static double leakySlope(double v) {
        return v > 0 ? 1 : NetWeights.LEAKY_SLOPE;
    }
}
