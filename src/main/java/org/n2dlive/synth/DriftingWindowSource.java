package org.n2dlive.synth;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Stage drift on a real recording: a width × height window of another {@link FrameSource} that moves by
 * (driftX, driftY) pixels per frame across its field (descriptor keys {@code crop} with {@code window_drift_x},
 * {@code window_drift_y}). Frame i and its ground truth are cut at the same place, so a static recording with real
 * camera noise becomes a drifting stream with a truthful per-frame PSNR. Window corners are whole pixels (the
 * drift rounded per frame): real noise is never resampled, so it stays what the camera made. The path is centred on
 * the field over {@code length} frames (the natural length); frames past it loop with the recording.
 *
 * <p>Threading: not thread-safe, like the sources it wraps; returned frames are scratch buffers reused by the next
 * call.
 */
public final class DriftingWindowSource implements FrameSource {
    private final FrameSource inner;
    private final int width;
    private final int height;
    private final double driftX;
    private final double driftY;
    private final int startX;
    private final int startY;
    private final int length;
    private final Frame frame = Frame.allocate(PixelType.GRAY8, 1, 1);
    private final Frame truth = Frame.allocate(PixelType.FLOAT32, 1, 1);

    /**
     * @param length frames the path spans (the window stays inside the field for all of them)
     * @throws IllegalArgumentException when the window does not fit, or drifts out of the field within length frames
     */
    public DriftingWindowSource(FrameSource inner, int width, int height, double driftX, double driftY, int length) {
        Frame f = inner.frame(0);
        if (width < 1 || height < 1 || width > f.width() || height > f.height()) {
            throw new IllegalArgumentException("window " + width + "x" + height + " does not fit the frames (" + f.width() + "x" + f.height() + ")");
        }
        if (length < 1) throw new IllegalArgumentException("window path length must be positive, got " + length);
        this.inner = inner;
        this.width = width;
        this.height = height;
        this.driftX = driftX;
        this.driftY = driftY;
        this.length = length;
        this.startX = (f.width() - width) / 2 - (int) Math.round(driftX * (length - 1) / 2);
        this.startY = (f.height() - height) / 2 - (int) Math.round(driftY * (length - 1) / 2);
        int[] a = corner(0);
        int[] b = corner(length - 1);
        int minX = Math.min(a[0], b[0]), maxX = Math.max(a[0], b[0]), minY = Math.min(a[1], b[1]), maxY = Math.max(a[1], b[1]);
        if (minX < 0 || minY < 0 || maxX + width > f.width() || maxY + height > f.height()) {
            throw new IllegalArgumentException("a " + width + "x" + height + " window drifting (" + driftX + ", " + driftY + ") px per frame leaves the "
                    + f.width() + "x" + f.height() + " field within " + length + " frames");
        }
    }

    /** The window's top-left corner on frame i. */
    public int[] corner(int i) {
        int k = Math.floorMod(i, length);
        return new int[] {startX + (int) Math.round(driftX * k), startY + (int) Math.round(driftY * k)};
    }

    @Override
    public String describe() {
        return inner.describe() + ", " + width + "x" + height + " window drifting (" + driftX + ", " + driftY + ") px/frame";
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public double fps() {
        return inner.fps();
    }

    @Override
    public Frame frame(int i) {
        return cut(inner.frame(i), frame, i);
    }

    @Override
    public boolean hasGroundTruth() {
        return inner.hasGroundTruth();
    }

    @Override
    public Frame groundTruth(int i) {
        Frame t = inner.groundTruth(i);
        return t == null ? null : cut(t, truth, i);
    }

    private Frame cut(Frame src, Frame dst, int i) {
        int k = Math.floorMod(i, length);
        int x0 = startX + (int) Math.round(driftX * k);
        int y0 = startY + (int) Math.round(driftY * k);
        int sw = src.width();
        dst.reshape(src.type(), width, height);
        Object s = src.pixels();
        Object d = dst.pixels();
        for (int y = 0; y < height; y++) System.arraycopy(s, (y0 + y) * sw + x0, d, y * width, width);
        return dst;
    }
}
