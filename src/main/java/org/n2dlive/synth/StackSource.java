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

    /** The (p, c, z, t) of frame i, as {@code {p, c, z, t}}, looping past the end. */
    public int[] coordinates(int i) {
        int j = Math.floorMod(i, length());
        int t = j / perTimePoint;
        int r = j % perTimePoint;
        int c = r % stack.channels();
        int z = (r / stack.channels()) % stack.slices();
        int p = r / (stack.channels() * stack.slices());
        return new int[] {p, c, z, t};
    }

    /** Index in {@link Hyperstack#planes()} of frame i. */
    public int planeIndex(int i) {
        int[] q = coordinates(i);
        return stack.index(q[0], q[1], q[2], q[3]);
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
        int[] q = coordinates(i);
        return new SeriesKey(q[0], q[1], q[2]);
    }

    @Override
    public int seriesCount() {
        return stack.seriesCount();
    }
}
