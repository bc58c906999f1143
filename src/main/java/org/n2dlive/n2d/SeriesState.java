package org.n2dlive.n2d;

import java.util.Random;
import org.n2dlive.engine.pytorch.TorchAdam;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.RangeGuard;

/**
 * What one series has learned in a {@link WarmStartDenoiser}, held in Java memory while the series is parked so
 * that the model (nets, optimiser, engine sessions, frame buffers: the costly native part) can serve another series:
 * the weights, Adam's moments and step count, the stated mapping, the range guard, the scene detector's reference,
 * the crop generator and the warm-up counters. {@link WarmStartDenoiser#resume} puts the series back exactly as it
 * was. About 0.26 MB per series at 48 channels and 256² (weights 85 KB, Adam 170 KB, scene reference 8 KB). When the
 * positions and z-slices of a channel share the model, this is the model's state, the detector the one its last
 * series used; {@link SeriesDenoiser} parks the other series' detectors beside it.
 *
 * <p>Threading: made and consumed on the worker thread; the parts it holds are no longer used by any model.
 */
public final class SeriesState {
    /** The weights the series had (never null). */
    final WarmWeights weights;
    /** Null when the state holds the weights alone (a model that is not a {@link WarmStartDenoiser}). */
    final TorchAdam.State adamF;
    final TorchAdam.State adamG;
    final PixelType type;
    final int width;
    final int height;
    final Normalization normalization;
    final RangeGuard range;
    /** Held, not copied: the model resumes with this object (its scene detector the last series' one). */
    final WarmUp warmUp;
    final Random random;

    SeriesState(WarmWeights weights, TorchAdam.State adamF, TorchAdam.State adamG, PixelType type, int width, int height,
                Normalization normalization, RangeGuard range, WarmUp warmUp, Random random) {
        this.weights = weights;
        this.adamF = adamF;
        this.adamG = adamG;
        this.type = type;
        this.width = width;
        this.height = height;
        this.normalization = normalization;
        this.range = range;
        this.warmUp = warmUp;
        this.random = random;
    }

    /** The weights alone, for a model that can only be started from weights. */
    static SeriesState weightsOnly(WarmWeights weights) {
        return new SeriesState(weights, null, null, null, 0, 0, null, null, null, null);
    }

    /** Whether the whole state is held (weights, optimiser, mapping, detector), not the weights alone. */
    public boolean complete() {
        return adamF != null;
    }

    public WarmWeights weights() {
        return weights;
    }

    /** The mapping the series had; null before its first frame or for weights alone. */
    public Normalization normalization() {
        return normalization;
    }

    /** Adam steps of net f so far; 0 for weights alone. */
    public long optimizerSteps() {
        return adamF == null ? 0 : adamF.steps();
    }

    /** Bytes held (weights, moments, scene reference; small objects not counted). */
    public long bytes() {
        long n = 4L * count(weights.f.arrays()) + (weights.g == null ? 0 : 4L * count(weights.g.arrays()));
        if (adamF != null) n += adamF.bytes();
        if (adamG != null) n += adamG.bytes();
        if (width > 0) n += 8L * (width / SceneChangeDetector.BLOCK) * (height / SceneChangeDetector.BLOCK);
        return n;
    }

    private static long count(float[][] arrays) {
        long n = 0;
        for (float[] a : arrays) n += a.length;
        return n;
    }
}
