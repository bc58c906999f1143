package org.n2dlive.engine.onnx;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.NetWeights;

/**
 * Rough timings of the ONNX backend (not a test): graph encoding, session rebuild, and forward passes of
 * net f alone and of each pipeline, with fixed weights and with new weights every frame. Prints medians in ms.
 *
 * <p>Usage: {@code OnnxTimingMain [threads=2] [channels=48] [sizes=256,512]}, run with the launcher's glibc settings
 * (MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=4000000000): without them every new session's
 * buffers are mmapped afresh and the first frame after a rebuild pays tens of ms of page faults.
 * Threading: single-threaded driver.
 */
public final class OnnxTimingMain {
    private OnnxTimingMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 48;
        int[] sizes = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {256, 512};
        System.out.printf(Locale.ROOT, "ONNX Runtime via DJL %s, %d intra-op threads, C=%d, %d processors visible%n",
                Engine.getEngine("OnnxRuntime").getVersion(), threads, channels, Runtime.getRuntime().availableProcessors());
        NetWeights f = NetWeights.initialise(channels, 1);
        NetWeights g = NetWeights.initialise(channels, 2);

        for (Pipeline p : Pipeline.values()) {
            double[] t = new double[30];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                N2dOnnxGraph.build(p, f, g);
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf(Locale.ROOT, "encode graph %-8s  %7.3f ms (%d bytes)%n", p, median(t), N2dOnnxGraph.build(p, f, g).length);
        }

        int rebuildSize = sizes[0];
        for (Pipeline p : Pipeline.values()) {
            try (OnnxInference onnx = new OnnxInference(threads)) {
                float[] y = OnnxInferenceTest.randomImage(rebuildSize, rebuildSize, 9);
                float[][] out = new float[p.stages()][rebuildSize * rebuildSize];
                NetWeights fi = f.copy();
                double[] build = new double[12], firstRun = new double[12];
                for (int i = -2; i < build.length; i++) {
                    fi.b3[0] = i * 1e-3f; // new weights each frame
                    onnx.setWeights(fi, g);
                    long t0 = System.nanoTime();
                    onnx.infer(y, rebuildSize, rebuildSize, p, out);
                    long t1 = System.nanoTime();
                    if (i < 0) continue;
                    build[i] = onnx.lastBuildNanos() / 1e6;
                    firstRun[i] = (t1 - t0) / 1e6;
                }
                System.out.printf(Locale.ROOT, "rebuild %-8s  session build %7.2f ms; build + first infer at %d² %7.2f ms%n",
                        p, median(build), rebuildSize, median(firstRun));
            }
        }

        for (int s : sizes) {
            float[] y = OnnxInferenceTest.randomImage(s, s, 10);
            System.out.printf(Locale.ROOT, "%d×%d: net f alone (initializers) %.2f ms median%n", s, s, netOnly(f, y, s, threads));
            System.out.printf(Locale.ROOT, "%d×%d per frame, ms min / median; variants interleaved frame by frame:%n", s, s);
            for (Pipeline p : Pipeline.values()) timePipeline(p, f, g, y, s, threads);
        }
    }

    /**
     * Two variants run one frame each in turn, so load from other processes hits both alike: fixed weights, and a
     * new weight set every frame (the streaming worker's case, a session rebuild per frame).
     */
    private static void timePipeline(Pipeline p, NetWeights f, NetWeights g, float[] y, int s, int threads) {
        String[] names = {"fixed w", "new w/frame"};
        OnnxInference[] b = {new OnnxInference(threads), new OnnxInference(threads)};
        try {
            NetWeights fi = f.copy();
            float[][] out = new float[p.stages()][s * s];
            int reps = s <= 256 ? 12 : 6;
            double[][] t = new double[b.length][reps];
            for (int i = -1; i < reps; i++) {
                fi.b3[0] = i * 1e-3f;
                for (int v = 0; v < b.length; v++) {
                    long t0 = System.nanoTime();
                    b[v].setWeights(v == 0 ? f : fi, g);
                    b[v].infer(y, s, s, p, out);
                    if (i >= 0) t[v][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            for (int v = 0; v < b.length; v++) {
                System.out.printf(Locale.ROOT, "  %-8s %-26s %8.2f / %8.2f%n", p, names[v], min(t[v]), median(t[v]));
            }
        } finally {
            for (OnnxInference x : b) x.close();
        }
    }

    private static double min(double[] t) {
        double m = Double.MAX_VALUE;
        for (double v : t) m = Math.min(m, v);
        return m;
    }

    private static double netOnly(NetWeights f, float[] y, int s, int threads) throws Exception {
        Engine.getEngine("OnnxRuntime");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(N2dOnnxGraph.buildNetOnly(f), o);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(y), new long[] {1, 1, s, s})) {
                double[] t = new double[Math.max(5, Math.min(40, (int) (2e7 / ((double) s * s * 3))))];
                for (int i = -2; i < t.length; i++) {
                    long t0 = System.nanoTime();
                    session.run(Collections.singletonMap(N2dOnnxGraph.INPUT, in)).close();
                    if (i >= 0) t[i] = (System.nanoTime() - t0) / 1e6;
                }
                return median(t);
            }
        }
    }

    private static double median(double[] t) {
        double[] c = t.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
