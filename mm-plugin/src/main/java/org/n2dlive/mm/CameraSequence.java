package org.n2dlive.mm;

import mmcorej.CMMCore;
import org.micromanager.Studio;

/**
 * Whether the camera is acquiring a sequence: the core fills a circular buffer of fixed size and the acquisition
 * engine empties it into the pipeline, so a processor that made the pipeline wait would overflow it (Micro-Manager
 * stops with "Sequence buffer overflowed" and the rest of the acquisition is lost). Asked through
 * {@code Studio.core()}; where there is no core to ask, the answer is false and acquisitions wait for the model as
 * before, which is said once in the log.
 *
 * <p>Threading: any thread (the core's call is thread-safe; the cached core is published through a volatile).
 */
final class CameraSequence {
    private final Studio studio;
    private final OnceLog log;
    private volatile CMMCore core;
    private volatile boolean unknown;

    CameraSequence(Studio studio, OnceLog log) {
        this.studio = studio;
        this.log = log;
    }

    boolean running() {
        if (unknown) return false;
        try {
            CMMCore c = core;
            if (c == null) {
                c = studio.core();
                if (c == null) return unavailable("Micro-Manager gave no core");
                core = c;
            }
            return c.isSequenceRunning();
        } catch (RuntimeException | LinkageError e) {
            return unavailable(e.toString());
        }
    }

    private boolean unavailable(String why) {
        unknown = true;
        log.warn("no-core", "cannot tell whether the camera runs a sequence (" + why + "); acquisitions wait for the "
                + "model, which a fast hardware-timed sequence may overflow");
        return false;
    }
}
