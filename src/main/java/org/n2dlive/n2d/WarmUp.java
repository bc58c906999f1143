package org.n2dlive.n2d;

import java.util.Locale;
import org.n2dlive.stream.DenoiseReport;

/**
 * When a {@link WarmStartDenoiser} warms up, and how far it is. A warm-up (the first frame, a scene change, a size or
 * bit-depth change, a rollback) trains {@code initial_steps} steps per net over as many frames as the warm-up budget
 * needs; every warm-up after the first counts as a re-fit. Scene changes are decided by {@link SceneChangeDetector}
 * from the frames themselves (a correlation, free of brightness and noise level, with hysteresis), not by the
 * adaptation loss, which re-fitted over and over on a static real confocal stream.
 *
 * <p>A parked series keeps this object ({@link SeriesState}); the model resumes with it. Threading: the worker's.
 */
final class WarmUp {
    static final String FIRST_FRAME = "first frame";

    private final int initialSteps;
    private final double sceneChangeCorrelation;
    /** The detector the next frame is observed by: one per series when series share a model. */
    SceneChangeDetector scenes;
    /** Warm-up steps per net still to run; 0 once warm. */
    private int stepsLeft;
    /** A warm-up must start on the next frame, for this reason (null: none pending). */
    private String pending = FIRST_FRAME;
    private int refits;

    WarmUp(int initialSteps, double sceneChangeCorrelation) {
        this.initialSteps = initialSteps;
        this.sceneChangeCorrelation = sceneChangeCorrelation;
        this.scenes = new SceneChangeDetector(sceneChangeCorrelation);
    }

    /** A new frame size or bit depth: the detector starts over, and a warm-up is due for this reason (null: none). */
    void geometryChanged(String reason) {
        if (reason != null) pending = reason;
        scenes.reset();
    }

    /**
     * Observes the frame (unit range) and starts the warm-up due on it, if any: the scene detector's verdict, or a
     * reason already pending. Fills the report's correlation and warm-up reason.
     *
     * @return whether a re-fit started (a warm-up after the first): the learning-rate schedule starts again from the
     * base rate, since a long session has halved it many times and a new scene must be learnt at the first one's rate
     */
    boolean observe(float[] unit, int width, int height, DenoiseReport report) {
        if (scenes.observe(unit, width, height) && pending == null) {
            pending = String.format(Locale.ROOT, "scene change: correlation %.2f with the previous frame (below %.2f)",
                    scenes.lastCorrelation(), sceneChangeCorrelation);
        }
        report.sceneCorrelation = scenes.lastCorrelation();
        if (pending == null) return false;
        boolean first = pending == FIRST_FRAME; // identity: only the constant marks the very first warm-up
        report.refitted = true;
        report.refitReason = pending;
        pending = null;
        if (!first) refits++;
        stepsLeft = initialSteps;
        return !first;
    }

    /** Warm-up steps per net still to run; 0 once warm. */
    int stepsLeft() {
        return stepsLeft;
    }

    void stepsDone(int steps) {
        stepsLeft -= steps;
    }

    int refits() {
        return refits;
    }

    /**
     * Weights were installed: the next frame adapts. Weights from another scene ({@code warmUpAfter}) still warm up
     * here, as the first warm-up of this model (not a re-fit): adopting them as adapted cost quality
     * (docs/design.md).
     */
    void weightsLoaded(boolean warmUpAfter) {
        stepsLeft = 0;
        if (pending == FIRST_FRAME && !warmUpAfter) pending = null;
    }

    /** Warm up again from here (a rollback: whatever broke the model is gone with it). */
    void restart() {
        stepsLeft = initialSteps;
    }
}
