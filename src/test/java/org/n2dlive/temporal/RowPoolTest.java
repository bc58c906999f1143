package org.n2dlive.temporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.synth.SceneMotion;
import org.n2dlive.synth.SyntheticCamera;

/**
 * The temporal stage's passes over row bands give the same floats as on one thread: the banded kernels against their
 * whole-frame passes, and the whole stage (filter, fresh regions, blend, readout) with 2 and 3 threads against one,
 * on a stream that drifts (fractional and whole-pixel re-indexing), moves objects (proven changes, rims, fresh
 * regions) and dims (the level is followed).
 */
class RowPoolTest {
    @Test
    void everyRowIsRunOnceAndAFailureReachesTheCaller() {
        try (RowPool pool = new RowPool(3)) {
            int w = 300, h = 301;
            assertEquals(3, pool.bands(w, h));
            assertEquals(1, pool.bands(100, 100), "a small frame runs on the caller");
            int[] rows = new int[h];
            for (int k = 0; k < 5; k++) pool.run(w, h, (band, y0, y1) -> {
                for (int y = y0; y < y1; y++) rows[y]++;
            });
            for (int y = 0; y < h; y++) assertEquals(5, rows[y], "row " + y);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(w, h, (band, y0, y1) -> {
                if (band == 2) throw new IllegalStateException("band 2");
            }));
            assertEquals("band 2", e.getMessage());
            AtomicInteger after = new AtomicInteger();
            pool.run(w, h, (band, y0, y1) -> after.addAndGet(y1 - y0));
            assertEquals(h, after.get(), "the pool still runs after a failed pass");
            pool.close();
            int[] bands = new int[3];
            pool.run(w, h, (band, y0, y1) -> bands[band] = y1 - y0);
            assertEquals(h, bands[0] + bands[1] + bands[2], "a closed pool runs the same bands on the caller");
        }
    }

    @Test
    void bandedKernelsMatchTheirWholeFramePasses() {
        SplittableRandom r = new SplittableRandom(7);
        int w = 203, h = 190;
        float[] src = new float[w * h];
        for (int i = 0; i < src.length; i++) src[i] = (float) (r.nextDouble() * 100 - 20);
        float[] sparse = new float[w * h];
        for (int k = 0; k < 40; k++) sparse[r.nextInt(w * h)] = (float) r.nextDouble();
        for (int threads = 2; threads <= 4; threads++) {
            int bands = threads;
            double[][] shifts = {{0.3, -0.2}, {-1, 1}, {0.5, 0.5}, {-0.75, 0.999}, {1, -1}};
            for (double[] s : shifts) {
                float[] whole = new float[w * h], banded = new float[w * h], tmp = new float[w * h];
                Resample.shift(src, w, h, s[0], s[1], tmp, whole);
                for (int b = bands - 1; b >= 0; b--) { // backwards: a band must not rely on the one before it
                    Resample.shiftRows(src, w, h, s[0], s[1], tmp, banded, RowPool.bandStart(b, bands, h), RowPool.bandStart(b + 1, bands, h));
                }
                assertArrayEquals(whole, banded, "shift " + s[0] + ", " + s[1] + " in " + bands + " bands");
            }
            for (int radius = 1; radius <= 3; radius++) {
                float[] whole = new float[w * h], banded = new float[w * h], tmp = new float[w * h];
                TemporalFilter.boxMean(src, whole, w, h, radius, tmp);
                for (int b = bands - 1; b >= 0; b--) {
                    TemporalFilter.boxMeanRows(src, banded, w, h, radius, tmp, RowPool.bandStart(b, bands, h), RowPool.bandStart(b + 1, bands, h));
                }
                assertArrayEquals(whole, banded, "box mean r = " + radius + " in " + bands + " bands");
            }
            for (int radius : new int[] {2, 5}) {
                float[] whole = sparse.clone(), banded = sparse.clone(), tmp = new float[w * h];
                int[] span = new int[2 * h];
                int above = FreshRegions.dilate(whole, tmp, span, w, h, radius);
                for (int b = 0; b < bands; b++) {
                    FreshRegions.dilateRows(banded, tmp, span, w, radius, RowPool.bandStart(b, bands, h), RowPool.bandStart(b + 1, bands, h));
                }
                int bandedAbove = 0;
                for (int b = 0; b < bands; b++) {
                    bandedAbove += FreshRegions.dilateColumns(banded, tmp, span, w, h, radius, RowPool.bandStart(b, bands, h), RowPool.bandStart(b + 1, bands, h), true);
                }
                assertArrayEquals(whole, banded, "dilate r = " + radius + " in " + bands + " bands");
                assertEquals(above, bandedAbove);
            }
        }
    }

    @Test
    void theStageGivesTheSameFloatsOnAnyNumberOfThreads() {
        long[] one = stage(RowPool.SEQUENTIAL);
        for (int threads = 2; threads <= 3; threads++) {
            try (RowPool pool = new RowPool(threads)) {
                assertArrayEquals(one, stage(pool), threads + " threads");
            }
        }
    }

    @Test
    void sharedBuffersLeftLargerAndDirtyByAnotherGeometryGiveTheSameFloats() {
        StageBuffers used = new StageBuffers();
        used.size(300 * 300); // another series' larger frames went first: the set only grows
        for (StageBuffers.Floats f : StageBuffers.Floats.values()) java.util.Arrays.fill(used.floats(f), Float.NaN);
        assertArrayEquals(stage(RowPool.SEQUENTIAL), stage(RowPool.SEQUENTIAL, used));
    }

    /** A hash per frame of everything the stage outputs, 30 frames of a 256×200 stream. */
    private static long[] stage(RowPool pool) {
        return stage(pool, new StageBuffers());
    }

    private static long[] stage(RowPool pool, StageBuffers shifted) {
        int w = 256, h = 200;
        SceneMotion motion = new SceneMotion(0.45, -0.3, 3, 2, 3, 0.8, 5);
        float[] clean = org.n2dlive.synth.CellScene.draw(w, h, 3);
        SyntheticCamera cam = new SyntheticCamera(java.util.List.of(clean), w, h, motion,
                new org.n2dlive.synth.CameraModel(16, 30, 2, 100, 2), 11, 10);
        // one set of buffers for all four, as in the stage
        TemporalFilter filter = new TemporalFilter(32, pool, shifted);
        FreshRegions regions = new FreshRegions(1f, 4f, 16, 2, pool, shifted);
        BlendSelector blend = new BlendSelector(pool, shifted);
        QualityReadout readout = new QualityReadout(pool, shifted);
        RawPixels.Banded toRaw = new RawPixels.Banded(pool);
        float[] fused = new float[w * h], denoised = new float[w * h], out = new float[w * h];
        Frame dst = Frame.allocate(cam.type(), w, h);
        long[] hashes = new long[30];
        boolean proven = false, followed = false, reindexed = false;
        for (int i = 0; i < hashes.length; i++) {
            Frame f = cam.frame(i);
            if (i >= 15) { // the scene dims 1 % a frame: the filter follows its level
                short[] p = f.shorts();
                double gain = Math.pow(0.99, i - 14);
                for (int k = 0; k < p.length; k++) p[k] = (short) Math.round(100 + ((p[k] & 0xFFFF) - 100) * gain);
            }
            filter.process(f, fused);
            for (int k = 0; k < w * h; k++) denoised[k] = 0.5f * fused[k] + 0.5f * fused[(k + 1) % (w * h)];
            int fresh = filter.usedHistory() ? regions.find(filter.precision(), filter.provenMask(), w, h) : 0;
            boolean still = filter.usedHistory() && !filter.sceneChange();
            blend.blend(filter.rawFrame(), fused, denoised, filter.precision(), w, h, filter.driftX(), filter.driftY(), still, out);
            double psnr = readout.update(filter.rawFrame(), out, w, h, filter.driftX(), filter.driftY(), still, 65535, true);
            toRaw.fromFloat(out, f.type(), w, h, dst);
            long hash = 17;
            for (float[] a : new float[][] {fused, filter.precision(), filter.alignedHistory(), filter.trust(), out,
                    fresh > 0 ? regions.share() : new float[0]}) {
                hash = 31 * hash + java.util.Arrays.hashCode(java.util.Arrays.copyOf(a, Math.min(a.length, w * h)));
            }
            for (int k = 0; k < w * h; k++) hash = 31 * hash + (long) dst.get(k);
            hash = 31 * hash + Double.hashCode(psnr) + 7 * Double.hashCode(filter.levelGain()) + 13 * Double.hashCode(filter.motionFraction())
                    + 19 * Double.hashCode(filter.driftX()) + 23L * filter.provenChanges() + 29L * fresh + 37L * regions.regions();
            hashes[i] = hash;
            proven |= filter.provenChanges() > 0;
            followed |= filter.levelGain() != 1;
            reindexed |= i > 0 && Math.abs(filter.driftX()) > 0;
        }
        assertTrue(proven && followed && reindexed, "the stream exercises changes, level following and drift");
        return hashes;
    }
}
