package org.n2dlive.frame;

import java.util.Arrays;
import java.util.Locale;

/**
 * The stated mapping between camera values and the [0,1] range the network works in:
 * {@code unit = (raw - offset) / scale}, and back {@code raw = unit * scale + offset}.
 *
 * <p>Fix one Normalization for a whole stream (e.g. {@link #fromFrame} on its first frame):
 * re-estimating it per frame would make the baseline jump between frames. Immutable, thread-safe.
 */
public final class Normalization {
    /**
     * The headroom of "auto": the first frame's range is stretched by 1.25, so its brightest pixel lands at 0.8
     * and later frames up to 25 % brighter do not clip; {@link RangeGuard} widens the mapping for brighter ones.
     */
    public static final double AUTO_HEADROOM = 1.25;

    private final double offset;
    private final double scale;

    public Normalization(double offset, double scale) {
        if (!Double.isFinite(offset) || !Double.isFinite(scale) || scale <= 0) {
            throw new IllegalArgumentException("normalization needs a finite offset and a positive scale, got offset="
                    + offset + " scale=" + scale);
        }
        this.offset = offset;
        this.scale = scale;
    }

    /** The type's full range: 8-bit /255, 16-bit /65535, float as is. The reference's convention for 8-bit. */
    public static Normalization fullRange(PixelType type) {
        return new Normalization(0, type.fullScale());
    }

    /**
     * Estimated from one frame: offset at the 0.1th percentile (the camera's dark level), scale so that the
     * brightest pixel lands at 1/headroom (headroom ≥ 1 keeps brighter later frames from clipping).
     * 8-bit frames keep the full range, the convention of the reference figures.
     */
    public static Normalization fromFrame(Frame f, double headroom) {
        if (f.type() == PixelType.GRAY8) {
            return fullRange(PixelType.GRAY8);
        }
        int n = f.pixelCount();
        int rank = (int) Math.floor(0.001 * (n - 1));
        double lo, hi;
        if (f.type() == PixelType.GRAY16) {
            // Counted, not sorted: the same order statistics in one pass (at 2048² sorting took 0.23-0.28 s on the
            // worker when a series starts or changes size, counting takes 1-7 ms, and no 32 MB array).
            short[] px = f.shorts();
            int[] counts = new int[1 << 16];
            for (int i = 0; i < n; i++) counts[px[i] & 0xFFFF]++;
            int value = 0;
            for (int seen = counts[0]; seen <= rank; seen += counts[++value]) {
                // walks up to the bin holding the pixel of that rank
            }
            lo = value;
            int top = counts.length - 1;
            while (counts[top] == 0) top--;
            hi = top;
        } else {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = f.get(i);
            }
            Arrays.sort(v);
            lo = v[rank];
            hi = v[n - 1];
        }
        double span = (hi - lo) * Math.max(1.0, headroom);
        if (!(span > 0)) {
            span = f.type() == PixelType.FLOAT32 ? 1.0 : f.type().fullScale() - lo;
            if (!(span > 0)) span = 1.0;
        }
        return new Normalization(lo, span);
    }

    /**
     * A normalization as users write it in profiles and on the command line: {@code auto} (estimated from the
     * first frame with {@link #AUTO_HEADROOM}), {@code full-range} (the pixel type's range) or
     * {@code OFFSET,SCALE} (stated). The one parser of that text. Immutable, thread-safe.
     */
    public static final class Rule {
        public static final Rule AUTO = new Rule("auto", null);
        public static final Rule FULL_RANGE = new Rule("full-range", null);

        private final String text;
        private final Normalization stated;

        private Rule(String text, Normalization stated) {
            this.text = text;
            this.stated = stated;
        }

        /**
         * @throws IllegalArgumentException "normalization must be auto, full-range or OFFSET,SCALE (finite offset,
         *                                  scale > 0), got '…'"
         */
        public static Rule parse(String spec) {
            String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
            if (s.equals(AUTO.text)) return AUTO;
            if (s.equals(FULL_RANGE.text)) return FULL_RANGE;
            String[] p = s.split(",", -1);
            if (p.length == 2) {
                try {
                    String off = p[0].trim();
                    String scale = p[1].trim();
                    return new Rule(off + "," + scale, new Normalization(Double.parseDouble(off), Double.parseDouble(scale)));
                } catch (IllegalArgumentException e) { // NumberFormatException included; falls through to the message
                }
            }
            throw new IllegalArgumentException("normalization must be auto, full-range or OFFSET,SCALE (finite offset, "
                    + "scale > 0), got '" + spec + "'");
        }

        /** The stated mapping, or null for auto and full-range (which depend on the first frame). */
        public Normalization stated() {
            return stated;
        }

        /** The mapping for a stream or stack whose first frame is {@code first}. */
        public Normalization resolve(Frame first) {
            if (stated != null) return stated;
            return this == FULL_RANGE ? fullRange(first.type()) : fromFrame(first, AUTO_HEADROOM);
        }

        /** The canonical text: "auto", "full-range" or "OFFSET,SCALE" as written, trimmed. */
        @Override
        public String toString() {
            return text;
        }
    }

    public double offset() {
        return offset;
    }

    public double scale() {
        return scale;
    }

    /** Writes the frame's pixels in unit range into dst (length ≥ pixel count); no clamping. */
    public void toUnit(Frame f, float[] dst) {
        int n = f.pixelCount();
        float off = (float) offset;
        float inv = (float) (1.0 / scale);
        switch (f.type()) {
            case GRAY8: {
                byte[] p = f.bytes();
                for (int i = 0; i < n; i++) dst[i] = ((p[i] & 0xFF) - off) * inv;
                break;
            }
            case GRAY16: {
                short[] p = f.shorts();
                for (int i = 0; i < n; i++) dst[i] = ((p[i] & 0xFFFF) - off) * inv;
                break;
            }
            default: {
                float[] p = f.floats();
                for (int i = 0; i < n; i++) dst[i] = (p[i] - off) * inv;
            }
        }
    }

    /** Pixel {@code i} of f in unit range: the float {@link #toUnit(Frame, float[])} writes for it. */
    public float toUnit(Frame f, int i) {
        return ((float) f.get(i) - (float) offset) * (float) (1.0 / scale);
    }

    /** Writes {@code n} raw values in unit range into dst, as {@link #toUnit(Frame, float[])} does a frame's. */
    public void toUnit(float[] raw, int n, float[] dst) {
        float off = (float) offset;
        float inv = (float) (1.0 / scale);
        for (int i = 0; i < n; i++) dst[i] = (raw[i] - off) * inv;
    }

    /**
     * Writes unit-range values back into dst's pixel type: integer types are rounded and clamped to
     * their range; float output is the raw-unit value (no clamping beyond what the caller did).
     */
    public void fromUnit(float[] src, Frame dst) {
        int n = dst.pixelCount();
        double s = scale;
        double off = offset;
        switch (dst.type()) {
            case GRAY8: {
                byte[] p = dst.bytes();
                for (int i = 0; i < n; i++) {
                    long v = Math.round(src[i] * s + off);
                    p[i] = (byte) (v < 0 ? 0 : (v > 255 ? 255 : v));
                }
                break;
            }
            case GRAY16: {
                short[] p = dst.shorts();
                for (int i = 0; i < n; i++) {
                    long v = Math.round(src[i] * s + off);
                    p[i] = (short) (v < 0 ? 0 : (v > 65535 ? 65535 : v));
                }
                break;
            }
            default: {
                float[] p = dst.floats();
                for (int i = 0; i < n; i++) p[i] = (float) (src[i] * s + off);
            }
        }
    }

    @Override
    public String toString() {
        return String.format("offset=%s scale=%s", offset, scale);
    }
}
