package org.n2dlive.n2d;

import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.TileMosaic;
import org.n2dlive.frame.Frame;
import org.n2dlive.temporal.FreshRegions;
import org.n2dlive.temporal.RowPool;
import org.n2dlive.temporal.StageBuffers;
import org.n2dlive.temporal.TemporalFilter;

/**
 * Where the fused frame is fresh (a pixel that moved or changed: its precision q after fusing is near 1, the raw
 * frame alone), the raw frame's own denoising replaces the fused frame's. The net adapts to the fused frames' lower
 * noise and, being one blind net for the whole frame, removes too little of the raw noise in those pixels; run on
 * the raw frame, the same weights denoise them as a spatial-only stream would, provided they were trained on raw
 * frames too ({@code temporal_raw_steps}). The share taken ramps from 1 at q ≤ {@link #Q_LO} to 0 at q ≥ {@link #Q_HI}
 * and spreads {@link #SPREAD} px: an object's flanks change by less than the noise and keep integrating, lagging.
 * Measured on cells-256 inside the moving objects, fixed steps: spatial-only 25.32 dB; without the pass 24.67; with
 * it (stage 1 on the whole frame, all steps on raw frames) 25.19, whole frame 38.75 → 38.34.
 *
 * <p>Where it runs: {@link FreshRegions} drops groups of fewer than {@link #MIN_PIXELS} fresh pixels, the gate's
 * false alarms on still pixels (80–100 groups a frame on FMD field 1, nearly all under 16 px), and the pass runs on
 * {@link TileMosaic} tiles over the rest, or on the whole frame when tiles would cover as much. With
 * {@link Pipeline#ENSEMBLE}, pixels near a change proven this frame take the ensemble, the others (pixels recovering
 * their precision after an object passed, an edge a drift exposed) stage 1. Measured on cells-256, fixed steps,
 * 2-core host D, inside the moving objects: the whole-frame ensemble on every fresh pixel 25.29 dB at 30 % of the
 * worker time; the ensemble on tiles near proven changes 25.28 dB at 15 %; dropping groups under 32 or 64 px instead
 * of 16 lost 0.11 / 0.22 dB; leaving out the regions without a proven change (the trails keep the fused frame's
 * denoising) lost 0.35 dB.
 *
 * <p>Buffers per geometry; nothing is allocated per frame once the largest tile count has been seen. Threading: the
 * worker's thread, like the {@link TemporalDenoiser} that owns it.
 */
final class FreshPixelPass {
    static final float Q_LO = 1f, Q_HI = 4f;
    /** The share spreads this far (px): measured on cells-256, 0 px left the objects at 25.05 dB, 2 px 25.19, 3 px 25.16. */
    static final int SPREAD = 2;
    /** Fresh groups smaller than this are the gate's false alarms on still pixels. */
    static final int MIN_PIXELS = 16;
    /**
     * The ensemble runs on tiles covering at most this share of the frame and {@link #ENSEMBLE_MAX_PIXELS}, else stage 1
     * takes its pixels too: its five forward passes per pixel must stay within the temporal stage's 20 % of the worker
     * time. Measured, default budgets, 2-core host D: cells-256 (3 moving objects, 3–4 tiles, 19–25 % of the frame)
     * 16 % of the worker time; without a cap ncs-eb3 (512², comets everywhere) 26 % and threeb-camera (60², the whole
     * frame) 24 %; with the share alone ncs-eb3 22 %.
     */
    static final double ENSEMBLE_MAX_SHARE = 0.25;
    /**
     * Four 64 px tiles: a bound that does not grow with the frame, as the training step's crop does not, while the
     * frame's own ensemble does (at 512² the frame's inference is most of the worker time).
     */
    static final int ENSEMBLE_MAX_PIXELS = 4 * 64 * 64;

    private final Pipeline pipeline;
    private final RowPool pool;
    private final FreshRegions regions;
    private final RowPool.Rows mixPass = this::mixRows;
    private float[] target; // the caller's denoised frame, during the mixing pass
    private float[] rest;
    private int width;
    private final TileMosaic tiles; // the configured pipeline's
    private final TileMosaic stage1Tiles; // null: the configured pipeline is stage 1
    private final int[] box = new int[4];
    private final StageBuffers buffers;
    private float[] denoised; // the raw frame through the configured pipeline (the shared set's, this frame)
    private float[] denoised1; // through stage 1
    private int pixels;
    private int tileCount;
    private boolean ensembleRan;
    private long inferNanos;

    /**
     * @param pipeline STAGE1, or ENSEMBLE near proven changes and STAGE1 elsewhere
     * @param pool     runs the per-pixel passes over row bands (not owned)
     * @param buffers  the frame's work buffers, shared with the stage's other parts
     */
    FreshPixelPass(Pipeline pipeline, RowPool pool, StageBuffers buffers) {
        if (pipeline == null || pipeline == Pipeline.FULL) {
            throw new IllegalArgumentException("the fresh-pixel pass runs stage 1 or stages 1-2, not " + pipeline);
        }
        this.pipeline = pipeline;
        this.pool = pool;
        this.regions = new FreshRegions(Q_LO, Q_HI, MIN_PIXELS, SPREAD, pool, buffers);
        this.buffers = buffers;
        this.tiles = new TileMosaic(pipeline);
        this.stage1Tiles = pipeline == Pipeline.STAGE1 ? null : new TileMosaic(Pipeline.STAGE1);
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** Forgets the last frame's figures (a frame that does not run the pass reports none). */
    void clear() {
        pixels = 0;
        tileCount = 0;
        ensembleRan = false;
        inferNanos = 0;
    }

    /**
     * Replaces, in proportion to the fresh share, {@code denoised} (the N2D output on the fused frame, raw units) with
     * the raw frame {@code src}'s own denoising by {@code n2d}'s weights of this frame.
     */
    void apply(SpatialModel n2d, Frame src, TemporalFilter filter, float[] denoised) {
        clear();
        int w = src.width(), h = src.height(), n = w * h;
        pixels = regions.find(filter.precision(), filter.provenMask(), w, h);
        if (pixels == 0) return;
        this.denoised = buffers.floats(StageBuffers.Floats.FRESH_DENOISED); // sized by find
        this.denoised1 = buffers.floats(StageBuffers.Floats.FRESH_DENOISED_STAGE1);
        int pw = WarmStartDenoiser.paddedSize(w), ph = WarmStartDenoiser.paddedSize(h);
        boolean split = stage1Tiles != null;
        if (split && tiles.fits(pw, ph)) {
            cover(tiles, FreshRegions.PROVEN, w, pw, ph);
            ensembleRan = tiles.count() > 0 && tiles.pixels() <= Math.min(ENSEMBLE_MAX_SHARE * pw * ph, ENSEMBLE_MAX_PIXELS);
        }
        if (ensembleRan) {
            long t0 = System.nanoTime();
            n2d.denoiseAgain(src, tiles, this.denoised);
            inferNanos += System.nanoTime() - t0;
            tileCount = tiles.count();
        }
        // stage 1 for the rest: away from proven changes, or everywhere when the ensemble did not run
        float[] rest = split ? denoised1 : this.denoised;
        tileCount += run(n2d, src, ensembleRan ? FreshRegions.RECOVERING : 0, split ? stage1Tiles : tiles, rest);
        this.target = denoised;
        this.rest = rest;
        this.width = w;
        try {
            pool.run(w, h, mixPass);
        } finally {
            this.target = null;
            this.rest = null;
        }
    }

    private void mixRows(int band, int y0, int y1) {
        float[] share = regions.share();
        byte[] kinds = regions.kinds();
        for (int i = y0 * width, e = y1 * width; i < e; i++) {
            float m = share[i];
            if (m <= 0) continue;
            float r = ensembleRan && kinds[i] == FreshRegions.PROVEN ? this.denoised[i] : rest[i];
            target[i] += m * (r - target[i]);
        }
    }

    /**
     * Denoises the raw frame again over the fresh regions of one kind (0: all) with {@code mosaic}'s pipeline: on
     * tiles, or on the whole frame where that is no dearer. Returns the tiles run (0 for none or the whole frame).
     */
    private int run(SpatialModel n2d, Frame src, byte kind, TileMosaic mosaic, float[] out) {
        int w = src.width(), h = src.height();
        int pw = WarmStartDenoiser.paddedSize(w), ph = WarmStartDenoiser.paddedSize(h);
        long t0 = System.nanoTime();
        try {
            if (!mosaic.fits(pw, ph)) {
                if (any(kind)) n2d.denoiseAgain(src, mosaic.pipeline(), out);
                return 0;
            }
            cover(mosaic, kind, w, pw, ph);
            t0 = System.nanoTime(); // the tiles' layout is bookkeeping, not inference
            if (mosaic.count() == 0) return 0;
            if (mosaic.pixels() >= (long) pw * ph) {
                n2d.denoiseAgain(src, mosaic.pipeline(), out);
                return 0;
            }
            n2d.denoiseAgain(src, mosaic, out);
            return mosaic.count();
        } finally {
            inferNanos += System.nanoTime() - t0;
        }
    }

    private boolean any(byte kind) {
        for (int r = 0; r < regions.regions(); r++) {
            if (kind == 0 || regions.box(r, box) == kind) return true;
        }
        return false;
    }

    /**
     * Lays tiles over the fresh regions of one kind (0: all): one tile for a region that fits a tile's core, else one
     * per core-sized cell of its box that holds such pixels (a drift's newly exposed edge is an L along two sides).
     */
    private void cover(TileMosaic mosaic, byte kind, int w, int pw, int ph) {
        mosaic.reset(pw, ph);
        int core = mosaic.core();
        float[] share = regions.share();
        byte[] kinds = regions.kinds();
        for (int r = 0; r < regions.regions(); r++) {
            if (regions.box(r, box) != kind && kind != 0) continue;
            if (box[2] - box[0] <= core && box[3] - box[1] <= core) {
                mosaic.cover(box[0], box[1], box[2], box[3]);
                continue;
            }
            for (int cy = box[1] & ~3; cy < box[3]; cy += core) {
                for (int cx = box[0] & ~3; cx < box[2]; cx += core) {
                    int ex = Math.min(cx + core, box[2]), ey = Math.min(cy + core, box[3]);
                    if (holds(kinds, share, kind, w, Math.max(cx, box[0]), Math.max(cy, box[1]), ex, ey)) mosaic.cover(cx, cy, ex, ey);
                }
            }
        }
    }

    /** Whether [x0, x1) × [y0, y1) holds a fresh pixel of this kind (0: any). */
    private static boolean holds(byte[] kinds, float[] share, byte kind, int w, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int i = y * w + x0, e = y * w + x1; i < e; i++) {
                if (share[i] > 0 && (kind == 0 || kinds[i] == kind)) return true;
            }
        }
        return false;
    }

    /** Pixels of the last frame that took part of the raw frame's own denoising (0 when the pass did not run). */
    int pixels() {
        return pixels;
    }

    /** Tiles the last frame's pass ran on (0: none, or the whole frame). */
    int tiles() {
        return tileCount;
    }

    /** Nanoseconds the last frame's pass spent in the net (denoising the raw frame again). */
    long inferNanos() {
        return inferNanos;
    }

    /** Whether the last frame ran the ensemble near its proven changes. */
    boolean ensembleRan() {
        return ensembleRan;
    }

    FreshRegions regions() {
        return regions;
    }
}
