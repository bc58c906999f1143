package org.n2dlive.mm.host;

import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;

/**
 * Test Image, checked like MMStudio's createImage: byte[] for 1 byte/pixel, short[] for 2, byte[] BGRA
 * for RGB32 (4 bytes/pixel, 3 components), float[] only with 4 bytes/pixel and 1 component. Immutable.
 */
public final class SimImage implements Image {
    private final Object pixels;
    private final int width;
    private final int height;
    private final int bytesPerPixel;
    private final int components;
    private final Coords coords;
    private final Metadata metadata;

    public SimImage(Object pixels, int width, int height, int bytesPerPixel, int components, Coords coords, Metadata metadata) {
        int n = width * height;
        boolean ok;
        if (bytesPerPixel == 1 && components == 1) ok = pixels instanceof byte[] && ((byte[]) pixels).length == n;
        else if (bytesPerPixel == 2 && components == 1) ok = pixels instanceof short[] && ((short[]) pixels).length == n;
        else if (bytesPerPixel == 4 && components == 3) ok = pixels instanceof byte[] && ((byte[]) pixels).length == 4 * n;
        else if (bytesPerPixel == 4 && components == 1) ok = pixels instanceof float[] && ((float[]) pixels).length == n;
        else ok = false;
        if (!ok) {
            throw new IllegalArgumentException("pixels " + (pixels == null ? "null" : pixels.getClass().getSimpleName())
                    + " do not fit " + width + "x" + height + " at " + bytesPerPixel + " bytes/pixel, " + components + " components");
        }
        if (coords == null || metadata == null) throw new IllegalArgumentException("coords and metadata are required");
        this.pixels = pixels;
        this.width = width;
        this.height = height;
        this.bytesPerPixel = bytesPerPixel;
        this.components = components;
        this.coords = coords;
        this.metadata = metadata;
    }

    public static SimImage gray16(short[] px, int w, int h, Coords c) {
        return new SimImage(px, w, h, 2, 1, c, SimMetadata.fresh());
    }

    public static SimImage gray8(byte[] px, int w, int h, Coords c) {
        return new SimImage(px, w, h, 1, 1, c, SimMetadata.fresh());
    }

    @Override
    public Image copyAtCoords(Coords c) {
        return new SimImage(pixels, width, height, bytesPerPixel, components, c, metadata);
    }

    @Override
    public Image copyWithMetadata(Metadata m) {
        return new SimImage(pixels, width, height, bytesPerPixel, components, coords, m);
    }

    @Override
    public Image copyWith(Coords c, Metadata m) {
        return new SimImage(pixels, width, height, bytesPerPixel, components, c, m);
    }

    @Override
    public Metadata getMetadata() {
        return metadata;
    }

    @Override
    public Coords getCoords() {
        return coords;
    }

    @Override
    public int getWidth() {
        return width;
    }

    @Override
    public int getHeight() {
        return height;
    }

    @Override
    public int getBytesPerPixel() {
        return bytesPerPixel;
    }

    @Override
    public int getNumComponents() {
        return components;
    }

    @Override
    public Object getRawPixels() {
        return pixels;
    }

    @Override
    public Object getRawPixelsCopy() {
        if (pixels instanceof byte[]) return ((byte[]) pixels).clone();
        if (pixels instanceof short[]) return ((short[]) pixels).clone();
        return ((float[]) pixels).clone();
    }

    /** Pixel i as an unsigned value (gray images). */
    public int value(int i) {
        if (pixels instanceof byte[]) return ((byte[]) pixels)[i] & 0xFF;
        if (pixels instanceof short[]) return ((short[]) pixels)[i] & 0xFFFF;
        return (int) ((float[]) pixels)[i];
    }
}
