package org.n2dlive.mm;

import org.n2dlive.frame.Frame;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * Stands in for a model that could not be built (engine or natives missing, bad profile, ...): every
 * frame fails with the original cause, so the stream passes raw frames through, flagged, and the
 * processor reports the cause once. Immutable.
 */
final class FailedModel implements FrameDenoiser {
    private final Throwable cause;
    private final String message;

    FailedModel(String message, Throwable cause) {
        this.message = message;
        this.cause = cause;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        throw new IllegalStateException(message, cause);
    }

    String message() {
        return message;
    }

    @Override
    public void close() {
    }
}
