package org.n2dlive.mm;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import org.micromanager.data.DataProvider;
import org.micromanager.data.SummaryMetadata;
import org.micromanager.display.ChannelDisplaySettings;
import org.micromanager.display.DisplaySettings;
import org.micromanager.display.DisplayWindow;

/**
 * Display settings for an acquisition recorded with "keep raw": each denoised channel takes its raw channel's
 * colour, and shows while the raw one is hidden. Micro-Manager opens such a dataset in composite mode with every
 * channel visible, the twins in default colours on top of their raw channels: a near-white picture. The user can
 * show the raw channels again from the display's channel controls; the data are untouched.
 *
 * <p>Micro-Manager creates the dataset's window after the summary reaches the pipeline, so the settings are applied
 * on the Swing thread once a window shows exactly the declared channels, looked for a few times. Each data set is
 * styled once. Threading: {@link #styleWhenShown} from any thread; the rest on the Swing thread.
 */
final class TwinDisplays {
    private static final int TRIES = 40;
    private static final int DELAY_MS = 250;
    private final Supplier<List<DisplayWindow>> windows;
    /** Data sets already styled (weak: a closed data set is forgotten). Swing thread only. */
    private final Set<DataProvider> styled = Collections.newSetFromMap(new WeakHashMap<DataProvider, Boolean>());

    /** @param windows Micro-Manager's open image windows (studio.displays().getAllImageWindows()) */
    TwinDisplays(Supplier<List<DisplayWindow>> windows) {
        this.windows = windows;
    }

    /** The settings a keep-raw data set opens with: twins in their raw channel's colour, raw channels hidden. */
    static DisplaySettings forTwins(DisplaySettings current, int rawChannels) {
        DisplaySettings.Builder b = current.copyBuilder().colorModeComposite();
        for (int c = 0; c < rawChannels; c++) {
            ChannelDisplaySettings raw = current.getChannelSettings(c);
            ChannelDisplaySettings twin = current.getChannelSettings(c + rawChannels);
            b = b.channel(c + rawChannels, twin.copyBuilder().color(raw.getColor()).visible(true).build());
            b = b.channel(c, raw.copyBuilder().visible(false).build());
        }
        return b.build();
    }

    /** Styles the window of the data set whose summary declares {@code channelNames}, once it is shown. */
    void styleWhenShown(List<String> channelNames, int rawChannels) {
        if (channelNames == null || channelNames.size() != 2 * rawChannels) return;
        SwingUtilities.invokeLater(() -> {
            if (styleOpenWindows(channelNames, rawChannels)) return;
            int[] left = {TRIES};
            Timer timer = new Timer(DELAY_MS, null);
            timer.addActionListener(e -> {
                if (styleOpenWindows(channelNames, rawChannels) || --left[0] <= 0) timer.stop();
            });
            timer.start();
        });
    }

    /** Swing thread: styles every unstyled window showing these channels; whether one was found. */
    boolean styleOpenWindows(List<String> channelNames, int rawChannels) {
        boolean found = false;
        for (DisplayWindow w : windows.get()) {
            DataProvider p = w.getDataProvider();
            SummaryMetadata s = p == null ? null : p.getSummaryMetadata();
            if (s == null || !channelNames.equals(s.getChannelNameList())) continue;
            found = true;
            if (styled.add(p)) w.setDisplaySettings(forTwins(w.getDisplaySettings(), rawChannels));
        }
        return found;
    }
}
