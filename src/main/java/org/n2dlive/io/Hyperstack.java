package org.n2dlive.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;

/**
 * The planes of a microscope file with their axes: positions × time × z × channels, and the file's
 * {@link Calibration}. A frame belongs to one <em>series</em> (position, channel, z); time runs within a
 * series, and only frames of one series are fresh noise draws of the same scene.
 *
 * <p>Plane order is ImageJ's hyperstack order within a position (channel fastest, then z, then time) with
 * positions outermost. Immutable (the planes' pixels are not copied: do not modify them).
 */
public final class Hyperstack {
    private final List<Frame> planes;
    private final int positions;
    private final int channels;
    private final int slices;
    private final int frames;
    private final Calibration calibration;
    private final boolean axesDeclared;

    /**
     * @param axesDeclared whether the file declared these axes (a hyperstack, OME-TIFF); a plain stack read as a
     *                     time series is written back as a plain stack
     */
    public Hyperstack(List<Frame> planes, int positions, int channels, int slices, int frames, Calibration calibration,
            boolean axesDeclared) {
        if (planes == null || planes.isEmpty()) {
            throw new IllegalArgumentException("a stack needs at least one plane");
        }
        if (positions < 1 || channels < 1 || slices < 1 || frames < 1) {
            throw new IllegalArgumentException("axis sizes must be ≥ 1, got positions " + positions + ", channels "
                    + channels + ", slices " + slices + ", frames " + frames);
        }
        long n = (long) positions * channels * slices * frames;
        if (n != planes.size()) {
            throw new IllegalArgumentException(positions + " positions × " + channels + " channels × " + slices
                    + " slices × " + frames + " frames = " + n + " planes, but " + planes.size() + " were given");
        }
        this.planes = Collections.unmodifiableList(new ArrayList<>(planes));
        this.positions = positions;
        this.channels = channels;
        this.slices = slices;
        this.frames = frames;
        this.calibration = calibration == null ? Calibration.NONE : calibration;
        this.axesDeclared = axesDeclared;
    }

    /** A plain stack: one series, its planes in time order, no calibration. */
    public static Hyperstack timeSeries(List<Frame> planes) {
        return new Hyperstack(planes, 1, 1, 1, planes.size(), Calibration.NONE, false);
    }

    public List<Frame> planes() {
        return planes;
    }

    public int positions() {
        return positions;
    }

    public int channels() {
        return channels;
    }

    public int slices() {
        return slices;
    }

    public int frames() {
        return frames;
    }

    public Calibration calibration() {
        return calibration;
    }

    /** Whether the file declared its axes (hyperstack or OME-TIFF) rather than being a plain stack. */
    public boolean axesDeclared() {
        return axesDeclared;
    }

    /** Number of series: positions × channels × slices. */
    public int seriesCount() {
        return positions * channels * slices;
    }

    /** Index in {@link #planes()} of plane (p, c, z, t), all 0-based. */
    public int index(int p, int c, int z, int t) {
        check(p, positions, "position");
        check(c, channels, "channel");
        check(z, slices, "slice");
        check(t, frames, "frame");
        return ((p * frames + t) * slices + z) * channels + c;
    }

    private static void check(int i, int n, String what) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException(what + " " + i + " outside 0.." + (n - 1));
    }

    public Frame plane(int p, int c, int z, int t) {
        return planes.get(index(p, c, z, t));
    }

    /** The series of plane number i (in {@link #planes()} order). */
    public SeriesKey seriesOf(int i) {
        if (i < 0 || i >= planes.size()) throw new IndexOutOfBoundsException("plane " + i + " of " + planes.size());
        int c = i % channels;
        int z = (i / channels) % slices;
        int p = i / (channels * slices * frames);
        return new SeriesKey(p, c, z);
    }

    /** The frames of one series in time order. */
    public List<Frame> series(SeriesKey key) {
        List<Frame> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) out.add(plane(key.position(), key.channel(), key.z(), t));
        return out;
    }

    /** The same axes and calibration over other planes (e.g. the denoised ones), in the same order. */
    public Hyperstack withPlanes(List<Frame> newPlanes) {
        return new Hyperstack(newPlanes, positions, channels, slices, frames, calibration, axesDeclared);
    }

    /** An empty plane array in this stack's order, to fill series by series with {@link #put}. */
    public Frame[] emptyPlanes() {
        return new Frame[planes.size()];
    }

    /** Stores a series' frames (time order) into planes from {@link #emptyPlanes()}. */
    public void put(Frame[] target, SeriesKey key, List<Frame> seriesFrames) {
        if (seriesFrames.size() != frames) {
            throw new IllegalArgumentException("series " + key + " needs " + frames + " frames, got " + seriesFrames.size());
        }
        for (int t = 0; t < frames; t++) {
            target[index(key.position(), key.channel(), key.z(), t)] = seriesFrames.get(t);
        }
    }


    @Override
    public String toString() {
        return planes.size() + " planes: " + positions + " position(s) × " + frames + " frame(s) × " + slices
                + " slice(s) × " + channels + " channel(s); " + calibration;
    }
}
