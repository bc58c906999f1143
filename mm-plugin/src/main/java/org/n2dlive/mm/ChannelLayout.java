package org.n2dlive.mm;

import java.util.List;
import org.micromanager.data.Coords;
import org.micromanager.data.SummaryMetadata;

/**
 * Where raw and denoised images go when both are recorded ("keep raw"): the raw image keeps its channel
 * c, the denoised one goes to channel {@code c + rawChannels} named {@code <name>-n2d}. Raw data stays
 * exactly where the acquisition put it, and the two never share coordinates (a datastore rejects a second
 * image at the same coordinates). Without keep raw the denoised image simply replaces the raw one.
 *
 * <p>Immutable; built on the pipeline thread from the summary metadata.
 */
public final class ChannelLayout {
    public static final String SUFFIX = "-n2d";
    /** Micro-Manager's name for the one channel of an acquisition without channels. */
    static final String UNNAMED = "Default";

    private final boolean keepRaw;
    private final int rawChannels;

    private ChannelLayout(boolean keepRaw, int rawChannels) {
        this.keepRaw = keepRaw;
        this.rawChannels = rawChannels;
    }

    /** Denoised frames replace raw ones. */
    public static ChannelLayout replace() {
        return new ChannelLayout(false, 0);
    }

    /** Raw channels 0..n-1 kept, denoised ones at n..2n-1. */
    public static ChannelLayout keepRaw(int rawChannels) {
        if (rawChannels < 1) {
            throw new IllegalArgumentException("raw channel count must be at least 1, got " + rawChannels);
        }
        return new ChannelLayout(true, rawChannels);
    }

    /** Number of raw channels the summary describes (at least 1). */
    public static int channelCount(SummaryMetadata summary) {
        if (summary == null) return 1;
        int n = 0;
        List<String> names = summary.getChannelNameList();
        if (names != null) n = names.size();
        Coords dims = summary.getIntendedDimensions();
        if (dims != null) n = Math.max(n, dims.getChannel());
        return Math.max(1, n);
    }

    /**
     * The summary with the denoised channels declared: names {@code [a, b, a-n2d, b-n2d]} and intended
     * channel count doubled. Called once, before any image.
     */
    public SummaryMetadata declare(SummaryMetadata source) {
        if (!keepRaw || source == null) return source;
        List<String> names = source.getChannelNameList();
        String[] out = new String[2 * rawChannels];
        for (int c = 0; c < rawChannels; c++) {
            String name = names != null && c < names.size() && names.get(c) != null && !names.get(c).isEmpty()
                    ? names.get(c) : (rawChannels == 1 ? UNNAMED : "Channel " + c);
            out[c] = name;
            out[c + rawChannels] = name + SUFFIX;
        }
        SummaryMetadata.Builder b = source.copyBuilder().channelNames(out);
        Coords dims = source.getIntendedDimensions();
        if (dims != null) {
            b = b.intendedDimensions(dims.copyBuilder().channel(2 * rawChannels).build());
        }
        return b.build();
    }

    public boolean keepsRaw() {
        return keepRaw;
    }

    public int rawChannels() {
        return rawChannels;
    }

    /** The denoised image's coordinates for a raw image at {@code raw}. */
    public Coords denoisedCoords(Coords raw) {
        if (!keepRaw) return raw;
        return raw.copyBuilder().channel(raw.getChannel() + rawChannels).build();
    }

    /** True when a raw image's channel lies outside the declared raw channels (its denoised twin may collide). */
    public boolean outsideDeclared(Coords raw) {
        return keepRaw && raw.getChannel() >= rawChannels;
    }
}
