package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.temporal.RawPixels;
import org.n2dlive.synth.CameraModel;
import org.n2dlive.synth.CellScene;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

class TemporalDenoiserTest {
    private static final int SIZE = 96;

    /** The spatial stage replaced by a copy: the output is the fused frame, so the test sees the temporal part alone. */
    private static class Copy implements SpatialModel {
        @Override
        public boolean denoise(SeriesKey series, float[] input, Frame raw, double rawShare, float[] out, DenoiseReport report) {
            System.arraycopy(input, 0, out, 0, raw.pixelCount());
            return true;
        }

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) {
            dst.copyFrom(src);
        }

        @Override
        public void denoiseAgain(Frame raw, Pipeline pipeline, float[] out) {
            RawPixels.toFloat(raw, out);
        }

        @Override
        public void denoiseAgain(Frame raw, TileMosaic tiles, float[] out) {
            RawPixels.toFloat(raw, out);
        }

        @Override
        public WarmWeights latestWeights() {
            return null;
        }

        @Override
        public void loadWeights(WarmWeights weights) {
            throw new IllegalArgumentException("a copy takes no weights");
        }

        @Override
        public void close() {
        }
    }

    /** N2D with what its last {@link SpatialModel#denoise} returned: whether that frame went through the nets. */
    private static final class Inferring implements SpatialModel {
        final WarmStartDenoiser n2d;
        boolean inferred;

        Inferring(WarmStartDenoiser n2d) {
            this.n2d = n2d;
        }

        @Override
        public boolean denoise(SeriesKey series, float[] input, Frame raw, double rawShare, float[] out, DenoiseReport report)
                throws Exception {
            return inferred = n2d.denoise(series, input, raw, rawShare, out, report);
        }

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
            n2d.denoise(src, dst, report);
        }

        @Override
        public void denoiseAgain(Frame raw, Pipeline pipeline, float[] out) {
            n2d.denoiseAgain(raw, pipeline, out);
        }

        @Override
        public void denoiseAgain(Frame raw, TileMosaic tiles, float[] out) {
            n2d.denoiseAgain(raw, tiles, out);
        }

        @Override
        public WarmWeights latestWeights() {
            return n2d.latestWeights();
        }

        @Override
        public void loadWeights(WarmWeights weights) {
            n2d.loadWeights(weights);
        }

        @Override
        public void close() {
            n2d.close();
        }
    }

    private static SyntheticCamera camera(SceneMotion motion) {
        return camera(motion, 30);
    }

    private static SyntheticCamera camera(SceneMotion motion, double photons) {
        return camera(motion, photons, SIZE);
    }

    private static SyntheticCamera camera(SceneMotion motion, double photons, int size) {
        return new SyntheticCamera(List.of(CellScene.draw(size, size, 3)), size, size, motion, new CameraModel(16, photons, 2, 100, 2), 21, 10);
    }

    private static double psnr(Frame out, Frame truth) {
        double se = 0;
        for (int i = 0; i < out.pixelCount(); i++) {
            double d = out.get(i) - truth.get(i);
            se += d * d;
        }
        return 10 * Math.log10(65535.0 * 65535.0 * out.pixelCount() / se);
    }

    @Test
    void estimatedPsnrIsCloseToTheTruePsnrOnAStaticStream() throws Exception {
        SyntheticCamera cam = camera(SceneMotion.NONE, 100);
        try (TemporalDenoiser d = new TemporalDenoiser(new Copy(), 64)) {
            Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
            DenoiseReport r = new DenoiseReport();
            double truePrev = Double.NaN;
            double estSum = 0;
            double trueSum = 0;
            int count = 0;
            for (int i = 0; i < 30; i++) {
                r.reset();
                d.denoise(cam.frame(i), out, r);
                if (i >= 10) {
                    assertTrue(Double.isFinite(r.estimatedPsnrDb), "frame " + i + " of a static stream has an estimate");
                    estSum += r.estimatedPsnrDb;
                    trueSum += truePrev; // the estimate is of the previous output
                    count++;
                }
                truePrev = psnr(out, cam.groundTruth(i));
                if (Boolean.getBoolean("debug")) System.out.printf("%d drift %.3f %.3f est %.2f true %.2f motion %.4f%n", i, r.driftX, r.driftY, r.estimatedPsnrDb, truePrev, d.filter().motionFraction());
                assertEquals(0, r.driftX, 0.2, "a static stream barely drifts");
            }
            assertEquals(trueSum / count, estSum / count, 1.0, "estimated vs true PSNR, mean over frames 10-29");
        }
    }

    @Test
    void noEstimateUnderStrongMotion() throws Exception {
        // 40 bright objects of σ 4 px crossing the field at 3 px per frame: far more than 2 % of the pixels change
        SyntheticCamera cam = camera(new SceneMotion(0, 0, 40, 3, 4, 0.9, 5));
        try (TemporalDenoiser d = new TemporalDenoiser(new Copy(), 64)) {
            Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
            DenoiseReport r = new DenoiseReport();
            for (int i = 0; i < 12; i++) {
                r.reset();
                d.denoise(cam.frame(i), out, r);
                if (i > 0) assertTrue(Double.isNaN(r.estimatedPsnrDb), "frame " + i + ": no estimate under motion, got " + r.estimatedPsnrDb);
            }
        }
    }

    @Test
    void rawFrameIsNotModifiedAndDriftIsReported() throws Exception {
        // bright enough to align a 96² frame on (at 30 photons its few cells leave the estimate off by 0.3 px)
        SyntheticCamera cam = camera(new SceneMotion(1, 0.5, 0, 1, 2, 0.8, 0), 300);
        try (TemporalDenoiser d = new TemporalDenoiser(new Copy(), 64)) {
            Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
            DenoiseReport r = new DenoiseReport();
            for (int i = 0; i < 6; i++) {
                Frame raw = cam.frame(i);
                long before = raw.checksum();
                r.reset();
                d.denoise(raw, out, r);
                assertEquals(before, raw.checksum(), "the raw frame is untouched");
                if (i > 0) {
                    assertEquals(1, r.driftX, 0.15, "drift x, frame " + i);
                    assertEquals(0.5, r.driftY, 0.15, "drift y, frame " + i);
                }
            }
        }
    }

    /** The spatial stage that records what it was given (rounded to the raw frame's type), then copies it. */
    private static final class Recording extends Copy {
        Frame seen = Frame.allocate(org.n2dlive.frame.PixelType.GRAY8, 1, 1);

        @Override
        public boolean denoise(SeriesKey series, float[] input, Frame raw, double rawShare, float[] out, DenoiseReport report) {
            RawPixels.fromFloat(input, raw.type(), raw.width(), raw.height(), seen);
            return super.denoise(series, input, raw, rawShare, out, report);
        }
    }

    @Test
    void innerDenoiserGetsTheFusedFrameOrTheRawOneAsConfigured() throws Exception {
        SyntheticCamera cam = camera(SceneMotion.NONE, 100);
        for (boolean rawInput : new boolean[] {false, true}) {
            Recording inner = new Recording();
            try (TemporalDenoiser d = new TemporalDenoiser(inner, 64, rawInput)) {
                Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
                DenoiseReport r = new DenoiseReport();
                for (int i = 0; i < 8; i++) {
                    Frame raw = cam.frame(i);
                    r.reset();
                    d.denoise(raw, out, r);
                    if (rawInput) {
                        assertEquals(raw.checksum(), inner.seen.checksum(), "raw input: N2D sees the raw frame " + i);
                    } else if (i > 0) {
                        // the fused frame of a static stream has averaged i + 1 frames: far closer to the truth
                        Frame truth = cam.groundTruth(i);
                        assertTrue(psnr(inner.seen, truth) > psnr(raw, truth) + 3,
                                "fused input: N2D sees the fused frame " + i);
                    }
                }
            }
        }
    }

    /**
     * Pixels the fused frame took from the raw frame alone (q = 1) inside a moving object are delivered as the raw
     * frame's own denoising by the frame's weights (stage 1, or the ensemble on tiles, which must equal the
     * whole-frame ensemble there), not the net's output on the fused frame around them; without the pass they are
     * not. The runs train identically (the pass neither trains nor draws random numbers).
     */
    @Test
    void freshPixelsTakeTheRawFramesOwnDenoising() throws Exception {
        final int S = 192;
        SceneMotion motion = new SceneMotion(0, 0, 2, 3, 2, 0.9, 4);
        SyntheticCamera cam = camera(motion, 60, S); // 192²: two ensemble tiles are 22 % of it, under the cap
        org.n2dlive.engine.Pipeline[] passes = {org.n2dlive.engine.Pipeline.STAGE1, null, org.n2dlive.engine.Pipeline.ENSEMBLE};
        double[] maxOff = new double[passes.length];
        int checked = 0, tiles = 0, ensembleFrames = 0;
        boolean[] inObject = new boolean[S * S];
        for (int pass = 0; pass < passes.length; pass++) {
            WarmStartSettings s = new WarmStartSettings(org.n2dlive.engine.Pipeline.ENSEMBLE, 8, 30, 32, 1, 32, 1000, 100, 1e-2, 1000,
                    0.5, 0, WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
            WarmStartDenoiser n2d = new WarmStartDenoiser(s, new WarmStartDenoiserTest.TickingClock(1_000_000));
            try (TemporalDenoiser d = new TemporalDenoiser(n2d, 64, false, 1, passes[pass])) {
                Frame out = Frame.allocate(cam.type(), S, S);
                DenoiseReport r = new DenoiseReport();
                float[] again = new float[S * S], again1 = new float[S * S];
                for (int i = 0; i < 6; i++) {
                    Frame raw = cam.frame(i);
                    r.reset();
                    d.denoise(raw, out, r);
                    if (i < 2) continue;
                    n2d.denoiseAgain(raw, passes[pass] == null ? org.n2dlive.engine.Pipeline.STAGE1 : passes[pass], again);
                    n2d.denoiseAgain(raw, org.n2dlive.engine.Pipeline.STAGE1, again1);
                    byte[] kinds = pass == 2 ? d.freshRegions().kinds() : null; // the ensemble pass runs stage 1 where no change is proven
                    float[] q = d.filter().precision();
                    motion.objectMask(S, S, i, 1, inObject);
                    for (int k = 0; k < again.length; k++) {
                        if (q[k] > 1.0001f || !inObject[k]) continue;
                        boolean stage1Here = pass == 2 && (!d.freshEnsembleRan() || kinds[k] != org.n2dlive.temporal.FreshRegions.PROVEN);
                        float expected = stage1Here ? again1[k] : again[k];
                        maxOff[pass] = Math.max(maxOff[pass], Math.abs(out.get(k) - expected));
                        if (pass == 0) checked++;
                    }
                    if (passes[pass] != null) assertTrue(d.freshPixels() > 0, "frame " + i + " has fresh pixels");
                    if (pass == 2) {
                        tiles += d.freshTiles();
                        if (d.freshEnsembleRan()) ensembleFrames++;
                    }
                }
            }
        }
        assertTrue(checked > 50, "moving objects leave fresh pixels: " + checked);
        assertTrue(maxOff[0] <= 0.5001, "with the pass, fresh pixels are the raw frame's denoising (rounded): off by " + maxOff[0]);
        assertTrue(maxOff[2] <= 0.5001, "the ensemble on tiles likewise: off by " + maxOff[2]);
        assertTrue(tiles > 0, "the pass ran on tiles, not on the whole frame");
        assertTrue(ensembleFrames >= 3, "the ensemble ran near the proven changes on " + ensembleFrames + " of 4 frames");
        assertTrue(maxOff[1] > 2, "without it they are not: off by up to " + maxOff[1]);
    }

    /**
     * In live view, while N2D warms up, the temporal stage shows its fused frame and the nets do not run: the worker
     * takes more frames, and on a still scene the view is clean within a few of them. The warm-up trains on at most
     * half the worker's time. In RECORD nothing changes: every frame goes through the nets.
     */
    @Test
    void liveViewShowsTheFusedFrameWhileTheModelWarmsUp() throws Exception {
        SyntheticCamera cam = camera(SceneMotion.NONE);
        for (boolean live : new boolean[] {true, false}) {
            WarmStartSettings s = new WarmStartSettings(org.n2dlive.engine.Pipeline.STAGE1, 8, 1000, 32, 1, 32, 1000, 5, 1e-2, 1000,
                    0.5, 0, WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
            WarmStartDenoiser warm = new WarmStartDenoiser(s, new WarmStartDenoiserTest.TickingClock(1_000_000));
            warm.passThroughWhileWarmingUp();
            Inferring n2d = new Inferring(warm);
            org.n2dlive.temporal.TemporalFilter reference = new org.n2dlive.temporal.TemporalFilter(64);
            float[] fused = new float[SIZE * SIZE];
            int trainedFrames = 0, restFrames = 0;
            try (TemporalDenoiser d = new TemporalDenoiser(n2d, 64)) {
                Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
                DenoiseReport r = new DenoiseReport();
                for (int i = 0; i < 8; i++) {
                    Frame raw = cam.frame(i);
                    r.reset();
                    r.liveView = live;
                    d.denoise(raw, out, r);
                    reference.process(raw, fused);
                    assertTrue(r.warmingUp, "1000 warm-up steps: still warming up at frame " + i);
                    assertEquals(!live, n2d.inferred, "frame " + i + (live ? ": live view passes through" : ": RECORD infers"));
                    if (r.adaptationSteps > 0) trainedFrames++;
                    else restFrames++;
                    if (live) {
                        Frame expected = org.n2dlive.temporal.RawPixels.fromFloat(fused, cam.type(), SIZE, SIZE,
                                Frame.allocate(cam.type(), SIZE, SIZE));
                        for (int k = 0; k < SIZE * SIZE; k++) {
                            assertEquals(expected.get(k), out.get(k), 0.0, "frame " + i + " pixel " + k + ": the fused frame");
                        }
                    }
                }
            }
            if (live) {
                assertTrue(trainedFrames >= 3 && restFrames >= 3, "half the frames train: " + trainedFrames + " trained, " + restFrames + " fused only");
            } else {
                assertEquals(8, trainedFrames, "RECORD trains on every frame");
            }
        }
        assertTrue(psnr(lastLive(cam), cam.groundTruth(7)) > psnr(cam.frame(7), cam.groundTruth(7)) + 6,
                "eight fused frames of a still scene: +6 dB at least");
    }

    /**
     * A first start: in live view the fused frame shows from the first frame while libtorch loads and its kernels are
     * checked in the background, and the model starts between two frames once they are; a frame not for live view
     * waits for the engine instead. 11 and 13 channels: widths no other test checks, so their kernel checks have not
     * run in this JVM.
     */
    @Test
    void liveViewShowsTheFusedFrameWhileTheEngineLoads() throws Exception {
        SyntheticCamera cam = camera(SceneMotion.NONE);
        WarmStartSettings s = new WarmStartSettings(org.n2dlive.engine.Pipeline.STAGE1, 11, 1000, 32, 1, 32, 1000, 5, 1e-2, 1000,
                0.5, 0, WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
        assertFalse(org.n2dlive.engine.pytorch.TorchRuntime.ready("cpu", 11), "the 11-channel check ran before this test");
        WarmStartDenoiser n2d = WarmStartDenoiser.deferringEngine(s, new WarmStartDenoiserTest.TickingClock(1_000_000));
        org.n2dlive.temporal.TemporalFilter reference = new org.n2dlive.temporal.TemporalFilter(64);
        float[] fused = new float[SIZE * SIZE];
        try (TemporalDenoiser d = new TemporalDenoiser(n2d, 64)) {
            Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
            DenoiseReport r = new DenoiseReport();
            int i = 0;
            for (; !org.n2dlive.engine.pytorch.TorchRuntime.ready("cpu", 11); i++) {
                assertTrue(i < 10_000, "the engine never became ready");
                Frame raw = cam.frame(i % 16);
                r.reset();
                r.liveView = true;
                d.denoise(raw, out, r);
                reference.process(raw, fused);
                assertTrue(r.warmingUp && r.adaptationSteps == 0, "frame " + i + ": passed through, nothing trained");
                Frame expected = org.n2dlive.temporal.RawPixels.fromFloat(fused, cam.type(), SIZE, SIZE,
                        Frame.allocate(cam.type(), SIZE, SIZE));
                for (int k = 0; k < SIZE * SIZE; k++) {
                    assertEquals(expected.get(k), out.get(k), 0.0, "frame " + i + " pixel " + k + ": the fused frame");
                }
                Thread.sleep(5);
            }
            assertTrue(i >= 1, "the first live frame did not wait for the engine");
            // Ready: the nets are built off the worker; frames keep passing through meanwhile, then it trains.
            int waited = 0;
            do {
                assertTrue(++waited < 10_000, "the model never started");
                r.reset();
                r.liveView = true;
                d.denoise(cam.frame(i % 16), out, r);
                Thread.sleep(5);
            } while (r.adaptationSteps == 0);
        }
        WarmStartSettings s13 = new WarmStartSettings(org.n2dlive.engine.Pipeline.STAGE1, 13, 1000, 32, 1, 32, 1000, 5, 1e-2, 1000,
                0.5, 0, WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto");
        assertFalse(org.n2dlive.engine.pytorch.TorchRuntime.ready("cpu", 13), "the 13-channel check ran before this test");
        Inferring recording = new Inferring(WarmStartDenoiser.deferringEngine(s13, new WarmStartDenoiserTest.TickingClock(1_000_000)));
        try (TemporalDenoiser d = new TemporalDenoiser(recording, 64)) {
            DenoiseReport r = new DenoiseReport();
            d.denoise(cam.frame(0), Frame.allocate(cam.type(), SIZE, SIZE), r);
            assertTrue(recording.inferred && r.adaptationSteps > 0, "RECORD waits for the engine and infers");
        }
    }

    /** The fused frame after eight frames, as the live view shows it. */
    private static Frame lastLive(SyntheticCamera cam) {
        org.n2dlive.temporal.TemporalFilter f = new org.n2dlive.temporal.TemporalFilter(64);
        float[] fused = new float[SIZE * SIZE];
        for (int i = 0; i < 8; i++) f.process(cam.frame(i), fused);
        Frame out = Frame.allocate(cam.type(), SIZE, SIZE);
        org.n2dlive.temporal.RawPixels.fromFloat(fused, cam.type(), SIZE, SIZE, out);
        return out;
    }
}
