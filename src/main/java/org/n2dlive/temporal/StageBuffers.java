package org.n2dlive.temporal;

import java.util.EnumMap;

/**
 * The temporal stage's frame-sized work buffers: what its parts need during one frame and keep nothing in between
 * frames (a series' own state, its history and previous frames, lives in the parts' {@code State}s). One set serves
 * every stage on one worker thread, whichever series each frame belongs to: at 2048² a stage's work is ~20 arrays
 * of 16.8 MB, its series' state ~6, so eight series in view hold one set of work, not eight.
 *
 * <p>Buffers whose uses never overlap within a frame are one buffer under two names (see {@link Floats}). A part
 * takes its buffers at the start of its pass ({@link #floats} after {@link #size}), never caches them across frames:
 * another stage may have grown the set for a larger geometry in between. The buffers only grow, so series of two
 * sizes taking turns do not reallocate them every frame: a buffer holds at least the frame's pixels, and its users
 * index it by the frame, never by its length.
 *
 * <p>Threading: the stream's worker, one user at a time.
 */
public final class StageBuffers {
    /** The float buffers. Each is written and read within one frame; the comments give the aliases' lifetimes. */
    public enum Floats {
        /** The frame in floats ({@link TemporalFilter#rawFrame}): from the filter to the readout. */
        RAW,
        /** The aligned history and its precision, the agreement, the proven changes: from the filter to the fresh pass. */
        ALIGNED, ALIGNED_PRECISION, TRUST, PROVEN,
        /** The filter's scratch, free after {@link TemporalFilter#process}: then the fresh pass's. */
        WEIGHT, DIFF, LEVEL_VARIANCE, BOX, BOX5,
        /** The stage's fused frame, the denoiser's output on it, the blended output. */
        FUSED, DENOISED, OUTPUT,
        /** Where the raw frame's own denoising goes in, from the fresh regions to the fresh pass's mix. */
        FRESH_SHARE,
        /**
         * Shift scratch: the filter's while it fuses, the fresh regions' while they spread, and the previous frame's
         * arrays read at the content's new position for the blend and the readout.
         */
        SHIFT_FIRST, SHIFT_SECOND, SHIFT_INTERMEDIATE;

        /** Within reach of a proven change: the filter's {@link #BOX5}. */
        static final Floats FRESH_NEAR = BOX5;
        /** The raw frame through the fresh pass's pipeline, and through stage 1: the filter's {@link #WEIGHT}, {@link #DIFF}. */
        public static final Floats FRESH_DENOISED = WEIGHT;
        public static final Floats FRESH_DENOISED_STAGE1 = DIFF;
    }

    private final EnumMap<Floats, float[]> floats = new EnumMap<>(Floats.class);
    private int capacity = -1;
    private int[] order; // the fresh regions' flood fill
    private boolean[] seen;
    private byte[] kinds;

    /** Makes every buffer hold at least {@code pixels} pixels (kept when they already do). */
    public void size(int pixels) {
        if (pixels <= capacity) return;
        for (Floats f : Floats.values()) floats.put(f, new float[pixels]);
        order = new int[pixels];
        seen = new boolean[pixels];
        kinds = new byte[pixels];
        capacity = pixels;
    }

    /** A float buffer, at least as long as the largest size asked for. */
    public float[] floats(Floats which) {
        if (capacity < 0) throw new IllegalStateException("no size asked for yet");
        return floats.get(which);
    }

    int[] order() {
        return order;
    }

    boolean[] seen() {
        return seen;
    }

    byte[] kinds() {
        return kinds;
    }
}
