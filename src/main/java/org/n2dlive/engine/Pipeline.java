package org.n2dlive.engine;

/** How much of Noise2Detail runs at inference time. */
public enum Pipeline {
    /** Stage 1 only: clamp(y − f(y), 0, 1). One forward pass. */
    STAGE1(1, 2),
    /** Stages 1–2: mean of stage 1 and the pixel-shuffle paths s = 2 and 4. Five forward passes of f. */
    ENSEMBLE(2, 12),
    /** Stages 1–3: clamp(g(stage2), 0, 1). Six forward passes. */
    FULL(3, 12);

    private final int stages;
    private final int haloRows;

    // Halo: the net sees ±2 pixels (two 3×3 convolutions). The s = 4 path sees ±2 sub-image pixels = ±8 rows,
    // then ±2 more at full size: ±10, rounded up to 12 so that a band starts on a multiple of 4 and its
    // sub-images keep the frame's phase; stage 3 adds ±2, still within 12.
    Pipeline(int stages, int haloRows) {
        this.stages = stages;
        this.haloRows = haloRows;
    }

    /**
     * Rows of context beyond its own rows that a horizontal band of the frame needs for its output to equal the
     * whole-frame result exactly; a multiple of 4 when the pipeline pixel-shuffles.
     */
    public int haloRows() {
        return haloRows;
    }

    /** Whether band boundaries must fall on multiples of 4 rows (the pixel-shuffle paths). */
    public boolean shuffles() {
        return stages >= 2;
    }

    public int stages() {
        return stages;
    }
}
