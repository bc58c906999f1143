package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.mm.host.SimCoords;
import org.n2dlive.mm.host.SimSummary;

class ChannelLayoutTest {

    @Test
    void keepRawAppendsOneDenoisedChannelPerRawChannel() {
        SimSummary src = SimSummary.of(10, "DAPI", "GFP");
        ChannelLayout l = ChannelLayout.keepRaw(ChannelLayout.channelCount(src));
        SummaryMetadata out = l.declare(src);
        assertArrayEquals(new String[] {"DAPI", "GFP", "DAPI-n2d", "GFP-n2d"}, out.getChannelNames());
        assertEquals(4, out.getIntendedDimensions().getChannel());
        assertEquals(10, out.getIntendedDimensions().getTimePoint());
        assertEquals(SimCoords.of(3, 7), l.denoisedCoords(SimCoords.of(1, 7)));
        assertEquals(SimCoords.of(1, 7), SimCoords.of(1, 7), "raw coordinates untouched");
    }

    @Test
    void unnamedSingleChannelGetsMicroManagersDefaultName() {
        SimSummary src = new SimSummary(new String[0], new SimCoords(0, 5, 1, 1));
        assertEquals(1, ChannelLayout.channelCount(src));
        SummaryMetadata out = ChannelLayout.keepRaw(1).declare(src);
        assertArrayEquals(new String[] {"Default", "Default-n2d"}, out.getChannelNames());
        assertEquals(2, out.getIntendedDimensions().getChannel());
    }

    @Test
    void replaceLeavesEverythingAsIs() {
        SimSummary src = SimSummary.of(3, "A");
        ChannelLayout l = ChannelLayout.replace();
        assertSame(src, l.declare(src));
        SimCoords c = SimCoords.of(0, 2);
        assertSame(c, l.denoisedCoords(c));
    }
}
