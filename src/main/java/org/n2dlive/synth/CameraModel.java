package org.n2dlive.synth;

import java.util.Locale;
import java.util.SplittableRandom;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * A camera's noise, Poisson–Gaussian: a pixel of clean intensity u (unit range, 1 = brightest) collects
 * Poisson(photons·u) photoelectrons, read noise adds N(0, readNoise²) electrons, and the converter outputs
 * round(offset + gain·electrons), clipped to the bit depth. So the expected value is offset + gain·photons·u
 * and the variance gain²·(photons·u + readNoise²) (+1/12 from rounding), away from clipping. Immutable.
 */
public final class CameraModel {
    private final PixelType type;
    private final double photons;
    private final double readNoise;
    private final double offset;
    private final double gain;

    /**
     * @param bitDepth  8 or 16
     * @param photons   mean photoelectrons at unit intensity (> 0)
     * @param readNoise read noise, electrons rms (≥ 0)
     * @param offset    dark level, ADU (≥ 0)
     * @param gain      ADU per electron (> 0), or NaN for automatic: unit intensity lands at 85 % of full scale
     */
    public CameraModel(int bitDepth, double photons, double readNoise, double offset, double gain) {
        if (bitDepth != 8 && bitDepth != 16) throw new IllegalArgumentException("bit depth must be 8 or 16, got " + bitDepth);
        if (!(photons > 0) || Double.isInfinite(photons)) throw new IllegalArgumentException("photons must be > 0, got " + photons);
        if (!(readNoise >= 0) || Double.isInfinite(readNoise)) throw new IllegalArgumentException("read noise must be >= 0, got " + readNoise);
        this.type = bitDepth == 8 ? PixelType.GRAY8 : PixelType.GRAY16;
        if (!(offset >= 0) || offset >= 0.5 * type.fullScale()) {
            throw new IllegalArgumentException("offset must be in 0.." + (int) (0.5 * type.fullScale()) + " ADU, got " + offset);
        }
        double g = Double.isNaN(gain) ? (0.85 * type.fullScale() - offset) / photons : gain;
        if (!(g > 0) || Double.isInfinite(g)) throw new IllegalArgumentException("gain must be > 0 ADU/e-, got " + gain);
        this.photons = photons;
        this.readNoise = readNoise;
        this.offset = offset;
        this.gain = g;
    }

    public PixelType type() {
        return type;
    }

    public double photons() {
        return photons;
    }

    public double offset() {
        return offset;
    }

    public double gain() {
        return gain;
    }

    /** The noise-free camera value (ADU) of unit intensity u. */
    public double expected(double u) {
        return offset + gain * photons * Math.max(0, u);
    }

    /** The model's variance (ADU²) at unit intensity u, before rounding and clipping. */
    public double variance(double u) {
        return gain * gain * (photons * Math.max(0, u) + readNoise * readNoise);
    }

    /** Fills {@code out} (reshaped to this camera's type and size) with one noisy exposure of {@code clean}. */
    public void expose(float[] clean, int width, int height, SplittableRandom r, Frame out) {
        out.reshape(type, width, height);
        int n = width * height;
        double max = type.fullScale();
        for (int i = 0; i < n; i++) {
            double electrons = PoissonSampler.sample(photons * Math.max(0, clean[i]), r);
            if (readNoise > 0) electrons += readNoise * Gaussians.next(r);
            long v = Math.round(offset + gain * electrons);
            v = v < 0 ? 0 : (long) Math.min(v, max);
            if (type == PixelType.GRAY8) {
                out.bytes()[i] = (byte) v;
            } else {
                out.shorts()[i] = (short) v;
            }
        }
    }

    /** Fills {@code out} (FLOAT32) with the noise-free camera values of {@code clean}: the ground truth in ADU. */
    public void expectedImage(float[] clean, int width, int height, Frame out) {
        out.reshape(PixelType.FLOAT32, width, height);
        float[] o = out.floats();
        for (int i = 0; i < width * height; i++) o[i] = (float) Math.min(expected(clean[i]), type.fullScale());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d-bit, %.1f photons at peak, read noise %.2f e-, gain %.3f ADU/e-, offset %.0f ADU",
                type == PixelType.GRAY8 ? 8 : 16, photons, readNoise, gain, offset);
    }
}
