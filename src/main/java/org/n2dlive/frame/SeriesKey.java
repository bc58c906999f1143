package org.n2dlive.frame;

/**
 * Which series a frame belongs to: stage position, channel and z-slice (all 0-based). Frames of one series are
 * successive noise draws of one scene; frames of different series are different scenes. Immutable value.
 */
public final class SeriesKey {
    /** The only series of a plain time-lapse. */
    public static final SeriesKey SINGLE = new SeriesKey(0, 0, 0);

    private final int position;
    private final int channel;
    private final int z;

    public SeriesKey(int position, int channel, int z) {
        if (position < 0 || channel < 0 || z < 0) {
            throw new IllegalArgumentException("series indices must be ≥ 0, got p" + position + " c" + channel + " z" + z);
        }
        this.position = position;
        this.channel = channel;
        this.z = z;
    }

    public int position() {
        return position;
    }

    public int channel() {
        return channel;
    }

    public int z() {
        return z;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SeriesKey)) return false;
        SeriesKey k = (SeriesKey) o;
        return k.position == position && k.channel == channel && k.z == z;
    }

    @Override
    public int hashCode() {
        return (position * 31 + channel) * 31 + z;
    }

    /** "p0 c1 z2". */
    @Override
    public String toString() {
        return "p" + position + " c" + channel + " z" + z;
    }
}
