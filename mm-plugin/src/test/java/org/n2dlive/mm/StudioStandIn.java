package org.n2dlive.mm;

import java.util.ArrayList;
import java.util.List;
import org.micromanager.LogManager;
import org.micromanager.Studio;
import org.micromanager.data.DataManager;
import org.n2dlive.mm.contract.ModelDataManager;

/**
 * The {@link Studio} the plugin is given in these tests: {@code data()} builds images, coordinates and metadata
 * with our contract model's classes, {@code logs()} records every line (Micro-Manager's log file), and
 * {@code core()} is our model of the core (whether a camera sequence runs).
 * Thread-safe (the log synchronizes).
 */
final class StudioStandIn {
    private final List<String> lines = new ArrayList<>();
    private final DataManager data = new ModelDataManager();
    private final mmcorej.CMMCore core = new mmcorej.CMMCore();
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

        @Override
        public mmcorej.CMMCore core() {
            return core;
        }
    };

    /** The core model: a test starts and stops camera sequences on it. */
    mmcorej.CMMCore core() {
        return core;
    }

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
