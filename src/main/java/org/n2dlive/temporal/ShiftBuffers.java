package org.n2dlive.temporal;

/**
 * Frame-sized work buffers for reading two previous-frame arrays at the content's new position: the two shifted
 * arrays and the shift's intermediate. {@link BlendSelector} and {@link QualityReadout} need them one after the other
 * within a frame and keep nothing in them between frames, so one set serves both, and every series' stage beside them
 * (three 16.8 MB arrays at 2048² instead of six per series).
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
