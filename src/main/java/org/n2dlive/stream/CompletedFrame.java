package org.n2dlive.stream;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;

/**
 * One finished frame as handed to a {@link CompletedFrameConsumer}. A view of a reused ring slot: valid only
 * during {@code accept()}; copy the pixels (e.g. {@link Frame#copy()}) to keep them. Producer thread only.
 */
public final class CompletedFrame {
    private final boolean keepRaw;
    private SlotPayload p;
    private boolean last;

    CompletedFrame(boolean keepRaw) {
        this.keepRaw = keepRaw;
    }

    void bind(SlotPayload payload, boolean lastOfDrain) {
        this.p = payload;
        this.last = lastOfDrain;
    }

    /** The series this frame belongs to. */
    public SeriesKey series() {
        return p.series;
    }

    /** The context given to {@link FrameStream#publish(org.n2dlive.frame.PixelType, int, int, Object, long, Object)}, or null. */
    public Object context() {
        return p.context;
    }

    /** True for the newest frame this drain hands over (the one a LIVE view shows; older ones are superseded). */
    public boolean last() {
        return last;
    }

    /** The caller's id given to {@link FrameStream#publish}. */
    public long tag() {
        return p.tag;
    }

    /** This frame's position among all accepted frames of the stream, from 0 (LIVE: gaps where frames dropped). */
    public long sequence() {
        return p.sequence;
    }

    /** The denoised frame, or the raw frame copied through when {@link #passedThrough()}. Never null. */
    public Frame denoised() {
        return p.output;
    }

    /** The input frame as published; null unless the stream keeps raw frames. */
    public Frame raw() {
        return keepRaw ? p.input : null;
    }

    /**
     * True when {@link #denoised()} holds the raw pixels: the denoiser failed or was refused on this frame, or (see
     * {@link #behind()}) the model never saw it.
     */
    public boolean passedThrough() {
        return p.passedThrough;
    }

    /** True when the frame passed through because its source could not wait for the model ({@link FrameStream#sourceCanWait}). */
    public boolean behind() {
        return p.behind;
    }

    /** Why the frame passed through (exception class and message), or null. */
    public String error() {
        return p.error;
    }

    /** The denoiser's exception when the frame passed through, or null (always null when {@link #behind()}). */
    public Throwable failure() {
        return p.failure;
    }

    /** What the denoiser did on this frame (adaptation steps, loss, timings). */
    public DenoiseReport report() {
        return p.report;
    }

    /** Publish → completion by the worker, ns. */
    public long latencyNanos() {
        return p.completedNanos - p.publishedNanos;
    }

    @Override
    public String toString() {
        return p == null ? "CompletedFrame[unbound]" : "CompletedFrame[tag=" + p.tag + " seq=" + p.sequence + " "
                + p.output + (p.passedThrough ? " passed-through" : "") + "]";
    }
}
