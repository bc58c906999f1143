package org.n2dlive.mm.host;

import java.util.Objects;
import org.micromanager.data.Coords;

/** Test Coords: channel, time point, z slice and stage position. Immutable, value equality. */
public final class SimCoords implements Coords {
    private final int channel;
    private final int time;
    private final int z;
    private final int position;

    public SimCoords(int channel, int time, int z, int position) {
        this.channel = channel;
        this.time = time;
        this.z = z;
        this.position = position;
    }

    public static SimCoords of(int channel, int time) {
        return new SimCoords(channel, time, 0, 0);
    }

    @Override
    public int getChannel() {
        return channel;
    }

    @Override
    public int getTimePoint() {
        return time;
    }

    @Override
    public int getZSlice() {
        return z;
    }

    @Override
    public int getStagePosition() {
        return position;
    }

    @Override
    public Coords.Builder copyBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SimCoords)) return false;
        SimCoords c = (SimCoords) o;
        return channel == c.channel && time == c.time && z == c.z && position == c.position;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, time, z, position);
    }

    @Override
    public String toString() {
        return "c=" + channel + " t=" + time + " z=" + z + " p=" + position;
    }

    /** Builder over a copy. */
    public static final class Builder implements Coords.Builder {
        private int channel;
        private final int time;
        private final int z;
        private final int position;

        Builder(SimCoords c) {
            channel = c.channel;
            time = c.time;
            z = c.z;
            position = c.position;
        }

        @Override
        public Coords build() {
            return new SimCoords(channel, time, z, position);
        }

        @Override
        public Builder channel(int c) {
            channel = c;
            return this;
        }
    }
}
