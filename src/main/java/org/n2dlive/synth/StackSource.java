package org.n2dlive.synth;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.io.Hyperstack;

/**
 * A multi-dimensional file replayed in acquisition order, as Micro-Manager acquires it by default: time outermost,
 * then stage position, z-slice, and channel fastest. Frame i carries its series (position, channel, z).
 * Immutable; the planes are the file's.
 */
public final class StackSource implements FrameSource {
    private final Hyperstack stack;
    private final String description;
    private final double fps;
    private final int perTimePoint;

    public StackSource(Hyperstack stack, String description, double fps) {
        this.stack = stack;
        this.description = description;
        this.fps = fps;
        this.perTimePoint = stack.positions() * stack.slices() * stack.channels();
    }

    public Hyperstack stack() {
        return stack;
    }

    @Override
    public String describe() {
        Frame f = stack.planes().get(0);
        return description + " [" + stack.frames() + " time points × " + stack.positions() + " position(s) × "
                + stack.slices() + " slice(s) × " + stack.channels() + " channel(s), " + f.width() + "x" + f.height()
                + " " + f.type() + "]";
    }

    @Override
    public int length() {
        return stack.planes().size();
    }

    @Override
    public double fps() {
        return fps;
    }

    /** Index in {@link Hyperstack#planes()} of frame i (no allocation: called for every frame). */
    public int planeIndex(int i) {
        int j = Math.floorMod(i, length());
        int r = j % perTimePoint;
        int c = r % stack.channels();
        int z = (r / stack.channels()) % stack.slices();
        int p = r / (stack.channels() * stack.slices());
        return stack.index(p, c, z, j / perTimePoint);
    }

    @Override
    public Frame frame(int i) {
        return stack.planes().get(planeIndex(i));
    }

    @Override
    public boolean hasGroundTruth() {
        return false;
    }

    @Override
    public Frame groundTruth(int i) {
        return null;
    }

    @Override
    public SeriesKey series(int i) {
        return stack.seriesOf(planeIndex(i));
    }

    @Override
    public int seriesCount() {
        return stack.seriesCount();
    }
}
