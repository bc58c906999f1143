package org.n2dlive.engine.onnx;

import org.n2dlive.engine.NetWeights;

/**
 * Plain-Java N2D inference written straight from the definitions (direct convolution loops with zero padding,
 * PyTorch's pixel_unshuffle index formula), the independent oracle for the ONNX graph. Double accumulation.
 * Images are row-major [h][w] in a flat array.
 */
final class ReferenceN2d {
    private ReferenceN2d() {
    }

    /** net(x) for one single-channel image. */
    static float[] net(NetWeights n, float[] x, int w, int h) {
        int c = n.channels;
        float[] h1 = new float[c * h * w];
        for (int o = 0; o < c; o++) {
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    double acc = n.b1[o];
                    for (int kr = 0; kr < 3; kr++) {
                        for (int kq = 0; kq < 3; kq++) {
                            int rr = r + kr - 1, qq = q + kq - 1;
                            if (rr < 0 || rr >= h || qq < 0 || qq >= w) continue;
                            acc += (double) n.w1[o * 9 + kr * 3 + kq] * x[rr * w + qq];
                        }
                    }
                    h1[(o * h + r) * w + q] = leaky(acc);
                }
            }
        }
        float[] h2 = new float[c * h * w];
        for (int o = 0; o < c; o++) {
            for (int r = 0; r < h; r++) {
                for (int q = 0; q < w; q++) {
                    double acc = n.b2[o];
                    for (int i = 0; i < c; i++) {
                        for (int kr = 0; kr < 3; kr++) {
                            for (int kq = 0; kq < 3; kq++) {
                                int rr = r + kr - 1, qq = q + kq - 1;
                                if (rr < 0 || rr >= h || qq < 0 || qq >= w) continue;
                                acc += (double) n.w2[((o * c + i) * 3 + kr) * 3 + kq] * h1[(i * h + rr) * w + qq];
                            }
                        }
                    }
                    h2[(o * h + r) * w + q] = leaky(acc);
                }
            }
        }
        float[] out = new float[h * w];
        for (int p = 0; p < h * w; p++) {
            double acc = n.b3[0];
            for (int i = 0; i < c; i++) acc += (double) n.w3[i] * h2[i * h * w + p];
            out[p] = (float) acc;
        }
        return out;
    }

    /** D(x) = clamp(x − net_f(x), 0, 1). */
    static float[] denoise(NetWeights f, float[] x, int w, int h) {
        float[] n = net(f, x, w, h);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = clamp(x[i] - n[i]);
        return out;
    }

    /** pixel_unshuffle with one input channel: sub-image k = i·s + j holds x[a·s+i][b·s+j] at (a, b). */
    static float[][] unshuffle(float[] x, int w, int h, int s) {
        int ws = w / s, hs = h / s;
        float[][] subs = new float[s * s][ws * hs];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                for (int a = 0; a < hs; a++) {
                    for (int b = 0; b < ws; b++) subs[i * s + j][a * ws + b] = x[(a * s + i) * w + (b * s + j)];
                }
            }
        }
        return subs;
    }

    /** pixel_shuffle, the inverse of {@link #unshuffle}. */
    static float[] shuffle(float[][] subs, int w, int h, int s) {
        int ws = w / s, hs = h / s;
        float[] x = new float[w * h];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                for (int a = 0; a < hs; a++) {
                    for (int b = 0; b < ws; b++) x[(a * s + i) * w + (b * s + j)] = subs[i * s + j][a * ws + b];
                }
            }
        }
        return x;
    }

    /** Stages 1..stages: out[0] = stage 1, etc. */
    static float[][] pipeline(NetWeights f, NetWeights g, float[] y, int w, int h, int stages) {
        float[][] out = new float[stages][];
        out[0] = denoise(f, y, w, h);
        if (stages == 1) return out;
        float[][] paths = new float[2][];
        int[] sizes = {2, 4};
        for (int t = 0; t < 2; t++) {
            int s = sizes[t];
            float[][] subs = unshuffle(y, w, h, s);
            for (int k = 0; k < subs.length; k++) subs[k] = denoise(f, subs[k], w / s, h / s);
            paths[t] = denoise(f, shuffle(subs, w, h, s), w, h);
        }
        float[] s2 = new float[w * h];
        for (int i = 0; i < s2.length; i++) s2[i] = (out[0][i] + paths[0][i] + paths[1][i]) / 3f;
        out[1] = s2;
        if (stages == 2) return out;
        float[] n = net(g, s2, w, h);
        float[] s3 = new float[w * h];
        for (int i = 0; i < s3.length; i++) s3[i] = clamp(n[i]);
        out[2] = s3;
        return out;
    }

    private static float leaky(double v) {
        return (float) (v >= 0 ? v : 0.2 * v);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
