package org.n2dlive.stream;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;

/**
 * What the streaming worker calls for every frame it takes: noisy frame in, denoised frame out.
 *
 * <p>Threading: called only from the one worker thread that owns it (models are bound to a device and
 * to that thread's grad mode); never concurrently. {@code close} is called on that thread too, once.
 */
public interface FrameDenoiser extends AutoCloseable {

    /**
     * Denoises {@code src} into {@code dst}. {@code dst} is a reused buffer: the implementation reshapes it
     * to the source's type and size ({@link Frame#reshape}) unless it wants another output type.
     * Fills {@code report} (pre-allocated, reset by the caller) with what was done for this frame.
     *
     * @throws Exception on any engine failure; the stream then passes the raw frame through, flagged
     */
    void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception;

    /**
     * Denoises a frame of the given series (position, channel, z). Only frames of one series are successive
     * noise draws of one scene; a denoiser that keeps state per series ({@code SeriesDenoiser}) routes by it.
     * By default the series is ignored; a decorator that wraps another denoiser must override this and pass the
     * series on (the plugin's model view does), or every series would reach one model.
     */
    default void denoise(SeriesKey series, Frame src, Frame dst, DenoiseReport report) throws Exception {
        denoise(src, dst, report);
    }

    /**
     * True for a denoiser that learns from the frames (a model whose weights move): the stream checks each of its
     * outputs against the input ({@link OutputGuard}), since training can go wrong silently. A fixed function is
     * not checked. A decorator answers as what it wraps.
     */
    default boolean learns() {
        return false;
    }

    /**
     * The output this denoiser just gave for {@code series} failed the stream's check ({@link OutputGuard}) and was
     * replaced by the raw frame: a learning model rolls back to its last good state. A denoiser that learns nothing
     * has nothing to undo; a decorator must pass this on, as it passes frames.
     */
    default void outputRejected(SeriesKey series, String reason) {
    }

    /** A short identity of the current weights (changes as they adapt), for provenance. */
    default String weightsFingerprint() {
        return "";
    }

    @Override
    void close();
}
