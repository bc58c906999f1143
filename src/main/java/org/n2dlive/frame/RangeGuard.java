package org.n2dlive.frame;

/**
 * Keeps a stream's normalization wide enough that nothing clips: when a frame's brightest pixel climbs past
 * {@link #WIDEN_ABOVE} of the unit range (a flash, a cell moving in, a longer exposure), the mapping is widened
 * (same offset, scale × k) before that frame is denoised, and the model is carried across by rescaling rather
 * than re-fitted (see {@code TorchNet.rescaleInput}). Integer frames never widen past their type's range; above
 * that the camera itself saturated, and saturated input may clip.
 *
 * <p>It also counts output pixels that still clip (the net's output is clamped to [0, 1]) where the input was not
 * saturated. Threading: owned by the one worker thread; no allocation per frame.
 */
public final class RangeGuard {
    /** Widen when the frame's maximum exceeds this fraction of the unit range. */
    public static final double WIDEN_ABOVE = 0.9;

    private long clippedPixels;
    private int widenings;

    /**
     * The normalization to use for frame f: current, or a wider one (scale so that f's maximum lands at
     * 1 / {@link Normalization#AUTO_HEADROOM}) when f would come close to clipping. Returns current itself when no
     * change is needed.
     */
    public Normalization check(Normalization current, Frame f) {
        return check(current, max(f), f.type());
    }

    /** As {@link #check(Normalization, Frame)} for {@code n} raw values of a frame of this type (a fused frame). */
    public Normalization check(Normalization current, float[] values, int n, PixelType type) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) if (values[i] > m) m = values[i];
        return check(current, m, type);
    }

    private Normalization check(Normalization current, double max, PixelType type) {
        double unitMax = (max - current.offset()) / current.scale();
        if (!(unitMax > WIDEN_ABOVE)) return current;
        double scale = (max - current.offset()) * Normalization.AUTO_HEADROOM;
        if (type != PixelType.FLOAT32) {
            scale = Math.min(scale, type.fullScale() - current.offset());
        }
        if (!(scale > current.scale())) return current;
        widenings++;
        return new Normalization(current.offset(), scale);
    }

    /**
     * Counts output pixels at the clamp's top (unit ≥ 1) whose input pixel was below the type's saturation value.
     * {@code unitOut} is the denoised frame in unit range, as the pipeline produced it (clamped to [0, 1]).
     */
    public int countClipped(Frame raw, float[] unitOut) {
        int n = raw.pixelCount();
        double saturated = raw.type() == PixelType.FLOAT32 ? Double.POSITIVE_INFINITY : raw.type().fullScale();
        int clipped = 0;
        for (int i = 0; i < n; i++) {
            if (unitOut[i] >= 1f && raw.get(i) < saturated) clipped++;
        }
        clippedPixels += clipped;
        return clipped;
    }

    /** Output pixels clipped so far (see {@link #countClipped}). */
    public long clippedPixels() {
        return clippedPixels;
    }

    /** How often the mapping was widened. */
    public int widenings() {
        return widenings;
    }

    private static double max(Frame f) {
        int n = f.pixelCount();
        switch (f.type()) {
            case GRAY8: {
                byte[] p = f.bytes();
                int m = 0;
                for (int i = 0; i < n; i++) m = Math.max(m, p[i] & 0xFF);
                return m;
            }
            case GRAY16: {
                short[] p = f.shorts();
                int m = 0;
                for (int i = 0; i < n; i++) m = Math.max(m, p[i] & 0xFFFF);
                return m;
            }
            default: {
                float[] p = f.floats();
                float m = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) if (p[i] > m) m = p[i];
                return m;
            }
        }
    }
}
