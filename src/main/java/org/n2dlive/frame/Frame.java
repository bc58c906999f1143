package org.n2dlive.frame;

import java.util.Objects;

/**
 * One 2D, single-channel image: width × height pixels of one {@link PixelType}, row-major.
 *
 * <p>Mutable on purpose: ring slots own a Frame and refill it for every camera frame
 * ({@link #copyFrom(PixelType, int, int, Object)}), so the publishing path does not allocate while
 * the frame size stays the same. Not thread-safe; ownership passes between threads through the ring.
 */
public final class Frame {
    private PixelType type;
    private int width;
    private int height;
    private Object pixels;

    private Frame(PixelType type, int width, int height, Object pixels) {
        this.type = type;
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /** A zeroed frame. */
    public static Frame allocate(PixelType type, int width, int height) {
        checkSize(width, height);
        return new Frame(Objects.requireNonNull(type, "type"), width, height, type.newArray(width * height));
    }

    /**
     * Wraps (does not copy) a pixel array: {@code byte[]} for GRAY8, {@code short[]} for GRAY16,
     * {@code float[]} for FLOAT32.
     */
    public static Frame wrap(PixelType type, int width, int height, Object pixels) {
        checkPixels(type, width, height, pixels);
        return new Frame(type, width, height, pixels);
    }

    public static Frame wrap(int width, int height, byte[] pixels) {
        return wrap(PixelType.GRAY8, width, height, pixels);
    }

    public static Frame wrap(int width, int height, short[] pixels) {
        return wrap(PixelType.GRAY16, width, height, pixels);
    }

    public static Frame wrap(int width, int height, float[] pixels) {
        return wrap(PixelType.FLOAT32, width, height, pixels);
    }

    /**
     * Copies the given pixels into this frame, reusing its buffer when type and size match
     * (the common case on a stream) and reallocating only when they change.
     */
    public Frame copyFrom(PixelType newType, int newWidth, int newHeight, Object src) {
        checkPixels(newType, newWidth, newHeight, src);
        int n = newWidth * newHeight;
        if (newType != type || n != width * height) {
            pixels = newType.newArray(n);
        }
        type = newType;
        width = newWidth;
        height = newHeight;
        System.arraycopy(src, 0, pixels, 0, n);
        return this;
    }

    public Frame copyFrom(Frame other) {
        return copyFrom(other.type, other.width, other.height, other.pixels);
    }

    /** Reshapes this frame's buffer for the given type and size (contents undefined afterwards). */
    public Frame reshape(PixelType newType, int newWidth, int newHeight) {
        checkSize(newWidth, newHeight);
        if (newType != type || newWidth * newHeight != width * height) {
            pixels = newType.newArray(newWidth * newHeight);
        }
        type = newType;
        width = newWidth;
        height = newHeight;
        return this;
    }

    public Frame copy() {
        return allocate(type, width, height).copyFrom(this);
    }

    public PixelType type() {
        return type;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int pixelCount() {
        return width * height;
    }

    /** The backing array (byte[], short[] or float[]); shared, not copied. */
    public Object pixels() {
        return pixels;
    }

    public byte[] bytes() {
        return (byte[]) pixels;
    }

    public short[] shorts() {
        return (short[]) pixels;
    }

    public float[] floats() {
        return (float[]) pixels;
    }

    /** Raw value at index i as a double (unsigned for integer types). */
    public double get(int i) {
        switch (type) {
            case GRAY8: return ((byte[]) pixels)[i] & 0xFF;
            case GRAY16: return ((short[]) pixels)[i] & 0xFFFF;
            default: return ((float[]) pixels)[i];
        }
    }

    public double get(int x, int y) {
        return get(y * width + x);
    }

    /** A 64-bit checksum of type, size and pixel bits (FNV-1a), for loss/order checks. */
    public long checksum() {
        long h = 0xcbf29ce484222325L;
        h = (h ^ type.ordinal()) * 0x100000001b3L;
        h = (h ^ width) * 0x100000001b3L;
        h = (h ^ height) * 0x100000001b3L;
        int n = pixelCount();
        for (int i = 0; i < n; i++) {
            long v = type == PixelType.FLOAT32 ? Float.floatToIntBits(((float[]) pixels)[i]) : (long) get(i);
            h = (h ^ v) * 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String toString() {
        return "Frame[" + type + " " + width + "x" + height + "]";
    }

    private static void checkSize(int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + w + "x" + h);
        }
        if ((long) w * h > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("frame too large: " + w + "x" + h);
        }
    }

    /**
     * The rule for a pixel array of a {@code w × h} frame: a positive size, the array type the pixel type needs
     * ({@code byte[]}, {@code short[]}, {@code float[]}) and at least {@code w·h} values.
     *
     * @throws IllegalArgumentException saying which of these fails (NullPointerException for null arguments)
     */
    public static void checkPixels(PixelType type, int w, int h, Object px) {
        checkSize(w, h);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(px, "pixels");
        int n = w * h;
        int len;
        switch (type) {
            case GRAY8:
                if (!(px instanceof byte[])) throw new IllegalArgumentException("GRAY8 needs byte[], got " + px.getClass().getSimpleName());
                len = ((byte[]) px).length;
                break;
            case GRAY16:
                if (!(px instanceof short[])) throw new IllegalArgumentException("GRAY16 needs short[], got " + px.getClass().getSimpleName());
                len = ((short[]) px).length;
                break;
            default:
                if (!(px instanceof float[])) throw new IllegalArgumentException("FLOAT32 needs float[], got " + px.getClass().getSimpleName());
                len = ((float[]) px).length;
        }
        if (len < n) {
            throw new IllegalArgumentException("pixel array holds " + len + " values, " + w + "x" + h + " needs " + n);
        }
    }
}
