package org.n2dlive.synth;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;

/**
 * A stream of camera frames for headless runs and tests: synthetic (with ground truth) or recorded (files,
 * ground truth when a clean reference is given). Frames are addressed by index; indices past the natural
 * length loop. Not thread-safe: returned frames may be scratch buffers valid until the next call.
 */
public interface FrameSource {
    /** One line for logs: what the stream is and where it comes from. */
    String describe();

    /** The natural number of frames (a recording's length; a synthetic stream's default length). */
    int length();

    /** The natural frame rate in frames per second; NaN when unknown. */
    double fps();

    /** Frame i (looping past {@link #length()}). */
    Frame frame(int i);

    boolean hasGroundTruth();

    /** The clean reference of frame i in the same units as the frame (FLOAT32 allowed), or null. */
    Frame groundTruth(int i);

    /**
     * The series (stage position, channel, z) frame i belongs to: frames of one series are successive noise
     * draws of one scene. A plain time-lapse has one.
     */
    default SeriesKey series(int i) {
        return SeriesKey.SINGLE;
    }

    /** How many series the frames cycle through. */
    default int seriesCount() {
        return 1;
    }
}
