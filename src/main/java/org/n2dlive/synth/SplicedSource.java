package org.n2dlive.synth;

import org.n2dlive.frame.Frame;

/**
 * Two streams cut together: frames 0..switchAt-1 from the first, then the second from its frame 0 on (a scene
 * change at a known frame, e.g. the stage moving to another field). Ground truth follows the same cut. Both
 * streams must have frames of one size and pixel type, checked when opened. Not thread-safe (as its parts).
 */
final class SplicedSource implements FrameSource {
    private final FrameSource first;
    private final FrameSource second;
    private final int switchAt;
    private final String description;

    SplicedSource(String description, FrameSource first, FrameSource second, int switchAt) {
        Frame a = first.frame(0);
        Frame b = second.frame(0);
        if (a.width() != b.width() || a.height() != b.height() || a.type() != b.type()) {
            throw new IllegalArgumentException("the two streams of a splice must have frames of one size and type: "
                    + a.width() + "x" + a.height() + " " + a.type() + " vs " + b.width() + "x" + b.height() + " " + b.type());
        }
        this.description = description;
        this.first = first;
        this.second = second;
        this.switchAt = switchAt;
    }

    @Override
    public String describe() {
        return description + " [" + first.describe() + " for " + switchAt + " frames, then " + second.describe() + "]";
    }

    @Override
    public int length() {
        return switchAt + second.length();
    }

    @Override
    public double fps() {
        return first.fps();
    }

    @Override
    public Frame frame(int i) {
        return i < switchAt ? first.frame(i) : second.frame(i - switchAt);
    }

    @Override
    public boolean hasGroundTruth() {
        return first.hasGroundTruth() && second.hasGroundTruth();
    }

    @Override
    public Frame groundTruth(int i) {
        return i < switchAt ? first.groundTruth(i) : second.groundTruth(i - switchAt);
    }
}
