package org.n2dlive.mm.contract;

import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.micromanager.acquisition.SequenceSettings;
import org.micromanager.data.Coords;
import org.micromanager.data.SummaryMetadata;

/**
 * Our model of a dataset's summary metadata: channel names, intended dimensions, the acquisition's sequence
 * settings (only acquisitions have them; live mode's summary has neither those nor intended dimensions) and a
 * prefix, standing for everything else a summary carries that a processor must hand on. Immutable.
 */
public final class ModelSummary implements SummaryMetadata {
    private final String[] channelNames;
    private final Coords intendedDimensions;
    private final SequenceSettings sequenceSettings;
    private final String prefix;

    private ModelSummary(Builder b) {
        this.channelNames = b.channelNames == null ? null : b.channelNames.clone();
        this.intendedDimensions = b.intendedDimensions;
        this.sequenceSettings = b.sequenceSettings;
        this.prefix = b.prefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Live mode's summary: one channel name, no intended dimensions, no sequence settings. */
    public static ModelSummary live() {
        return builder().channelNames("Default").build();
    }

    /** An acquisition's summary: channel names, intended time points and channels, and sequence settings. */
    public static ModelSummary acquisition(int timePoints, String... channels) {
        return builder().channelNames(channels)
                .intendedDimensions(ModelCoords.builder().t(timePoints).channel(channels.length).build())
                .sequenceSettings(newSequenceSettings()).prefix("acq").build();
    }

    /**
     * A sequence-settings object. The plugin only asks whether a summary has one; mmstudio-api declares the type
     * without a public constructor (nothing in the plugin makes one), so the model makes its token reflectively.
     */
    public static SequenceSettings newSequenceSettings() {
        try {
            Constructor<SequenceSettings> c = SequenceSettings.class.getDeclaredConstructor();
            c.setAccessible(true);
            return c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> getChannelNameList() {
        return channelNames == null ? Collections.emptyList() : Collections.unmodifiableList(Arrays.asList(channelNames));
    }

    @Override
    public String[] getChannelNames() {
        return channelNames == null ? new String[0] : channelNames.clone();
    }

    @Override
    public Coords getIntendedDimensions() {
        return intendedDimensions;
    }

    @Override
    public SequenceSettings getSequenceSettings() {
        return sequenceSettings;
    }

    public String getPrefix() {
        return prefix;
    }

    @Override
    public Builder copyBuilder() {
        Builder b = new Builder();
        b.channelNames = channelNames;
        b.intendedDimensions = intendedDimensions;
        b.sequenceSettings = sequenceSettings;
        b.prefix = prefix;
        return b;
    }

    @Override
    public String toString() {
        return "Summary{channels=" + getChannelNameList() + ", intended=" + intendedDimensions + "}";
    }

    /** Not thread-safe. */
    public static final class Builder implements SummaryMetadata.Builder {
        private String[] channelNames;
        private Coords intendedDimensions;
        private SequenceSettings sequenceSettings;
        private String prefix;

        @Override
        public Builder channelNames(String... names) {
            channelNames = names == null ? null : names.clone();
            return this;
        }

        @Override
        public Builder intendedDimensions(Coords dims) {
            // Built only with the model's own builders, as Micro-Manager casts to its own classes.
            intendedDimensions = dims == null ? null : ModelCoords.of(dims);
            return this;
        }

        public Builder sequenceSettings(SequenceSettings s) {
            sequenceSettings = s;
            return this;
        }

        public Builder prefix(String p) {
            prefix = p;
            return this;
        }

        @Override
        public ModelSummary build() {
            return new ModelSummary(this);
        }
    }
}
