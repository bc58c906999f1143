package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.micromanager.data.DataProvider;
import org.micromanager.data.SummaryMetadata;
import org.micromanager.display.ChannelDisplaySettings;
import org.micromanager.display.DisplaySettings;
import org.micromanager.display.DisplayWindow;
import org.n2dlive.mm.contract.ModelSummary;

class TwinDisplaysTest {

    /** A channel's settings as Micro-Manager keeps them: immutable, changed through a builder. */
    static final class Channel implements ChannelDisplaySettings {
        final Color color;
        final boolean visible;

        Channel(Color color, boolean visible) {
            this.color = color;
            this.visible = visible;
        }

        @Override
        public Color getColor() {
            return color;
        }

        @Override
        public boolean isVisible() {
            return visible;
        }

        @Override
        public Builder copyBuilder() {
            Color[] c = {color};
            boolean[] v = {visible};
            return new Builder() {
                @Override
                public Builder color(Color x) {
                    c[0] = x;
                    return this;
                }

                @Override
                public Builder visible(boolean x) {
                    v[0] = x;
                    return this;
                }

                @Override
                public ChannelDisplaySettings build() {
                    return new Channel(c[0], v[0]);
                }
            };
        }
    }

    static final class Settings implements DisplaySettings {
        final List<ChannelDisplaySettings> channels;
        final boolean composite;

        Settings(List<ChannelDisplaySettings> channels, boolean composite) {
            this.channels = channels;
            this.composite = composite;
        }

        @Override
        public ChannelDisplaySettings getChannelSettings(int channel) {
            return channels.get(channel);
        }

        @Override
        public Builder copyBuilder() {
            List<ChannelDisplaySettings> cs = new ArrayList<>(channels);
            boolean[] comp = {composite};
            return new Builder() {
                @Override
                public Builder colorModeComposite() {
                    comp[0] = true;
                    return this;
                }

                @Override
                public Builder channel(int channel, ChannelDisplaySettings s) {
                    cs.set(channel, s);
                    return this;
                }

                @Override
                public DisplaySettings build() {
                    return new Settings(cs, comp[0]);
                }
            };
        }
    }

    static final class Window implements DisplayWindow {
        final DataProvider provider; // the same data set object on every call, as Micro-Manager's
        DisplaySettings settings;
        int sets;

        Window(SummaryMetadata summary, DisplaySettings settings) {
            this.provider = () -> summary;
            this.settings = settings;
        }

        @Override
        public void setDisplaySettings(DisplaySettings s) {
            settings = s;
            sets++;
        }

        @Override
        public DisplaySettings getDisplaySettings() {
            return settings;
        }

        @Override
        public DataProvider getDataProvider() {
            return provider;
        }
    }

    private static DisplaySettings asOpened() { // what Micro-Manager opens: all four visible, twins in white
        return new Settings(Arrays.asList(new Channel(Color.BLUE, true), new Channel(Color.GREEN, true),
                new Channel(Color.WHITE, true), new Channel(Color.WHITE, true)), false);
    }

    @Test
    void twinsTakeTheirRawChannelsColourAndShowWhileRawIsHidden() {
        Settings s = (Settings) TwinDisplays.forTwins(asOpened(), 2);
        assertTrue(s.composite);
        assertEquals(Color.BLUE, s.channels.get(2).getColor());
        assertEquals(Color.GREEN, s.channels.get(3).getColor());
        assertTrue(s.channels.get(2).isVisible() && s.channels.get(3).isVisible());
        assertFalse(s.channels.get(0).isVisible() || s.channels.get(1).isVisible());
        assertEquals(Color.BLUE, s.channels.get(0).getColor(), "raw channels keep their colour");
    }

    @Test
    void onlyTheWindowOfTheDeclaredChannelsIsStyledAndOnlyOnce() throws Exception {
        List<String> declared = Arrays.asList("DAPI", "FITC", "DAPI-n2d", "FITC-n2d");
        SummaryMetadata ours = ModelSummary.acquisition(5, "DAPI", "FITC", "DAPI-n2d", "FITC-n2d");
        SummaryMetadata other = ModelSummary.acquisition(5, "DAPI", "FITC", "Cy5", "TRITC");
        Window w = new Window(ours, asOpened());
        Window unrelated = new Window(other, asOpened());
        List<DisplayWindow> open = new ArrayList<>();
        TwinDisplays twins = new TwinDisplays(() -> Collections.unmodifiableList(open));
        boolean[] found = new boolean[3];
        SwingUtilities.invokeAndWait(() -> {
            found[0] = twins.styleOpenWindows(declared, 2); // not shown yet
            open.add(unrelated);
            open.add(w);
            found[1] = twins.styleOpenWindows(declared, 2);
            found[2] = twins.styleOpenWindows(declared, 2);
        });
        assertFalse(found[0]);
        assertTrue(found[1] && found[2]);
        assertEquals(1, w.sets, "styled once: a user's later change is theirs");
        assertEquals(0, unrelated.sets);
        assertFalse(((Settings) w.settings).channels.get(0).isVisible());
    }
}
