package org.n2dlive.synth;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/** A {@link SyntheticCamera} as a {@link FrameSource}. Not thread-safe; returned frames are reused buffers. */
public final class SyntheticSource implements FrameSource {
    private final String description;
    private final SyntheticCamera camera;
    private final int length;
    private final Frame frame;
    private final Frame truth;

    public SyntheticSource(String description, SyntheticCamera camera, int length) {
        if (length < 1) throw new IllegalArgumentException("a stream needs at least one frame, got " + length);
        this.description = description;
        this.camera = camera;
        this.length = length;
        this.frame = Frame.allocate(camera.type(), camera.width(), camera.height());
        this.truth = Frame.allocate(PixelType.FLOAT32, camera.width(), camera.height());
    }

    public SyntheticCamera camera() {
        return camera;
    }

    @Override
    public String describe() {
        return description + " [synthetic " + camera.width() + "x" + camera.height() + ", " + camera.camera() + "]";
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public double fps() {
        return camera.fps();
    }

    @Override
    public Frame frame(int i) {
        return camera.frame(i, frame);
    }

    @Override
    public boolean hasGroundTruth() {
        return true;
    }

    @Override
    public Frame groundTruth(int i) {
        return camera.groundTruth(i, truth);
    }
}
