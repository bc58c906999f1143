package org.n2dlive.temporal;

/**
 * Three frame-sized work buffers that the temporal stage's parts use one after the other within a frame and keep
 * nothing in between: {@link TemporalFilter}'s scratch while it fuses, {@link FreshRegions}' while it spreads, and for
 * {@link BlendSelector} and {@link QualityReadout} the previous frame's arrays read at the content's new position (two
 * shifted arrays and the shift's intermediate). One set serves them all, and every series' stage beside them: at 2048²
 * three 16.8 MB arrays instead of nine per series.
 *
 * <p>Threading: the stream's worker, one user at a time.
 */
public final class ShiftBuffers {
    private float[] first = new float[0];
    private float[] second = new float[0];
    private float[] intermediate = new float[0];

    /** Sized for frames of {@code pixels} pixels (kept when they already are). */
    void size(int pixels) {
        if (first.length == pixels) return;
        first = new float[pixels];
        second = new float[pixels];
        intermediate = new float[pixels];
    }

    float[] first() {
        return first;
    }

    float[] second() {
        return second;
    }

    float[] intermediate() {
        return intermediate;
    }
}
