package org.n2dlive.stream;

/**
 * A denoiser's own verdict that it cannot vouch for this frame's output (a non-finite loss, weight or pixel). It has
 * already rolled its model back; the stream passes the raw frame through, flagged, and counts it as guarded rather
 * than as an engine failure.
 */
public final class GuardedFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public GuardedFrameException(String reason) {
        super(reason);
    }
}
