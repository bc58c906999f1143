package org.n2dlive.frame;

/** Pixel types the engine accepts: one channel, camera-style. */
public enum PixelType {
    /** 8-bit unsigned, stored in {@code byte[]}. */
    GRAY8(1, 255.0),
    /** 16-bit unsigned, stored in {@code short[]} (read with {@code & 0xFFFF}). */
    GRAY16(2, 65535.0),
    /** 32-bit float, stored in {@code float[]}. */
    FLOAT32(4, 1.0);

    private final int bytesPerPixel;
    private final double fullScale;

    PixelType(int bytesPerPixel, double fullScale) {
        this.bytesPerPixel = bytesPerPixel;
        this.fullScale = fullScale;
    }

    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** The largest value of the type (1.0 for float, by convention). */
    public double fullScale() {
        return fullScale;
    }

    public boolean isInteger() {
        return this != FLOAT32;
    }

    /** A new zeroed pixel array of this type. */
    public Object newArray(int n) {
        switch (this) {
            case GRAY8: return new byte[n];
            case GRAY16: return new short[n];
            default: return new float[n];
        }
    }
}
