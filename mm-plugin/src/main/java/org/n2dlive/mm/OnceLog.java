package org.n2dlive.mm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.micromanager.LogManager;

/**
 * Writes each kind of problem to Micro-Manager's log once, however many frames hit it: a camera
 * streaming RGB at 100 frames/s must not flood the log. Thread-safe (keys in a concurrent set).
 */
public final class OnceLog {
    private final LogManager log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public OnceLog(LogManager log) {
        this.log = log;
    }

    /** Logs {@code msg} unless {@code key} was logged before; returns whether it logged. */
    public boolean warn(String key, String msg) {
        if (!seen.add(key)) return false;
        if (log != null) {
            log.logMessage("[n2d-live] WARNING: " + msg);
        }
        return true;
    }

    /** Logs an error with its cause once per key. */
    public boolean error(String key, Throwable cause, String msg) {
        if (!seen.add(key)) return false;
        if (log != null) {
            if (cause instanceof Exception) {
                log.logError((Exception) cause, "[n2d-live] " + msg);
            } else {
                log.logError("[n2d-live] " + msg + (cause == null ? "" : ": " + cause));
            }
        }
        return true;
    }

    /** Plain information, every time (rare events only: model start, settings). */
    public void info(String msg) {
        if (log != null) {
            log.logMessage("[n2d-live] " + msg);
        }
    }
}
