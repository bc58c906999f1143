package org.n2dlive.temporal;

/**
 * Where the fused frame is fresh, and so where the raw frame's own denoising should replace the fused frame's: a
 * share per pixel, and the bounding boxes of the regions that carry it.
 *
 * <ul>
 *   <li>The share ramps from 1 at precision q ≤ {@code qLo} (the raw frame alone) to 0 at q ≥ {@code qHi}.</li>
 *   <li>Connected groups (8-neighbours) of fewer than {@code minPixels} pixels are dropped. The gate's false alarms
 *       on a still field (0.3–0.5 % of its pixels) are isolated pixels and small clumps; there the fused frame is
 *       right and denoising the raw frame again only adds noise.</li>
 *   <li>What is kept spreads {@code spread} px (a square), to take in a change's flanks, which change by less than
 *       the noise and keep integrating.</li>
 *   <li>Each kept group's pixels are of two kinds, {@link #PROVEN} (near a change proven this frame) and
 *       {@link #RECOVERING}, with a bounding box per kind: the temporal stage gives the first the ensemble and the
 *       others stage 1.</li>
 * </ul>
 *
 * <p>Buffers per geometry, made when the pixel count grows; nothing is allocated per frame.
 *
 * <p>Threading: one caller thread (the worker's); the per-pixel passes over row bands on a {@link RowPool} (the same
 * result), the grouping on the caller.
 */
public final class FreshRegions {
    /**
     * Fresh pixels within {@link #PROVEN_REACH} px of a change proven this frame: something moved or appeared. The
     * reach is the gate's rim around a proven change (3 px) plus the share's spread (2 px).
     */
    public static final byte PROVEN = 1;
    static final int PROVEN_REACH = 5;
    /**
     * Fresh pixels farther from one: still of low precision after an earlier change (the trail an object left), an
     * edge a drift exposed, or what is left of the gate's false alarms.
     */
    public static final byte RECOVERING = 2;
    private final float qLo;
    private final float qHi;
    private final int minPixels;
    private final int spread;

    private float[] share;
    private final StageBuffers shared;
    // this frame's buffers, taken from the shared set by find (valid until the next frame)
    private float[] scratch; // the spreading's
    private int[] spans = new int[0]; // the share's per-row column ranges (dilateRows), kept for the grouping
    private int[] nearSpans = new int[0]; // the proven changes' per-row column ranges
    private float[] near; // within PROVEN_REACH of a proven change (valid when anyNear)
    private boolean anyNear;
    private int[] order; // flood-fill queue, and each group's members
    private boolean[] seen;
    private int[] boxes = new int[0]; // x0, y0, x1, y1 (exclusive), kind, per box
    private byte[] kind; // per pixel: 0 none, PROVEN or RECOVERING (its group's)
    private int boxCount;
    private int pixels;
    private int dropped;
    private final RowPool pool;
    private final int[] bandCount; // per band of the pool: pixels found, combined on the caller
    private final RowPool.Rows sharePass = this::shareRows;
    private final RowPool.Rows nearRowsPass = this::nearRows;
    private final RowPool.Rows nearColumnsPass = this::nearColumns;
    private final RowPool.Rows dilateRowsPass = this::dilateRowsPass;
    private final RowPool.Rows dilateColumnsPass = this::dilateColumnsPass;
    // what the passes work on this frame
    private float[] q;
    private float[] proven;
    private float[] dilated;
    private int width;
    private int height;
    private int reach;

    public FreshRegions(float qLo, float qHi, int minPixels, int spread) {
        this(qLo, qHi, minPixels, spread, RowPool.SEQUENTIAL, new StageBuffers());
    }

    /**
     * @param pool    runs the per-pixel passes over row bands (not owned)
     * @param shared  the frame's work buffers (see {@link StageBuffers}), shared with the stage's other parts
     */
    public FreshRegions(float qLo, float qHi, int minPixels, int spread, RowPool pool, StageBuffers shared) {
        if (!(qLo >= 0 && qHi > qLo)) throw new IllegalArgumentException("need 0 ≤ qLo < qHi, got " + qLo + ", " + qHi);
        if (minPixels < 1) throw new IllegalArgumentException("minPixels must be at least 1, got " + minPixels);
        if (spread < 0) throw new IllegalArgumentException("spread must not be negative, got " + spread);
        this.qLo = qLo;
        this.qHi = qHi;
        this.minPixels = minPixels;
        this.spread = spread;
        this.pool = pool;
        this.shared = shared;
        this.bandCount = new int[pool.threads()];
    }

    /**
     * Finds the fresh regions of a {@code w × h} frame from its precision after fusing. Returns the number of
     * pixels with a share above 0.
     */
    public int find(float[] q, float[] proven, int w, int h) {
        int n = w * h;
        if (boxes.length < 10 * (n / minPixels + 1)) boxes = new int[10 * (n / minPixels + 1)]; // a kept group: at most two boxes
        if (spans.length < 2 * h) {
            spans = new int[2 * h];
            nearSpans = new int[2 * h];
        }
        shared.size(n);
        share = shared.floats(StageBuffers.Floats.FRESH_SHARE);
        near = shared.floats(StageBuffers.Floats.FRESH_NEAR);
        scratch = shared.floats(StageBuffers.Floats.SHIFT_INTERMEDIATE);
        order = shared.order();
        seen = shared.seen();
        kind = shared.kinds();
        this.q = q;
        this.proven = proven;
        this.width = w;
        this.height = h;
        try {
            boxCount = 0;
            dropped = 0;
            pixels = 0;
            anyNear = false;
            if (count(sharePass) == 0) return 0;
            pixels = dilate(share, spread);
            // a still frame mostly has no proven change: no spreading to do
            anyNear = count(nearRowsPass) > 0;
            if (anyNear) pool.run(width, height, nearColumnsPass);
            // groups of the spread share, so that a change's fragments within 2·spread px of it join it; each is
            // weighed by its own fresh pixels, before spreading. Only the rows' spans can hold any (fresh pixels are
            // mostly few): the same groups, found in the same order, as a scan of every pixel.
            for (int y = 0; y < h; y++) {
                int from = w, to = 0;
                for (int yy = Math.max(0, y - spread), ye = Math.min(h - 1, y + spread); yy <= ye; yy++) {
                    if (spans[2 * yy] < spans[2 * yy + 1]) {
                        from = Math.min(from, spans[2 * yy]);
                        to = Math.max(to, spans[2 * yy + 1]);
                    }
                }
                for (int i = y * w + from, e = y * w + to; i < e; i++) {
                    if (share[i] > 0 && !seen[i]) group(i, w, h);
                }
            }
        } finally {
            this.q = null;
            this.proven = null;
            this.dilated = null;
        }
        return pixels;
    }

    /** Runs a pass over the bands and adds up what each counted. */
    private int count(RowPool.Rows pass) {
        pool.run(width, height, pass);
        int sum = 0;
        for (int b = 0, bands = pool.bands(width, height); b < bands; b++) sum += bandCount[b];
        return sum;
    }

    /** The share per pixel; counts the pixels above 0. */
    private void shareRows(int band, int y0, int y1) {
        float span = qHi - qLo;
        int any = 0;
        for (int i = y0 * width, e = y1 * width; i < e; i++) {
            float m = (qHi - q[i]) / span;
            m = m <= 0 ? 0 : (m >= 1 ? 1 : m);
            share[i] = m;
            seen[i] = false;
            kind[i] = 0;
            if (m > 0) any++;
        }
        bandCount[band] = any;
    }

    /** The proven changes' row maxima over ±{@link #PROVEN_REACH} columns into scratch; counts the rows holding any. */
    private void nearRows(int band, int y0, int y1) {
        dilateRows(proven, scratch, nearSpans, width, PROVEN_REACH, y0, y1);
        int rows = 0;
        for (int y = y0; y < y1; y++) if (nearSpans[2 * y] < nearSpans[2 * y + 1]) rows++;
        bandCount[band] = rows;
    }

    /** near ← the proven changes spread {@link #PROVEN_REACH} px (after every band's {@link #nearRows}). */
    private void nearColumns(int band, int y0, int y1) {
        dilateColumns(near, scratch, nearSpans, width, height, PROVEN_REACH, y0, y1, false);
    }

    /** {@link #dilate(float[], float[], int[], int, int, int)} of {@code a} by {@code r} over the bands. */
    private int dilate(float[] a, int r) {
        dilated = a;
        reach = r;
        pool.run(width, height, dilateRowsPass);
        return count(dilateColumnsPass); // reads the row maxima r rows away: after all of them
    }

    private void dilateRowsPass(int band, int y0, int y1) {
        dilateRows(dilated, scratch, spans, width, reach, y0, y1);
    }

    private void dilateColumnsPass(int band, int y0, int y1) {
        bandCount[band] = dilateColumns(dilated, scratch, spans, width, height, reach, y0, y1, true);
    }

    /** Floods the group of fresh pixels around {@code start}; keeps its boxes, or clears it when too small. */
    private void group(int start, int w, int h) {
        int head = 0, tail = 0;
        order[tail++] = start;
        seen[start] = true;
        int x0 = w, y0 = h, x1 = -1, y1 = -1, own = 0;
        while (head < tail) {
            int p = order[head++];
            if (qHi - q[p] > 0) own++; // fresh before spreading: the share ramp is above 0
            int py = p / w, px = p - py * w;
            x0 = Math.min(x0, px);
            x1 = Math.max(x1, px);
            y0 = Math.min(y0, py);
            y1 = Math.max(y1, py);
            for (int yy = Math.max(0, py - 1), ye = Math.min(h - 1, py + 1); yy <= ye; yy++) {
                for (int xx = Math.max(0, px - 1), xe = Math.min(w - 1, px + 1); xx <= xe; xx++) {
                    int k = yy * w + xx;
                    if (!seen[k] && share[k] > 0) {
                        seen[k] = true;
                        order[tail++] = k;
                    }
                }
            }
        }
        if (own < minPixels) {
            for (int k = 0; k < tail; k++) share[order[k]] = 0;
            dropped += own;
            pixels -= tail;
            return;
        }
        // within reach of a proven change: the change itself; the rest: still recovering
        int px0 = w, py0 = h, px1 = -1, py1 = -1, rx0 = w, ry0 = h, rx1 = -1, ry1 = -1;
        for (int j = 0; j < tail; j++) {
            int p = order[j], y = p / w, x = p - y * w;
            if (anyNear && near[p] > 0) {
                kind[p] = PROVEN;
                px0 = Math.min(px0, x);
                px1 = Math.max(px1, x);
                py0 = Math.min(py0, y);
                py1 = Math.max(py1, y);
            } else {
                kind[p] = RECOVERING;
                rx0 = Math.min(rx0, x);
                rx1 = Math.max(rx1, x);
                ry0 = Math.min(ry0, y);
                ry1 = Math.max(ry1, y);
            }
        }
        if (px1 >= 0) addBox(px0, py0, px1 + 1, py1 + 1, PROVEN);
        if (rx1 >= 0) addBox(rx0, ry0, rx1 + 1, ry1 + 1, RECOVERING);
    }

    private void addBox(int x0, int y0, int x1, int y1, byte k) {
        int b = 5 * boxCount++;
        boxes[b] = x0;
        boxes[b + 1] = y0;
        boxes[b + 2] = x1;
        boxes[b + 3] = y1;
        boxes[b + 4] = k;
    }

    /**
     * In place: each value becomes the largest within ±r px (a square, clipped at the frame's edges, and at least 0);
     * returns how many are then above 0. A maximum does not depend on the order it is taken in, so it is taken one
     * offset at a time over whole rows, and only where a row holds something: between its first and last non-zero
     * value, spread by r (fresh pixels are mostly few and clustered).
     */
    static int dilate(float[] a, float[] scratch, int[] span, int w, int h, int r) {
        dilateRows(a, scratch, span, w, r, 0, h);
        return dilateColumns(a, scratch, span, w, h, r, 0, h, true);
    }

    /** {@link #dilate}'s first half for rows [y0, y1): each row's maxima over ±r columns into scratch, and its span. */
    static void dilateRows(float[] a, float[] scratch, int[] span, int w, int r, int y0, int y1) {
        // span, per row of scratch: the columns [from, to) that may hold a non-zero value (from = to: none)
        for (int y = y0; y < y1; y++) {
            int row = y * w, first = -1, last = -1;
            for (int x = 0; x < w; x++) {
                if (a[row + x] != 0) { // NaN too: it propagates like Math.max does
                    if (first < 0) first = x;
                    last = x;
                }
            }
            if (first < 0) {
                span[2 * y] = span[2 * y + 1] = 0;
                continue;
            }
            int from = Math.max(0, first - r), to = Math.min(w, last + r + 1);
            span[2 * y] = from;
            span[2 * y + 1] = to;
            java.util.Arrays.fill(scratch, row + from, row + to, 0f);
            for (int k = -r; k <= r; k++) {
                // x + k lies in the row's non-zero part for x in [lo, hi)
                int lo = Math.max(from, first - k), hi = Math.min(to, last + 1 - k);
                for (int x = lo, i = row + lo + k; x < hi; x++, i++) scratch[row + x] = Math.max(scratch[row + x], a[i]);
            }
        }
    }

    /**
     * {@link #dilate}'s second half for rows [y0, y1) of {@code a}: the maxima of scratch over ±r rows (all of whose
     * rows the first half has done); returns how many are above 0.
     *
     * @param inPlace {@code a} is what the first half read: its rows hold nothing outside their spans, so only the
     *                spans are cleared (a frame with few non-zero rows costs little). Otherwise every row of
     *                {@code a} in [y0, y1) is overwritten.
     */
    static int dilateColumns(float[] a, float[] scratch, int[] span, int w, int h, int r, int y0, int y1, boolean inPlace) {
        int above = 0;
        for (int y = y0; y < y1; y++) {
            int row = y * w, ya = Math.max(0, y - r), yb = Math.min(h - 1, y + r);
            int from = w, to = 0;
            for (int yy = ya; yy <= yb; yy++) {
                if (span[2 * yy] < span[2 * yy + 1]) {
                    from = Math.min(from, span[2 * yy]);
                    to = Math.max(to, span[2 * yy + 1]);
                }
            }
            if (!inPlace) java.util.Arrays.fill(a, row, row + w, 0f);
            else if (span[2 * y] < span[2 * y + 1]) java.util.Arrays.fill(a, row + span[2 * y], row + span[2 * y + 1], 0f);
            if (from >= to) continue;
            for (int yy = ya; yy <= yb; yy++) {
                int lo = span[2 * yy], hi = span[2 * yy + 1], src = yy * w;
                for (int x = lo; x < hi; x++) a[row + x] = Math.max(a[row + x], scratch[src + x]);
            }
            for (int x = from; x < to; x++) if (a[row + x] > 0) above++;
        }
        return above;
    }

    /** Per pixel, the share of the raw frame's denoising (valid after {@link #find}; the array is reused). */
    public float[] share() {
        return share;
    }

    /** Kept regions found by the last {@link #find}: a kept group gives one box per kind of pixel it holds. */
    public int regions() {
        return boxCount;
    }

    /**
     * Region {@code r}'s bounding box, spread included: x0, y0, x1, y1 (exclusive) in {@code box[0..3]}; returns its
     * kind, {@link #PROVEN} or {@link #RECOVERING}.
     */
    public byte box(int r, int[] box) {
        if (r < 0 || r >= boxCount) throw new IndexOutOfBoundsException("region " + r + " of " + boxCount);
        System.arraycopy(boxes, 5 * r, box, 0, 4);
        return (byte) boxes[5 * r + 4];
    }

    /** Per pixel, the kind of the region it belongs to, 0 for none (valid after {@link #find}; reused). */
    public byte[] kinds() {
        return kind;
    }

    /** Pixels with a share above 0 after the last {@link #find}. */
    public int pixels() {
        return pixels;
    }

    /** Fresh pixels the last {@link #find} dropped as isolated (before spreading). */
    public int droppedPixels() {
        return dropped;
    }
}
