package org.n2dlive.mm.host;

import java.util.ArrayList;
import java.util.List;
import org.micromanager.LogManager;

/** Test LogManager: keeps every line (thread-safe). showError is recorded separately (a modal dialog in MM). */
public final class SimLog implements LogManager {
    private final List<String> lines = new ArrayList<>();
    private final List<String> shown = new ArrayList<>();

    @Override
    public synchronized void logMessage(String msg) {
        lines.add(msg);
    }

    @Override
    public synchronized void logError(Exception e, String msg) {
        lines.add("ERROR " + msg + " :: " + e);
    }

    @Override
    public synchronized void logError(String msg) {
        lines.add("ERROR " + msg);
    }

    @Override
    public synchronized void showError(String msg) {
        shown.add(msg);
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    public synchronized List<String> shown() {
        return new ArrayList<>(shown);
    }

    /** Lines containing the given text. */
    public synchronized long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }
}
