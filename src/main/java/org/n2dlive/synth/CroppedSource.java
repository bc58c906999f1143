package org.n2dlive.synth;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * The centre crop of another {@link FrameSource}: every frame and its ground truth cut to width × height around
 * the middle (the descriptor key {@code crop}). Offsets are {@code (W − w) / 2} and {@code (H − h) / 2}, rounded
 * down, the convention of the shared reference crops. Pixel values are copied unchanged (no resampling).
 *
 * <p>Threading: not thread-safe, like the sources it wraps; returned frames are scratch buffers reused by the
 * next call (one for frames, one for ground truth).
 */
public final class CroppedSource implements FrameSource {
    private final FrameSource inner;
    private final int width;
    private final int height;
    private final Frame frame = Frame.allocate(PixelType.GRAY8, 1, 1);
    private final Frame truth = Frame.allocate(PixelType.FLOAT32, 1, 1);

    /**
     * @throws IllegalArgumentException when the crop is not positive or larger than the source's frames
     */
    public CroppedSource(FrameSource inner, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("crop size must be positive, got " + width + "x" + height);
        }
        Frame f = inner.frame(0);
        if (width > f.width() || height > f.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " is larger than the frames (" + f.width()
                    + "x" + f.height() + ")");
        }
        this.inner = inner;
        this.width = width;
        this.height = height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    @Override
    public String describe() {
        return inner.describe() + ", centre crop " + width + "x" + height;
    }

    @Override
    public int length() {
        return inner.length();
    }

    @Override
    public double fps() {
        return inner.fps();
    }

    @Override
    public Frame frame(int i) {
        return crop(inner.frame(i), frame, width, height);
    }

    @Override
    public boolean hasGroundTruth() {
        return inner.hasGroundTruth();
    }

    @Override
    public Frame groundTruth(int i) {
        Frame t = inner.groundTruth(i);
        return t == null ? null : crop(t, truth, width, height);
    }

    /**
     * Copies the centre w × h of src into dst (reshaped to src's type and that size) and returns dst.
     *
     * @throws IllegalArgumentException when src is smaller than the crop (e.g. a recording whose frames change size)
     */
    public static Frame crop(Frame src, Frame dst, int w, int h) {
        int sw = src.width();
        int sh = src.height();
        if (w > sw || h > sh) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " is larger than the frame (" + sw + "x" + sh + ")");
        }
        int x0 = (sw - w) / 2;
        int y0 = (sh - h) / 2;
        dst.reshape(src.type(), w, h);
        Object s = src.pixels();
        Object d = dst.pixels();
        for (int y = 0; y < h; y++) System.arraycopy(s, (y0 + y) * sw + x0, d, y * w, w);
        return dst;
    }
}
