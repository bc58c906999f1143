package org.n2dlive.mm.contract;

import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;

/**
 * Our model of a Micro-Manager image, with the rules ../shared/mm-api/README.md gives: pixels are {@code byte[]}
 * (GRAY8, or RGB32 as BGRA with 4 bytes and 3 components), {@code short[]} (GRAY16) or {@code float[]} only with
 * 4 bytes per pixel, of exactly width × height pixels; coordinates and metadata must be the model's own (Micro-Manager
 * casts them to its classes). Copies share the pixel array. Immutable.
 */
public final class ModelImage implements Image {
    private final Object pixels;
    private final int width;
    private final int height;
    private final int bytesPerPixel;
    private final int components;
    private final ModelCoords coords;
    private final ModelMetadata metadata;

    public ModelImage(Object pixels, int width, int height, int bytesPerPixel, int components, Coords coords,
                      Metadata metadata) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size " + width + "x" + height);
        int n = width * height;
        boolean ok;
        if (pixels instanceof byte[]) {
            ok = (bytesPerPixel == 1 && components == 1 && ((byte[]) pixels).length == n)
                    || (bytesPerPixel == 4 && components == 3 && ((byte[]) pixels).length == 4 * n);
        } else if (pixels instanceof short[]) {
            ok = bytesPerPixel == 2 && components == 1 && ((short[]) pixels).length == n;
        } else if (pixels instanceof float[]) {
            ok = bytesPerPixel == 4 && components == 1 && ((float[]) pixels).length == n;
        } else {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException("pixels " + (pixels == null ? "null" : pixels.getClass().getSimpleName())
                    + " do not fit " + width + "x" + height + ", " + bytesPerPixel + " byte(s)/pixel, " + components
                    + " component(s)");
        }
        if (!(metadata instanceof ModelMetadata)) {
            throw new ClassCastException("metadata must come from Micro-Manager's builders, got " + metadata);
        }
        this.pixels = pixels;
        this.width = width;
        this.height = height;
        this.bytesPerPixel = bytesPerPixel;
        this.components = components;
        this.coords = ModelCoords.of(coords);
        this.metadata = (ModelMetadata) metadata;
    }

    @Override
    public ModelImage copyAtCoords(Coords c) {
        return new ModelImage(pixels, width, height, bytesPerPixel, components, c, metadata);
    }

    @Override
    public ModelImage copyWithMetadata(Metadata m) {
        return new ModelImage(pixels, width, height, bytesPerPixel, components, coords, m);
    }

    @Override
    public ModelImage copyWith(Coords c, Metadata m) {
        return new ModelImage(pixels, width, height, bytesPerPixel, components, c, m);
    }

    @Override
    public ModelMetadata getMetadata() {
        return metadata;
    }

    @Override
    public ModelCoords getCoords() {
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

    /** Same width, height, bytes per pixel and components: what one dataset's images must share. */
    boolean sameFormat(ModelImage o) {
        return width == o.width && height == o.height && bytesPerPixel == o.bytesPerPixel && components == o.components;
    }

    @Override
    public String toString() {
        return "Image{" + width + "x" + height + "x" + bytesPerPixel + "B, " + coords + "}";
    }
}
