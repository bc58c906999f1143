package org.n2dlive.mm;

import java.util.ArrayList;
import java.util.List;
import org.micromanager.LogManager;
import org.micromanager.Studio;
import org.micromanager.data.DataManager;
import org.n2dlive.mm.contract.ModelDataManager;

/**
 * The {@link Studio} the plugin is given in these tests: {@code data()} builds images, coordinates and metadata
 * with our contract model's classes, and {@code logs()} records every line (Micro-Manager's log file).
 * Thread-safe (the log synchronizes).
 */
final class StudioStandIn {
    private final List<String> lines = new ArrayList<>();
    private final DataManager data = new ModelDataManager();
    private final LogManager log = new LogManager() {
        @Override
        public void logMessage(String msg) {
            add(msg);
        }

        @Override
        public void logError(Exception e, String msg) {
            add("ERROR " + e + " " + msg);
        }

        @Override
        public void logError(String msg) {
            add("ERROR " + msg);
        }

        @Override
        public void showError(String msg) {
            add("ERROR " + msg);
        }
    };
    private final Studio studio = new Studio() {
        @Override
        public DataManager data() {
            return data;
        }

        @Override
        public LogManager logs() {
            return log;
        }

        @Override
        public org.micromanager.display.DisplayManager displays() {
            return java.util.Collections::emptyList; // headless: no image windows
        }
    };

    Studio studio() {
        return studio;
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Log lines containing {@code text}. */
    synchronized long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }
}
