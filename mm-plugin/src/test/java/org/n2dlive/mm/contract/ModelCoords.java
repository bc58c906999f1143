package org.n2dlive.mm.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.micromanager.data.Coords;

/**
 * Our model of an image's coordinates: an index on each of the axes channel, time, z and stage position that
 * was set; {@link #getAxes()} lists those. An axis not set reads 0 here. Immutable; equal when the same axes
 * hold the same indices (a datastore's key).
 */
public final class ModelCoords implements Coords {
    public static final String CHANNEL = "channel";
    public static final String TIME = "time";
    public static final String Z = "z";
    public static final String STAGE_POSITION = "position";
    private static final String[] AXES = {CHANNEL, TIME, Z, STAGE_POSITION};

    /** Indices in AXES order; -1 = axis not set. */
    private final int[] index;

    private ModelCoords(int[] index) {
        this.index = index.clone();
    }

    public static Builder builder() {
        return new Builder(new int[] {-1, -1, -1, -1});
    }

    private int at(int axis) {
        return Math.max(0, index[axis]);
    }

    @Override
    public int getChannel() {
        return at(0);
    }

    @Override
    public int getTimePoint() {
        return at(1);
    }

    @Override
    public int getZSlice() {
        return at(2);
    }

    @Override
    public int getStagePosition() {
        return at(3);
    }

    @Override
    public List<String> getAxes() {
        List<String> axes = new ArrayList<>();
        for (int a = 0; a < AXES.length; a++) {
            if (index[a] >= 0) axes.add(AXES[a]);
        }
        return Collections.unmodifiableList(axes);
    }

    @Override
    public Builder copyBuilder() {
        return new Builder(index);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCoords && java.util.Arrays.equals(index, ((ModelCoords) o).index);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(index);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Coords{");
        for (int a = 0; a < AXES.length; a++) {
            if (index[a] >= 0) b.append(b.length() > 7 ? ", " : "").append(AXES[a]).append('=').append(index[a]);
        }
        return b.append('}').toString();
    }

    /** Not thread-safe. */
    public static final class Builder implements Coords.Builder {
        private final int[] index;

        private Builder(int[] index) {
            this.index = index.clone();
        }

        private Builder set(int axis, int value) {
            if (value < 0) throw new IllegalArgumentException("negative index " + value + " on axis " + AXES[axis]);
            index[axis] = value;
            return this;
        }

        @Override
        public Builder channel(int c) {
            return set(0, c);
        }

        public Builder t(int t) {
            return set(1, t);
        }

        public Builder z(int z) {
            return set(2, z);
        }

        public Builder stagePosition(int p) {
            return set(3, p);
        }

        @Override
        public ModelCoords build() {
            return new ModelCoords(index);
        }
    }

    /** Coordinates as these tests use them: channel c, time point t. */
    public static ModelCoords at(int c, int t) {
        return builder().channel(c).t(t).build();
    }

    static ModelCoords of(Coords c) {
        return (ModelCoords) Objects.requireNonNull(c, "coords");
    }
}
