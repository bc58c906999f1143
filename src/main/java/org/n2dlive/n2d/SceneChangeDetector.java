package org.n2dlive.n2d;

/**
 * Decides whether a frame shows a different scene from the frames before it, from the frames alone and with no
 * scale: the statistic is a correlation, so it does not change with brightness, offset, gain or noise level.
 *
 * <p>Each frame is reduced to the means of {@value #BLOCK}×{@value #BLOCK} blocks. Between this frame and the last
 * frame that had structure, the covariance of the block means carries no noise (the two frames' noise draws are
 * independent); each frame's variance of block means does, and that part is estimated from the frame itself: the
 * pixel noise variance from diagonal neighbour differences, E[(u(x,y) − u(x+1,y+1))²]/2 (this includes some edge
 * contrast, so it over-estimates the noise and the correlation leans towards "same scene"), divided by the block's
 * pixel count. The noise-corrected correlation is then cov / √((var₁ − noise₁)(var₂ − noise₂)): about 1 for the same
 * scene (drift, blinking and moving objects lower it a little), about 0 for an unrelated one.
 *
 * <p>A frame whose block structure is not clearly above its noise (signal variance below {@value #STRUCTURE}× the
 * noise variance of the block means: a dark, flat or very sparse frame) gives no verdict (NaN) and does not become the reference.
 * Hysteresis: a change is reported when the correlation falls below {@code threshold}; the next one only after the
 * correlation has come back above {@code rearm}, so a scene that stays unsettled (a stage move, a focus sweep)
 * starts one re-fit, not one per frame.
 *
 * <p>Threading: one thread (the denoiser's worker). Buffers are allocated per frame size, never per frame.
 */
final class SceneChangeDetector {
    static final int BLOCK = 8;
    /** Below this many blocks the correlation is too noisy to decide (its spread is ~1/√blocks). */
    static final int MIN_BLOCKS = 16;
    /**
     * A verdict needs the block means' signal variance this many times their noise variance (signal-to-noise 2 in
     * amplitude): at 1 (a cell scene at ~3 photons peak) the static correlation was measured as low as 0.71.
     */
    static final double STRUCTURE = 4;

    private final double threshold;
    private final double rearm;
    private int width = -1;
    private int height = -1;
    private int bx;
    private int by;
    private float[] means = new float[0];
    private float[] reference = new float[0];
    private boolean hasReference;
    private double referenceSignalVar;
    private boolean armed = true;
    private double last = Double.NaN;

    /**
     * @param threshold a correlation below this is a scene change (0 < threshold < 1)
     */
    SceneChangeDetector(double threshold) {
        if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        this.threshold = threshold;
        this.rearm = Math.min(0.95, threshold + 0.5 * (1 - threshold));
    }

    /** Forgets the reference (a new stream geometry, or after a re-fit has started). */
    void reset() {
        hasReference = false;
        armed = true;
        last = Double.NaN;
    }

    /** The correlation of the latest frame with its reference; NaN when there was no verdict. */
    double lastCorrelation() {
        return last;
    }

    /**
     * Looks at one frame in unit range, row-major {@code w × h}.
     *
     * @return true when this frame starts a different scene
     */
    boolean observe(float[] u, int w, int h) {
        if (w != width || h != height) resize(w, h);
        last = Double.NaN;
        int blocks = bx * by;
        if (blocks < MIN_BLOCKS) return false;
        double noise = blockMeans(u, w);
        double mean = 0;
        for (int b = 0; b < blocks; b++) mean += means[b];
        mean /= blocks;
        double var = 0;
        for (int b = 0; b < blocks; b++) {
            double d = means[b] - mean;
            var += d * d;
        }
        var /= blocks - 1;
        double signalVar = var - noise;
        if (!(signalVar > STRUCTURE * noise)) return false; // no structure clearly above the noise: nothing to compare
        boolean change = false;
        if (hasReference) {
            double refMean = 0;
            for (int b = 0; b < blocks; b++) refMean += reference[b];
            refMean /= blocks;
            double cov = 0;
            for (int b = 0; b < blocks; b++) cov += (means[b] - mean) * (reference[b] - refMean);
            cov /= blocks - 1;
            last = cov / Math.sqrt(signalVar * referenceSignalVar);
            if (armed && last < threshold) {
                change = true;
                armed = false;
            } else if (!armed && last > rearm) {
                armed = true;
            }
        }
        System.arraycopy(means, 0, reference, 0, blocks);
        referenceSignalVar = signalVar;
        hasReference = true;
        return change;
    }

    private void resize(int w, int h) {
        width = w;
        height = h;
        bx = w / BLOCK;
        by = h / BLOCK;
        means = new float[Math.max(0, bx * by)];
        reference = new float[means.length];
        reset();
    }

    /**
     * Fills {@link #means} with the block means (blocks that do not fit at the right and bottom edges are left out)
     * and returns the noise variance of one block mean: the pixel noise variance over the same pixels, estimated from
     * diagonal neighbour differences, divided by the pixels per block.
     */
    private double blockMeans(float[] u, int w) {
        double diffSq = 0;
        long pairs = 0;
        for (int j = 0; j < by; j++) {
            for (int i = 0; i < bx; i++) {
                double sum = 0;
                for (int y = j * BLOCK; y < (j + 1) * BLOCK; y++) {
                    int row = y * w;
                    boolean lastRow = y + 1 >= height;
                    for (int x = i * BLOCK; x < (i + 1) * BLOCK; x++) {
                        float v = u[row + x];
                        sum += v;
                        if (!lastRow && x + 1 < w) {
                            double d = v - u[row + w + x + 1];
                            diffSq += d * d;
                            pairs++;
                        }
                    }
                }
                means[j * bx + i] = (float) (sum / (BLOCK * BLOCK));
            }
        }
        double pixelNoiseVar = pairs == 0 ? 0 : diffSq / pairs / 2;
        return pixelNoiseVar / (BLOCK * BLOCK);
    }
}
