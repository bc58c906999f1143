package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.micromanager.data.Coords;
import org.micromanager.data.SummaryMetadata;

/** Channel layouts over {@link MicroManager}'s summary metadata and coordinates. */
class ChannelLayoutTest {

    @Test
    void keepRawAppendsOneDenoisedChannelPerRawChannel() {
        SummaryMetadata src = Acquisition.summary(10, "DAPI", "GFP");
        ChannelLayout l = ChannelLayout.keepRaw(ChannelLayout.channelCount(src));
        SummaryMetadata out = l.declare(src);
        assertArrayEquals(new String[] {"DAPI", "GFP", "DAPI-n2d", "GFP-n2d"}, out.getChannelNames());
        assertEquals(4, out.getIntendedDimensions().getChannel());
        assertEquals(10, out.getIntendedDimensions().getTimePoint());
        assertEquals(MicroManager.rest(src), MicroManager.rest(out), "the rest is kept");
        Coords raw = Camera.at(1, 7);
        Coords twin = l.denoisedCoords(raw);
        assertEquals(3, twin.getChannel());
        assertEquals(7, twin.getTimePoint());
        assertEquals(Camera.at(1, 7), raw, "raw coordinates untouched");
    }

    @Test
    void unnamedSingleChannelGetsMicroManagersDefaultName() {
        SummaryMetadata src = MicroManager.unnamedSummary(Camera.at(0, 5));
        assertEquals(1, ChannelLayout.channelCount(src));
        SummaryMetadata out = ChannelLayout.keepRaw(1).declare(src);
        assertArrayEquals(new String[] {"Default", "Default-n2d"}, out.getChannelNames());
        assertEquals(2, out.getIntendedDimensions().getChannel());
    }

    @Test
    void replaceLeavesEverythingAsIs() {
        SummaryMetadata src = Acquisition.summary(3, "A");
        ChannelLayout l = ChannelLayout.replace();
        assertSame(src, l.declare(src));
        Coords c = Camera.at(0, 2);
        assertSame(c, l.denoisedCoords(c));
    }

    @Test
    void liveModesSummaryIsToldApartFromAnAcquisitions() {
        assertEquals(PipelineKind.LIVE, PipelineKind.fromSummary("auto", LiveMode.liveSummary()));
        assertEquals(PipelineKind.ACQUISITION, PipelineKind.fromSummary("auto", Acquisition.summary(1, "GFP")));
        assertEquals(PipelineKind.ACQUISITION, PipelineKind.fromSummary("acquisition", LiveMode.liveSummary()));
        assertEquals(PipelineKind.LIVE, PipelineKind.fromSummary("live", Acquisition.summary(1, "GFP")));
    }
}
