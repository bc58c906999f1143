package org.n2dlive.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;

/**
 * Several streams interleaved frame by frame, as a multi-position (or multi-channel) acquisition delivers them:
 * frame i is frame i / k of series i mod k. Each part is one series; parts are stage positions, or channels.
 * Not thread-safe, like its parts.
 */
public final class InterleavedSource implements FrameSource {
    /** What the parts are on Micro-Manager's axes. */
    public enum Axis { POSITION, CHANNEL }

    private final List<FrameSource> parts;
    private final Axis axis;

    public InterleavedSource(List<FrameSource> parts, Axis axis) {
        if (parts.size() < 2) throw new IllegalArgumentException("interleaving needs at least two streams, got " + parts.size());
        Frame f0 = parts.get(0).frame(0);
        for (int k = 1; k < parts.size(); k++) {
            Frame f = parts.get(k).frame(0);
            if (f.type() != f0.type()) {
                throw new IllegalArgumentException("interleaved streams must share a pixel type: stream 1 is " + f0.type()
                        + ", stream " + (k + 1) + " is " + f.type());
            }
        }
        this.parts = Collections.unmodifiableList(new ArrayList<>(parts));
        this.axis = axis;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(parts.size() + " streams interleaved as " + axis.name().toLowerCase() + "s:");
        for (int k = 0; k < parts.size(); k++) b.append(k == 0 ? " " : "; ").append(parts.get(k).describe());
        return b.toString();
    }

    @Override
    public int length() {
        int n = Integer.MAX_VALUE;
        for (FrameSource s : parts) n = Math.min(n, s.length());
        return n * parts.size();
    }

    /** The camera's rate: every part gets 1/k of it. */
    @Override
    public double fps() {
        return parts.get(0).fps();
    }

    @Override
    public Frame frame(int i) {
        int k = parts.size();
        return parts.get(Math.floorMod(i, k)).frame(Math.floorDiv(i, k));
    }

    @Override
    public boolean hasGroundTruth() {
        for (FrameSource s : parts) if (!s.hasGroundTruth()) return false;
        return true;
    }

    @Override
    public Frame groundTruth(int i) {
        int k = parts.size();
        return parts.get(Math.floorMod(i, k)).groundTruth(Math.floorDiv(i, k));
    }

    @Override
    public SeriesKey series(int i) {
        int k = Math.floorMod(i, parts.size());
        return axis == Axis.POSITION ? new SeriesKey(k, 0, 0) : new SeriesKey(0, k, 0);
    }

    @Override
    public int seriesCount() {
        return parts.size();
    }
}
