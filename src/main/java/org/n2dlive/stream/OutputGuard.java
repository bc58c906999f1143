package org.n2dlive.stream;

import java.util.Locale;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Checks a denoised frame against the raw frame it came from, so that no frame the model cannot vouch for reaches
 * the user. A denoiser removes noise: what it takes away (the residual raw − out) has about zero mean and an energy
 * of the order of the noise variance. The noise is bounded from above, without a model, by half the mean squared
 * difference of horizontal neighbours (noise plus the image's own local variation). An output fails when
 * <ul>
 *   <li>a pixel is not finite;</li>
 *   <li>its mean moved from the raw mean by more than half that noise bound's standard deviation plus 10 % of the raw
 *       mean (room for a temporal stage's lag behind a bleaching or brightening scene) (a denoiser keeps the level; a black, zeroed or saturated frame does not);</li>
 *   <li>the residual's energy exceeds {@value #ENERGY_FACTOR}× the noise bound (an output far from its input).</li>
 * </ul>
 * On real and synthetic streams a right output removes well under the bound (its residual is the noise, the bound
 * adds the structure), and the mean moves by a fraction of a count; a zeroed or black frame fails both.
 *
 * <p>One pass over the pixels. Stateless; any thread.
 */
public final class OutputGuard {
    static final double ENERGY_FACTOR = 4;
    static final double MEAN_NOISE_SHARE = 0.5;
    static final double MEAN_LEVEL_SHARE = 0.1;

    private OutputGuard() {
    }

    /** Null when {@code out} is a plausible denoising of {@code raw}; else why not. */
    public static String check(Frame raw, Frame out) {
        if (out.width() != raw.width() || out.height() != raw.height()) {
            return "output size " + out.width() + "x" + out.height() + " differs from the input's " + raw.width() + "x"
                    + raw.height();
        }
        int w = raw.width();
        int h = raw.height();
        double sumRaw;
        double sumOut;
        double residualEnergy;
        double neighbour;
        long pairs = (long) (w - 1) * h;
        if (raw.type() == out.type() && raw.type().isInteger()) {
            // integer pixels: exact sums in longs, in loops the JIT vectorises (one 2048² frame: a few ms)
            long[] sums = raw.type() == PixelType.GRAY16 ? sums(raw.shorts(), out.shorts(), w, h) : sums(raw.bytes(), out.bytes(), w, h);
            sumRaw = sums[0];
            sumOut = sums[1];
            residualEnergy = sums[2];
            neighbour = sums[3];
        } else {
            sumRaw = 0;
            sumOut = 0;
            residualEnergy = 0;
            neighbour = 0;
            for (int y = 0; y < h; y++) {
                int row = y * w;
                double prev = raw.get(row);
                for (int x = 0; x < w; x++) {
                    double r = raw.get(row + x);
                    double o = out.get(row + x);
                    if (!Double.isFinite(o)) {
                        return String.format(Locale.ROOT, "output pixel (%d,%d) is %s", x, y, o);
                    }
                    sumRaw += r;
                    sumOut += o;
                    residualEnergy += (r - o) * (r - o);
                    if (x > 0) neighbour += (r - prev) * (r - prev);
                    prev = r;
                }
            }
        }
        long n = (long) w * h;
        double meanRaw = sumRaw / n;
        double meanOut = sumOut / n;
        // a flat frame (no pairs, or no variation) is bounded by its level alone
        double noiseBound = pairs == 0 ? 0 : neighbour / (2.0 * pairs);
        double meanTolerance = MEAN_NOISE_SHARE * Math.sqrt(noiseBound) + MEAN_LEVEL_SHARE * Math.abs(meanRaw) + 1e-6;
        if (Math.abs(meanOut - meanRaw) > meanTolerance) {
            return String.format(Locale.ROOT, "output mean %.4g is %.4g from the input mean %.4g (allowed %.3g)", meanOut,
                    meanOut - meanRaw, meanRaw, meanTolerance);
        }
        double energy = residualEnergy / n;
        if (energy > ENERGY_FACTOR * noiseBound + 1e-12 + (MEAN_LEVEL_SHARE * meanRaw) * (MEAN_LEVEL_SHARE * meanRaw)) {
            return String.format(Locale.ROOT, "output differs from the input by an energy of %.4g, over %.0f× the input's"
                    + " noise bound %.4g", energy, ENERGY_FACTOR, noiseBound);
        }
        return null;
    }

    /** Raw sum, output sum, residual energy, horizontal-neighbour energy of 16-bit frames, exact. */
    private static long[] sums(short[] raw, short[] out, int w, int h) {
        long sumRaw = 0, sumOut = 0, residual = 0, neighbour = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = row; i < row + w; i++) {
                int r = raw[i] & 0xFFFF, o = out[i] & 0xFFFF;
                sumRaw += r;
                sumOut += o;
                long d = r - o;
                residual += d * d;
            }
            for (int i = row + 1; i < row + w; i++) {
                long d = (raw[i] & 0xFFFF) - (raw[i - 1] & 0xFFFF);
                neighbour += d * d;
            }
        }
        return new long[] {sumRaw, sumOut, residual, neighbour};
    }

    /** {@link #sums(short[], short[], int, int)} for 8-bit frames. */
    private static long[] sums(byte[] raw, byte[] out, int w, int h) {
        long sumRaw = 0, sumOut = 0, residual = 0, neighbour = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = row; i < row + w; i++) {
                int r = raw[i] & 0xFF, o = out[i] & 0xFF;
                sumRaw += r;
                sumOut += o;
                long d = r - o;
                residual += d * d;
            }
            for (int i = row + 1; i < row + w; i++) {
                long d = (raw[i] & 0xFF) - (raw[i - 1] & 0xFF);
                neighbour += d * d;
            }
        }
        return new long[] {sumRaw, sumOut, residual, neighbour};
    }
}
