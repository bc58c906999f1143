package org.n2dlive.engine;

import java.util.Arrays;

/**
 * Runs a pipeline on a few square tiles of a frame instead of the whole frame, each tile's core coming out exactly
 * as in a whole-frame pass. A tile reads the pipeline's halo of context around its core
 * ({@link Pipeline#haloRows()}), from an origin on a multiple of 4, so the pixel-shuffle paths keep the frame's phase.
 *
 * <p>Why: where something moved, the fresh-pixel pass wants the raw frame's own ensemble denoising, and moving
 * objects cover a few percent of a frame. The whole-frame ensemble is five forward passes, which at 256² cost more
 * than the 20 % of a frame's worker time that the temporal stage may take.
 *
 * <p>The tiles are stacked into one column, the mosaic, a tile wide, up to {@value #MAX_PER_CALL} tiles
 * per call. A backend then sees a handful of geometries, so its buffers are reused, and cuts each call into row
 * bands across its threads. Convolutions zero-pad at the frame's edges, and the mosaic reproduces that only at its
 * own sides, top and bottom. So a tile whose valid rows reach the frame's top goes first in its call, and one that
 * reaches the bottom goes last.
 *
 * <p>Threading: one thread (the worker's). Its buffers are made once; nothing is allocated per frame once the tile
 * list has reached its largest size.
 */
public final class TileMosaic {
    /**
     * Tile side, px: a 40 px core inside the ensemble's 12 px halo (64), a 28 px core inside stage 1's 2 px (32). A
     * drift's newly exposed edge, 1 px wide along the frame, is what stage-1 tiles mostly cover; 64 px tiles cost
     * that 4 times as much.
     */
    static int side(Pipeline p) {
        return p.shuffles() ? 64 : 32;
    }

    static final int MAX_PER_CALL = 16;

    private final Pipeline pipeline;
    private final int tile;
    private final int halo;
    private final int core;
    private int width;
    private int height;
    private int[] tileX = new int[MAX_PER_CALL];
    private int[] tileY = new int[MAX_PER_CALL];
    private int count;
    private int[] callOrder = new int[MAX_PER_CALL];
    private boolean[] taken = new boolean[MAX_PER_CALL];
    private final float[] in;
    private final float[][] out;

    public TileMosaic(Pipeline pipeline) {
        if (pipeline == null) throw new IllegalArgumentException("pipeline must not be null");
        this.pipeline = pipeline;
        this.tile = side(pipeline);
        this.halo = pipeline.haloRows();
        this.core = tile - 2 * halo;
        this.in = new float[tile * tile * MAX_PER_CALL];
        this.out = new float[pipeline.stages()][];
        out[pipeline.stages() - 1] = new float[tile * tile * MAX_PER_CALL];
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Whether a frame of this (padded) size can be tiled at all: both sides at least a tile. */
    public boolean fits(int width, int height) {
        return width >= tile && height >= tile;
    }

    /** Drops all tiles and sets the frame geometry (multiples of 4, each side at least a tile). */
    public void reset(int width, int height) {
        if (!fits(width, height) || width % 4 != 0 || height % 4 != 0) {
            throw new IllegalArgumentException("tiles need a frame whose sides are multiples of 4 and at least " + tile
                    + " px, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        count = 0;
    }

    /** Side of a tile's core: the part that comes out exact wherever the tile lies. */
    public int core() {
        return core;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Adds tiles whose valid parts cover the pixels [x0, x1) × [y0, y1) of the frame. */
    public void cover(int x0, int y0, int x1, int y1) {
        if (width == 0) throw new IllegalStateException("reset(width, height) first");
        if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || x0 >= x1 || y0 >= y1) {
            throw new IllegalArgumentException("region [" + x0 + ", " + x1 + ") x [" + y0 + ", " + y1 + ") is empty or not inside "
                    + width + "x" + height);
        }
        for (int cy = y0 & ~3; cy < y1; cy += core) {
            for (int cx = x0 & ~3; cx < x1; cx += core) {
                add(clamp(cx - halo, width), clamp(cy - halo, height));
            }
        }
    }

    private int clamp(int origin, int size) {
        return Math.max(0, Math.min(origin, size - tile));
    }

    private void add(int x, int y) {
        for (int t = 0; t < count; t++) if (tileX[t] == x && tileY[t] == y) return;
        if (count == tileX.length) {
            tileX = Arrays.copyOf(tileX, 2 * count);
            tileY = Arrays.copyOf(tileY, 2 * count);
            callOrder = Arrays.copyOf(callOrder, 2 * count);
            taken = Arrays.copyOf(taken, 2 * count);
        }
        tileX[count] = x;
        tileY[count] = y;
        count++;
    }

    /** Tiles added since the last {@link #reset}. */
    public int count() {
        return count;
    }

    /** Pixels the tiles make the backend process: what the pass costs, against the frame's width × height. */
    public long pixels() {
        return (long) count * tile * tile;
    }

    /**
     * Runs the pipeline's last stage on every tile of {@code frame} (unit range, {@code width × height}) and writes
     * the tiles' valid parts into {@code result} (same geometry); the rest of {@code result} is left as it is.
     */
    public void run(InferenceBackend backend, float[] frame, float[] result) {
        if (width == 0) throw new IllegalStateException("reset(width, height) first");
        int n = width * height;
        if (frame.length < n || result.length < n) {
            throw new IllegalArgumentException("frame and result need " + width + "x" + height + " values");
        }
        // a tile whose valid rows reach the frame's top leads a call, one that reaches its bottom ends one; a tile
        // that reaches both (a frame tile rows high) runs alone
        Arrays.fill(taken, 0, count, false);
        int left = count;
        while (left > 0) {
            int k = 0;
            int top = untaken(KIND_TOP);
            if (top >= 0) {
                taken[top] = true;
                callOrder[k++] = top;
            }
            if (top < 0 || tileY[top] + tile != height) {
                int bottom = untaken(KIND_BOTTOM);
                if (bottom >= 0) taken[bottom] = true;
                int cap = MAX_PER_CALL - (bottom >= 0 ? 1 : 0);
                for (int m; k < cap && (m = untaken(KIND_MIDDLE)) >= 0; ) {
                    taken[m] = true;
                    callOrder[k++] = m;
                }
                if (bottom >= 0) callOrder[k++] = bottom;
            }
            runCall(backend, frame, result, k);
            left -= k;
        }
    }

    private static final int KIND_TOP = 0, KIND_BOTTOM = 1, KIND_MIDDLE = 2;

    /** The first tile not yet run of this kind (top: reaches the frame's top; bottom: its bottom only), or −1. */
    private int untaken(int kind) {
        for (int t = 0; t < count; t++) {
            if (taken[t]) continue;
            boolean top = tileY[t] == 0, bottom = tileY[t] + tile == height;
            int k = top ? KIND_TOP : (bottom ? KIND_BOTTOM : KIND_MIDDLE);
            if (k == kind) return t;
        }
        return -1;
    }

    private void runCall(InferenceBackend backend, float[] frame, float[] result, int k) {
        for (int j = 0; j < k; j++) {
            int t = callOrder[j];
            for (int r = 0; r < tile; r++) {
                System.arraycopy(frame, (tileY[t] + r) * width + tileX[t], in, (j * tile + r) * tile, tile);
            }
        }
        backend.infer(in, tile, k * tile, pipeline, out);
        float[] o = out[out.length - 1];
        for (int j = 0; j < k; j++) {
            int t = callOrder[j];
            int tx = tileX[t], ty = tileY[t];
            int xs = tx == 0 ? 0 : halo, xe = tx + tile == width ? tile : tile - halo;
            int ys = ty == 0 ? 0 : halo, ye = ty + tile == height ? tile : tile - halo;
            for (int r = ys; r < ye; r++) {
                System.arraycopy(o, (j * tile + r) * tile + xs, result, (ty + r) * width + tx + xs, xe - xs);
            }
        }
    }
}
