package org.n2dlive.mm.host;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.micromanager.data.Coords;
import org.micromanager.data.SummaryMetadata;

/** Test SummaryMetadata: channel names and intended dimensions. Immutable. */
public final class SimSummary implements SummaryMetadata {
    private final String[] names;
    private final Coords dims;

    public SimSummary(String[] names, Coords dims) {
        this.names = names == null ? new String[0] : names.clone();
        this.dims = dims;
    }

    /** An acquisition of {@code timePoints} time points over the named channels. */
    public static SimSummary of(int timePoints, String... channels) {
        return new SimSummary(channels, new SimCoords(channels.length, timePoints, 1, 1));
    }

    @Override
    public List<String> getChannelNameList() {
        return Collections.unmodifiableList(Arrays.asList(names.clone()));
    }

    @Override
    public String[] getChannelNames() {
        return names.clone();
    }

    @Override
    public Coords getIntendedDimensions() {
        return dims;
    }

    @Override
    public SummaryMetadata.Builder copyBuilder() {
        return new Builder(names, dims);
    }

    /** Builder over a copy. */
    public static final class Builder implements SummaryMetadata.Builder {
        private String[] names;
        private Coords dims;

        Builder(String[] names, Coords dims) {
            this.names = names;
            this.dims = dims;
        }

        @Override
        public SummaryMetadata build() {
            return new SimSummary(names, dims);
        }

        @Override
        public Builder channelNames(String... n) {
            names = n.clone();
            return this;
        }

        @Override
        public Builder intendedDimensions(Coords d) {
            dims = d;
            return this;
        }
    }
}
