package org.n2dlive.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.RowBands;
import org.n2dlive.engine.NetWeights;

/** The ONNX backend against the plain-Java reference {@link ReferenceN2d}. */
class OnnxInferenceTest {
    private static final float TOL = 1e-4f;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int channels : new int[] {4, 48}) {
            for (int[] size : new int[][] {{16, 12}, {8, 20}}) {
                for (Pipeline p : Pipeline.values()) b.add(Arguments.of(channels, size[0], size[1], p));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "C={0} {1}x{2} {3}")
    @MethodSource("cases")
    void matchesReference(int channels, int w, int h, Pipeline p) {
        NetWeights f = NetWeights.initialise(channels, 11);
        NetWeights g = NetWeights.initialise(channels, 12);
        float[] y = randomImage(w, h, 3);
        try (OnnxInference onnx = new OnnxInference(2)) {
            onnx.setWeights(f, g);
            float[][] out = new float[p.stages()][w * h];
            onnx.infer(y, w, h, p, out);
            float[][] ref = ReferenceN2d.pipeline(f, g, y, w, h, p.stages());
            for (int k = 0; k < p.stages(); k++) assertClose(ref[k], out[k], "stage " + (k + 1));
        }
    }

    /** Frames tall enough to be cut into bands (with halos) give the whole-frame reference result. */
    @ParameterizedTest(name = "threads={0} {1}x{2} {3}")
    @MethodSource("bandCases")
    void bandsMatchReference(int threads, int w, int h, Pipeline p) {
        RowBands layout = RowBands.of(h, p, threads);
        assertTrue(layout.count() > 1, "the case should exercise more than one band, got " + layout.count());
        assertBandsMatchReference(threads, w, h, p, 31);
    }

    /** Wide frames: more bands than threads, each lane's bands sharing its buffers; still the whole-frame result. */
    @ParameterizedTest(name = "threads={0} {1}x{2} {3}")
    @MethodSource("manyBandCases")
    void manyBandsPerThreadMatchReference(int threads, int w, int h, Pipeline p) {
        RowBands layout = RowBands.forThreads(w, h, p, threads);
        assertTrue(layout.count() >= 2 * threads, "the case should give each thread two bands or more, got " + layout.count());
        assertBandsMatchReference(threads, w, h, p, 41);
    }

    /** ONNX Runtime on {@code threads} threads against the reference net, 8 channels, weights from {@code seed}. */
    private static void assertBandsMatchReference(int threads, int w, int h, Pipeline p, long seed) {
        NetWeights f = NetWeights.initialise(8, seed);
        NetWeights g = NetWeights.initialise(8, seed + 1);
        float[] y = randomImage(w, h, seed);
        try (OnnxInference onnx = new OnnxInference(threads)) {
            onnx.setWeights(f, g);
            float[][] out = new float[p.stages()][w * h];
            onnx.infer(y, w, h, p, out);
            float[][] ref = ReferenceN2d.pipeline(f, g, y, w, h, p.stages());
            for (int k = 0; k < p.stages(); k++) assertClose(ref[k], out[k], "stage " + (k + 1));
        }
    }

    static Stream<Arguments> manyBandCases() {
        return Stream.of(
                Arguments.of(2, 2048, 400, Pipeline.STAGE1),
                Arguments.of(2, 512, 1100, Pipeline.ENSEMBLE));
    }

    static Stream<Arguments> bandCases() {
        return Stream.of(
                Arguments.of(2, 20, 36, Pipeline.STAGE1),
                Arguments.of(3, 12, 52, Pipeline.STAGE1),
                Arguments.of(2, 16, 100, Pipeline.ENSEMBLE),
                Arguments.of(2, 16, 100, Pipeline.FULL),
                Arguments.of(3, 12, 148, Pipeline.FULL));
    }

    /** Larger weights drive the LeakyReLU negative branch and the clip hard; still equal to the reference. */
    @Test
    void matchesReferenceWithAmplifiedWeights() {
        NetWeights f = scaled(NetWeights.initialise(6, 21), 4f);
        NetWeights g = scaled(NetWeights.initialise(5, 22), 4f);
        int w = 16, h = 12;
        float[] y = randomImage(w, h, 4);
        try (OnnxInference onnx = new OnnxInference(2)) {
            onnx.setWeights(f, g);
            float[][] out = new float[3][w * h];
            onnx.infer(y, w, h, Pipeline.FULL, out);
            float[][] ref = ReferenceN2d.pipeline(f, g, y, w, h, 3);
            for (int k = 0; k < 3; k++) assertClose(ref[k], out[k], "stage " + (k + 1));
            int clipped = 0;
            for (float v : ref[0]) if (v == 0f || v == 1f) clipped++;
            assertTrue(clipped > 0, "the amplified weights should make stage 1 hit the clip somewhere");
        }
    }

    @Test
    void nullOutSlotsAreSkippedAndOutputBeyondImageUntouched() {
        NetWeights f = NetWeights.initialise(4, 1);
        int w = 8, h = 8;
        float[] y = randomImage(w, h, 5);
        try (OnnxInference onnx = new OnnxInference(1)) {
            onnx.setWeights(f, null);
            float[] s2 = new float[w * h + 3];
            Arrays.fill(s2, -7f);
            onnx.infer(y, w, h, Pipeline.ENSEMBLE, new float[][] {null, s2});
            assertClose(ReferenceN2d.pipeline(f, null, y, w, h, 2)[1], Arrays.copyOf(s2, w * h), "stage 2");
            assertEquals(-7f, s2[w * h + 2]);
        }
    }

    @Test
    void oneSessionServesEveryWeightSet() {
        NetWeights f = NetWeights.initialise(4, 31);
        NetWeights g = NetWeights.initialise(4, 32);
        int w = 12, h = 8;
        float[] y = randomImage(w, h, 6);
        try (OnnxInference onnx = new OnnxInference(1)) {
            onnx.setWeights(f, g);
            float[] a = run(onnx, y, w, h, Pipeline.STAGE1);
            assertEquals(1, onnx.sessionBuilds());
            assertTrue(onnx.lastBuildNanos() > 0);

            onnx.setWeights(f.copy(), g.copy());
            assertArrayEquals(a, run(onnx, y, w, h, Pipeline.STAGE1)); // equal weights, equal output

            NetWeights f2 = f.copy();
            f2.b3[0] += 0.05f;
            onnx.setWeights(f2, g);
            float[] c = run(onnx, y, w, h, Pipeline.STAGE1);
            assertEquals(1, onnx.sessionBuilds(), "new weights go into the same session's inputs");
            assertFalse(Arrays.equals(a, c), "changed weights must change the output");
            assertClose(ReferenceN2d.pipeline(f2, null, y, w, h, 1)[0], c, "stage 1 after change");

            // The backend copied the weights: mutating the caller's array must not leak in.
            f2.b3[0] += 0.3f;
            assertArrayEquals(c, run(onnx, y, w, h, Pipeline.STAGE1));

            // FULL on a small frame bakes the weights in: a new g builds it a new session, and changes stage 3 only.
            NetWeights f3 = f2.copy();
            onnx.setWeights(f3, g);
            float[][] full = new float[3][w * h];
            onnx.infer(y, w, h, Pipeline.FULL, full);
            assertEquals(2, onnx.sessionBuilds());
            NetWeights g2 = g.copy();
            g2.b3[0] += 0.5f;
            onnx.setWeights(f3, g2);
            float[][] full2 = new float[3][w * h];
            onnx.infer(y, w, h, Pipeline.FULL, full2);
            assertEquals(3, onnx.sessionBuilds());
            assertArrayEquals(full[1], full2[1]); // g does not feed stage 2
            assertClose(ReferenceN2d.pipeline(f3, g2, y, w, h, 3)[2], full2[2], "stage 3 after a new g");

            // Stage 1 still runs on its own session, which f3 went into without a build.
            assertClose(ReferenceN2d.pipeline(f3, null, y, w, h, 1)[0], run(onnx, y, w, h, Pipeline.STAGE1),
                    "stage 1 after FULL");
            assertEquals(3, onnx.sessionBuilds());
        }
    }

    /** From 1024² on, the shuffle pipelines read the weights as inputs too: a new weight set builds nothing. */
    @Test
    void largeFramesRunTheShufflePipelinesOnWeightInputs() {
        int w = 1024, h = 1024;
        assertTrue(OnnxInference.readsWeightInputs(Pipeline.ENSEMBLE, w, h));
        assertFalse(OnnxInference.readsWeightInputs(Pipeline.ENSEMBLE, w, h - 4));
        assertTrue(OnnxInference.readsWeightInputs(Pipeline.STAGE1, 8, 8));
        NetWeights f = NetWeights.initialise(4, 35);
        NetWeights g = NetWeights.initialise(6, 36); // g's own channel count: the graph and the feeds follow each net
        float[] y = randomImage(w, h, 8);
        try (OnnxInference onnx = new OnnxInference(2)) {
            onnx.setWeights(f, g);
            float[][] out = new float[3][w * h];
            onnx.infer(y, w, h, Pipeline.FULL, out);
            NetWeights f2 = f.copy();
            f2.b1[0] += 0.05f;
            NetWeights g2 = g.copy();
            g2.b3[0] += 0.05f;
            onnx.setWeights(f2, g2);
            onnx.infer(y, w, h, Pipeline.FULL, out);
            assertEquals(1, onnx.sessionBuilds(), "new weights go into the session's inputs");
            float[][] ref = ReferenceN2d.pipeline(f2, g2, y, w, h, 3);
            for (int k = 0; k < 3; k++) assertClose(ref[k], out[k], "stage " + (k + 1) + " at 1024², new weights");
        }
    }

    /** Backends with the same channel counts share one weight-input session; each feeds it its own weights. */
    @Test
    void backendsShareTheWeightInputSessions() {
        int w = 16, h = 8;
        float[] y = randomImage(w, h, 9);
        NetWeights f1 = NetWeights.initialise(4, 41);
        NetWeights f2 = NetWeights.initialise(4, 42);
        int before = SharedSessions.held();
        try (OnnxInference a = new OnnxInference(1)) {
            a.setWeights(f1, null);
            float[] outA = run(a, y, w, h, Pipeline.STAGE1);
            try (OnnxInference b = new OnnxInference(2)) {
                b.setWeights(f2, null);
                float[] outB = run(b, y, w, h, Pipeline.STAGE1);
                assertEquals(0, b.sessionBuilds(), "b runs on a's session");
                assertEquals(before + 1, SharedSessions.held());
                assertClose(ReferenceN2d.pipeline(f2, null, y, w, h, 1)[0], outB, "b's weights");
                assertArrayEquals(outA, run(a, y, w, h, Pipeline.STAGE1)); // a's weights, after b's run
            }
            assertEquals(before + 1, SharedSessions.held(), "a still holds it");
            assertArrayEquals(outA, run(a, y, w, h, Pipeline.STAGE1));
        }
        assertEquals(before, SharedSessions.held(), "the last user closed it");
    }

    @Test
    void aNewChannelCountBuildsNewSessions() {
        int w = 12, h = 8;
        float[] y = randomImage(w, h, 7);
        try (OnnxInference onnx = new OnnxInference(1)) {
            NetWeights f4 = NetWeights.initialise(4, 33);
            onnx.setWeights(f4, null);
            run(onnx, y, w, h, Pipeline.STAGE1);
            NetWeights f8 = NetWeights.initialise(8, 34);
            onnx.setWeights(f8, null);
            assertClose(ReferenceN2d.pipeline(f8, null, y, w, h, 1)[0], run(onnx, y, w, h, Pipeline.STAGE1), "8 channels");
            assertEquals(2, onnx.sessionBuilds());
        }
    }

    @Test
    void frameSizeMayChangeBetweenCalls() {
        NetWeights f = NetWeights.initialise(4, 51);
        try (OnnxInference onnx = new OnnxInference(1)) {
            onnx.setWeights(f, null);
            for (int[] s : new int[][] {{8, 8}, {16, 4}, {8, 8}}) {
                float[] y = randomImage(s[0], s[1], s[0] * 100 + s[1]);
                assertClose(ReferenceN2d.pipeline(f, null, y, s[0], s[1], 1)[0], run(onnx, y, s[0], s[1], Pipeline.STAGE1),
                        s[0] + "x" + s[1]);
            }
            assertEquals(1, onnx.sessionBuilds(), "the graph has symbolic H and W");
        }
    }

    /**
     * The frame and the fresh-pixel pass's tile mosaics alternate every frame: each geometry keeps its buffers, and
     * geometries past the buffer budget (a camera ROI changed again and again) are let go, oldest first.
     */
    @Test
    void geometriesInUseKeepTheirBuffersWithinABudget() {
        NetWeights f = NetWeights.initialise(4, 52);
        try (OnnxInference onnx = new OnnxInference(2)) {
            onnx.setWeights(f, null);
            for (int i = 0; i < 3; i++) {
                for (int[] s : new int[][] {{96, 96}, {64, 128}}) {
                    float[] y = randomImage(s[0], s[1], i * 7 + s[1]);
                    assertClose(ReferenceN2d.pipeline(f, null, y, s[0], s[1], 2)[1], run(onnx, y, s[0], s[1], Pipeline.ENSEMBLE),
                            s[0] + "x" + s[1]);
                }
            }
            assertEquals(2, onnx.geometriesHeld());
            // 6000 × 200 ENSEMBLE: two lanes of one band each (112 rows with the halo) × 4 B × 3 (input, 2 stages)
            // = 16 MB each, so 64 MB holds three
            for (int k = 0; k < 6; k++) run(onnx, new float[6000 * (200 + 4 * k)], 6000, 200 + 4 * k, Pipeline.ENSEMBLE);
            assertTrue(onnx.geometriesHeld() <= 4, "held " + onnx.geometriesHeld());
            float[] y = randomImage(96, 96, 3);
            assertClose(ReferenceN2d.pipeline(f, null, y, 96, 96, 2)[1], run(onnx, y, 96, 96, Pipeline.ENSEMBLE), "after eviction");
        }
    }

    @Test
    void badInputsGiveClearErrors() {
        try (OnnxInference onnx = new OnnxInference(1)) {
            float[] y = new float[64];
            IllegalStateException noWeights = assertThrows(IllegalStateException.class,
                    () -> onnx.infer(y, 8, 8, Pipeline.STAGE1, new float[1][]));
            assertTrue(noWeights.getMessage().contains("setWeights"), noWeights.getMessage());

            onnx.setWeights(NetWeights.initialise(4, 1), null);
            assertMessage(() -> onnx.infer(y, 10, 8, Pipeline.STAGE1, new float[1][]), "multiples of 4");
            assertMessage(() -> onnx.infer(y, 8, 6, Pipeline.STAGE1, new float[1][]), "multiples of 4");
            assertMessage(() -> onnx.infer(y, 8, 12, Pipeline.STAGE1, new float[1][]), "96");
            assertMessage(() -> onnx.infer(y, 0, 8, Pipeline.STAGE1, new float[1][]), "positive");
            assertMessage(() -> onnx.infer(null, 8, 8, Pipeline.STAGE1, new float[1][]), "null");
            assertMessage(() -> onnx.infer(y, 8, 8, Pipeline.ENSEMBLE, new float[1][]), "one slot per stage");
            assertMessage(() -> onnx.infer(y, 8, 8, Pipeline.STAGE1, new float[][] {new float[10]}), "out[0]");
            assertMessage(() -> onnx.setWeights(null, null), "net f");
            IllegalStateException noG = assertThrows(IllegalStateException.class,
                    () -> onnx.infer(y, 8, 8, Pipeline.FULL, new float[3][]));
            assertTrue(noG.getMessage().contains("net g"), noG.getMessage());

            // Still works after all those rejections.
            float[] out = new float[64];
            onnx.infer(y, 8, 8, Pipeline.STAGE1, new float[][] {out});
        }
        OnnxInference closed = new OnnxInference(1);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.setWeights(NetWeights.initialise(4, 1), null));
        assertThrows(IllegalArgumentException.class, () -> new OnnxInference(0));
    }

    /**
     * Thousands of calls must not grow native memory (every result closed, tensors reused). The weights stay fixed:
     * a new set per call rebuilds the session every time, whose Java garbage makes this JVM's RSS count heap pages
     * (seen: +119 MB here). That path was checked in a JVM of its own (-Xms256m -Xmx256m, 64², C=4, a new weight
     * set per call): RSS 158 MB after 1,000 calls, 164 MB from 3,000 to 10,000.
     */
    @Test
    void repeatedInferenceDoesNotLeakNativeMemory() throws IOException {
        Path status = Paths.get("/proc/self/status");
        assumeTrue(Files.isReadable(status), "needs Linux /proc to read the resident set size");
        int w = 64, h = 64;
        float[] y = randomImage(w, h, 8);
        float[][] out = new float[3][w * h];
        try (OnnxInference onnx = new OnnxInference(1)) {
            NetWeights f = NetWeights.initialise(4, 61);
            NetWeights g = NetWeights.initialise(4, 62);
            onnx.setWeights(f, g);
            for (int i = 0; i < 200; i++) onnx.infer(y, w, h, Pipeline.FULL, out);
            long rss0 = residentBytes(status);
            long heap0 = committedHeap();
            int calls = 2000;
            for (int i = 0; i < calls; i++) {
                onnx.setWeights(f, g); // equal weights: no rebuild
                onnx.infer(y, w, h, Pipeline.FULL, out);
            }
            assertEquals(1, onnx.sessionBuilds());
            System.out.println("OnnxInferenceTest: RSS " + (rss0 >> 20) + " MB -> " + (residentBytes(status) >> 20) + " MB over " + calls + " calls");
            long nativeGrowth = (residentBytes(status) - rss0) - Math.max(0, committedHeap() - heap0);
            // Tensors made per call and never freed (input + three outputs, 16 KB each) would be ~128 MB here.
            assertTrue(nativeGrowth < 32L << 20, "native memory grew by " + (nativeGrowth >> 20) + " MB over " + calls + " calls");
        }
    }

    // ---- helpers ----

    private static float[] run(OnnxInference onnx, float[] y, int w, int h, Pipeline p) {
        float[][] out = new float[p.stages()][w * h];
        onnx.infer(y, w, h, p, out);
        return out[p.stages() - 1];
    }

    static float[] randomImage(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] y = new float[w * h];
        for (int i = 0; i < y.length; i++) y[i] = r.nextFloat();
        return y;
    }

    private static NetWeights scaled(NetWeights w, float k) {
        for (float[] a : w.arrays()) for (int i = 0; i < a.length; i++) a[i] *= k;
        return w;
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOL) {
                throw new AssertionError(what + ": pixel " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    private static void assertArrayEquals(float[] a, float[] b) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }

    private static long residentBytes(Path status) throws IOException {
        for (String line : new String(Files.readAllBytes(status), StandardCharsets.US_ASCII).split("\n")) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS line in " + status);
    }

    private static long committedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}
