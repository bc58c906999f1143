package org.n2dlive.engine;

/**
 * Splits a frame into horizontal bands, one per inference thread, each read with a halo of context rows so that
 * its own rows come out exactly as in a whole-frame pass (the net is local: see {@link Pipeline#haloRows()}).
 *
 * <p>Why bands: on a small CPU, two single-threaded passes over two halves ran a 512² forward pass in 69 ms
 * where one pass with two intra-op threads took 84 ms (ONNX Runtime, 2 cores); the halo costs a few percent.
 *
 * <p>Immutable; safe from any thread.
 */
public final class RowBands {
    /** A band needs at least this many own rows per halo row, or the halo would cost more than it saves. */
    private static final int MIN_ROWS_PER_HALO = 4;
    private static final int MIN_ROWS = 16;

    private final int height;
    private final int[] coreStart;
    private final int[] coreRows;
    private final int[] inStart;
    private final int[] inRows;

    private RowBands(int height, int[] coreStart, int[] coreRows, int[] inStart, int[] inRows) {
        this.height = height;
        this.coreStart = coreStart;
        this.coreRows = coreRows;
        this.inStart = inStart;
        this.inRows = inRows;
    }

    /**
     * At most {@code maxBands} bands over {@code height} rows for {@code pipeline}: as many as keep each band's own
     * rows at least 4 halos (and 16 rows) high. Band starts are multiples of 4 when the pipeline pixel-shuffles.
     */
    public static RowBands of(int height, Pipeline pipeline, int maxBands) {
        if (height <= 0) throw new IllegalArgumentException("height must be positive, got " + height);
        if (pipeline == null) throw new IllegalArgumentException("pipeline must not be null");
        if (maxBands <= 0) throw new IllegalArgumentException("maxBands must be positive, got " + maxBands);
        int halo = pipeline.haloRows();
        int align = pipeline.shuffles() ? 4 : 1;
        if (height % align != 0) {
            throw new IllegalArgumentException("height must be a multiple of " + align + " for " + pipeline + ", got " + height);
        }
        int minRows = Math.max(MIN_ROWS, MIN_ROWS_PER_HALO * halo);
        int bands = Math.max(1, Math.min(maxBands, height / minRows));
        int units = height / align;
        int[] cs = new int[bands], cr = new int[bands], is = new int[bands], ir = new int[bands];
        for (int b = 0; b < bands; b++) {
            int start = (int) ((long) units * b / bands) * align;
            int end = (int) ((long) units * (b + 1) / bands) * align;
            cs[b] = start;
            cr[b] = end - start;
            is[b] = Math.max(0, start - halo);
            ir[b] = Math.min(height, end + halo) - is[b];
        }
        return new RowBands(height, cs, cr, is, ir);
    }

    /**
     * Bands for {@code threads} threads over a {@code width} × {@code height} frame: a multiple of {@code threads}
     * (each thread takes every threads-th band), each band at most ~{@link #BAND_PIXELS} pixels unless the halo would
     * then cost more than a tenth of its rows. Why a bound: a band's activations scale with its size (48 channels ×
     * 4 bytes a pixel per layer), and whole-frame halves of a 2048² frame held GBs and ran 1–10× the arithmetic
     * floor from one frame to the next (docs/cost-curve.md).
     */
    public static RowBands forThreads(int width, int height, Pipeline pipeline, int threads) {
        if (width <= 0) throw new IllegalArgumentException("width must be positive, got " + width);
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        int rows = Math.max(MIN_BAND_ROWS_PER_HALO * pipeline.haloRows(), BAND_PIXELS / width);
        int bands = Math.max(1, (height + rows - 1) / rows);
        bands = (bands + threads - 1) / threads * threads;
        return of(height, pipeline, bands);
    }

    /** Pixels a band holds at most, where its halo allows: a 512² frame's, where the forward rate was measured. */
    static final int BAND_PIXELS = 1 << 18;
    /**
     * A band's own rows per halo row at least when bands are cut by size: its two halos then cost a tenth of its rows
     * (an eighth at most, once the band count is rounded up to a multiple of the threads).
     */
    private static final int MIN_BAND_ROWS_PER_HALO = 20;

    public int count() {
        return coreStart.length;
    }

    public int height() {
        return height;
    }

    /** First row of the frame that band {@code b} outputs. */
    public int coreStart(int b) {
        return coreStart[b];
    }

    /** Rows band {@code b} outputs. */
    public int coreRows(int b) {
        return coreRows[b];
    }

    /** First row band {@code b} reads (its own rows minus the halo, clipped to the frame). */
    public int inStart(int b) {
        return inStart[b];
    }

    /** Rows band {@code b} reads. */
    public int inRows(int b) {
        return inRows[b];
    }

    /** Largest {@link #inRows} over the bands: the buffer size a band needs. */
    public int maxInRows() {
        int m = 0;
        for (int r : inRows) m = Math.max(m, r);
        return m;
    }
}
