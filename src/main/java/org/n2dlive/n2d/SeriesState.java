package org.n2dlive.n2d;

import java.util.Random;
import org.n2dlive.engine.pytorch.TorchAdam;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.RangeGuard;

/**
 * One series' state in a {@link WarmStartDenoiser}, held by reference: the model works on the object it is handed
 * ({@link WarmStartDenoiser#resume}) and a parked series keeps that object as it was: the frame geometry, the stated
 * mapping, the range guard, the warm-up (with its scene detector) and the crop generator. Only what lives in the
 * model's native tensors is copied, since they serve another series meanwhile: the nets' weights and Adam's moments
 * ({@link #park}). About 0.26 MB per parked series at 48 channels and 256² (weights 85 KB, Adam 170 KB, scene
 * reference 8 KB). When the positions and z-slices of a channel share the model, this is the model's state, its
 * detector the one its last series used; {@link SeriesDenoiser} keeps each series' own.
 *
 * <p>Threading: the worker's.
 */
public final class SeriesState {
    /** The geometry and type of the series' frames; type null before its first frame. */
    PixelType type;
    int width;
    int height;
    /** The stated mapping in use (null before the first frame). */
    Normalization normalization;
    /** Widens the mapping before a brighter frame clips, and counts what still clips. */
    final RangeGuard range = new RangeGuard();
    /** When to warm up and how far it is; null for weights alone. */
    final WarmUp warmUp;
    /** Draws the crops and raw-frame steps; null for weights alone. */
    final Random random;
    /** While parked: copies of the nets' weights and Adam's moments (the moments null for weights alone). */
    WarmWeights weights;
    TorchAdam.State adamF;
    TorchAdam.State adamG;

    /** A series never seen: its first frame warms up; weights from the seed. */
    SeriesState(WarmStartSettings settings) {
        warmUp = new WarmUp(settings.initialSteps(), settings.sceneChangeCorrelation());
        random = new Random(settings.seed());
    }

    /** The weights alone, for a model that can only be started from weights. */
    SeriesState(WarmWeights weights) {
        warmUp = null;
        random = null;
        this.weights = weights;
    }

    /** Keeps the copies of what the model's native tensors held for this series. */
    void park(WarmWeights weights, TorchAdam.State adamF, TorchAdam.State adamG) {
        this.weights = weights;
        this.adamF = adamF;
        this.adamG = adamG;
    }

    /** Whether the whole state is held (weights, optimiser, mapping, detector), not the weights alone. */
    boolean complete() {
        return adamF != null;
    }

    /** Throws unless {@code f} has this series' geometry and pixel type ({@code what}, {@code ours}: how to name them). */
    void requireGeometry(Frame f, String what, String ours) {
        if (f.width() != width || f.height() != height || f.type() != type) {
            throw new IllegalArgumentException(what + " (" + f.width() + "x" + f.height() + " " + f.type()
                    + ") does not match " + ours + " (" + width + "x" + height + " " + type + ")");
        }
    }
}
