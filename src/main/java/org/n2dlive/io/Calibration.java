package org.n2dlive.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a microscope image file says about physical size and time: pixel size and its unit, z step, frame
 * interval and channel names. Carried from input to output so that a denoised file keeps its scale bar,
 * time stamps and channel names. Immutable.
 */
public final class Calibration {
    /** No calibration: ImageJ shows the unit as "pixel". */
    public static final Calibration NONE = new Calibration(0, 0, null, 0, 0, Collections.emptyList());

    private final double pixelWidth;
    private final double pixelHeight;
    private final String unit;
    private final double zStep;
    private final double frameIntervalSeconds;
    private final List<String> channelNames;

    /**
     * @param pixelWidth           size of one pixel along x in {@code unit}; 0 = unknown
     * @param pixelHeight          along y; 0 = unknown
     * @param unit                 length unit as ImageJ names it ("micron", "nm", ...); null = unknown
     * @param zStep                z spacing in {@code unit}; 0 = unknown
     * @param frameIntervalSeconds time between frames in seconds; 0 = unknown
     * @param channelNames         one name per channel, or empty when unknown
     */
    public Calibration(double pixelWidth, double pixelHeight, String unit, double zStep, double frameIntervalSeconds,
            List<String> channelNames) {
        this.pixelWidth = finiteOrZero(pixelWidth);
        this.pixelHeight = finiteOrZero(pixelHeight);
        this.unit = unit == null || unit.isBlank() ? null : unit.trim();
        this.zStep = finiteOrZero(zStep);
        this.frameIntervalSeconds = finiteOrZero(frameIntervalSeconds);
        this.channelNames = Collections.unmodifiableList(new ArrayList<>(channelNames));
    }

    private static double finiteOrZero(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }

    public double pixelWidth() {
        return pixelWidth;
    }

    public double pixelHeight() {
        return pixelHeight;
    }

    /** The length unit, or null when the file gave none. */
    public String unit() {
        return unit;
    }

    public double zStep() {
        return zStep;
    }

    public double frameIntervalSeconds() {
        return frameIntervalSeconds;
    }

    public List<String> channelNames() {
        return channelNames;
    }

    /** Whether a pixel size is known. */
    public boolean hasPixelSize() {
        return pixelWidth > 0 && pixelHeight > 0;
    }

    public Calibration withChannelNames(List<String> names) {
        return new Calibration(pixelWidth, pixelHeight, unit, zStep, frameIntervalSeconds, names);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Calibration)) return false;
        Calibration c = (Calibration) o;
        return c.pixelWidth == pixelWidth && c.pixelHeight == pixelHeight && Objects.equals(c.unit, unit)
                && c.zStep == zStep && c.frameIntervalSeconds == frameIntervalSeconds
                && c.channelNames.equals(channelNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pixelWidth, pixelHeight, unit, zStep, frameIntervalSeconds, channelNames);
    }

    @Override
    public String toString() {
        return "pixel " + pixelWidth + "x" + pixelHeight + " " + (unit == null ? "pixel" : unit) + ", z step " + zStep
                + ", interval " + frameIntervalSeconds + " s, channels " + channelNames;
    }
}
