package org.n2dlive.engine;

/** How much of Noise2Detail runs at inference time. */
public enum Pipeline {
    /** Stage 1 only: clamp(y − f(y), 0, 1). One forward pass. */
    STAGE1(1),
    /** Stages 1–2: mean of stage 1 and the pixel-shuffle paths s = 2 and 4. Five forward passes of f. */
    ENSEMBLE(2),
    /** Stages 1–3: clamp(g(stage2), 0, 1). Six forward passes. */
    FULL(3);

    private final int stages;

    Pipeline(int stages) {
        this.stages = stages;
    }

    public int stages() {
        return stages;
    }

    public static Pipeline ofStages(int n) {
        for (Pipeline p : values()) if (p.stages == n) return p;
        throw new IllegalArgumentException("stages must be 1, 2 or 3, got " + n);
    }
}
