package org.n2dlive.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * A simulated camera with known ground truth: a clean image (or a stack, cycled), moved by a
 * {@link SceneMotion}, exposed through a {@link CameraModel} at a stated frame rate. Frame i's noise comes
 * from a generator seeded by (seed, i), so every frame can be made again, in any order, and the same seed
 * gives the same stream. With a {@link Bleaching}, frame i's clean plane fades by its per-pixel rates before it moves
 * (the moving objects are drawn after, unfaded), and the ground truth fades alike. Not thread-safe (scratch buffers are reused); use one per thread.
 */
public final class SyntheticCamera {
    private final List<float[]> clean;
    private final int width;
    private final int height;
    private final SceneMotion motion;
    private final CameraModel camera;
    private final long seed;
    private final double fps;
    private final float[] moved;
    /** Null: no bleaching (every stream before bleaching existed renders bit for bit as it did). */
    private final Bleaching bleaching;
    private final float[] faded;

    /**
     * @param clean  one or more clean planes in unit range (1 = the brightest, photons() electrons), width × height
     * @param fps    the frame rate the camera claims (> 0)
     */
    public SyntheticCamera(List<float[]> clean, int width, int height, SceneMotion motion, CameraModel camera, long seed, double fps) {
        this(clean, width, height, motion, camera, seed, fps, null);
    }

    /** @param bleaching how the scene fades frame by frame, or null for not at all */
    public SyntheticCamera(List<float[]> clean, int width, int height, SceneMotion motion, CameraModel camera, long seed, double fps,
                           Bleaching bleaching) {
        if (clean.isEmpty()) throw new IllegalArgumentException("the synthetic camera needs at least one clean plane");
        for (float[] c : clean) {
            if (c.length != width * height) {
                throw new IllegalArgumentException("a clean plane holds " + c.length + " pixels, not " + width + "x" + height);
            }
        }
        if (!(fps > 0) || Double.isInfinite(fps)) throw new IllegalArgumentException("fps must be > 0, got " + fps);
        this.clean = Collections.unmodifiableList(new ArrayList<>(clean));
        this.width = width;
        this.height = height;
        this.motion = motion;
        this.camera = camera;
        this.seed = seed;
        this.fps = fps;
        this.moved = new float[width * height];
        if (bleaching != null && (bleaching.width() != width || bleaching.height() != height)) {
            throw new IllegalArgumentException("the bleaching field is " + bleaching.width() + "x" + bleaching.height() + ", the scene "
                    + width + "x" + height);
        }
        this.bleaching = bleaching;
        this.faded = bleaching == null ? null : new float[width * height];
    }

    /** How the scene fades, or null. */
    public Bleaching bleaching() {
        return bleaching;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelType type() {
        return camera.type();
    }

    public double fps() {
        return fps;
    }

    public CameraModel camera() {
        return camera;
    }

    public SceneMotion motion() {
        return motion;
    }

    /** Frame i's clean scene in unit range (after motion), into {@code out} (length ≥ width·height). */
    public void cleanScene(int i, float[] out) {
        float[] plane = clean.get(Math.floorMod(i, clean.size()));
        if (bleaching != null) {
            bleaching.apply(plane, i, faded);
            plane = faded;
        }
        motion.render(plane, width, height, i, out);
    }

    /** Noisy frame i, into {@code out} (reshaped to the camera's type); returns it. */
    public Frame frame(int i, Frame out) {
        cleanScene(i, moved);
        camera.expose(moved, width, height, new SplittableRandom(mix(seed, i)), out);
        return out;
    }

    public Frame frame(int i) {
        return frame(i, Frame.allocate(camera.type(), width, height));
    }

    /** Frame i's ground truth: the noise-free camera values (ADU) as FLOAT32, into {@code out}; returns it. */
    public Frame groundTruth(int i, Frame out) {
        cleanScene(i, moved);
        camera.expectedImage(moved, width, height, out);
        return out;
    }

    public Frame groundTruth(int i) {
        return groundTruth(i, Frame.allocate(PixelType.FLOAT32, width, height));
    }

    /** A well-spread generator seed per (stream seed, frame index): SplitMix64 finalizer. */
    static long mix(long seed, long i) {
        long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
