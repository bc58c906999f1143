package org.n2dlive.temporal;

/**
 * PSNR of the denoised output without ground truth. On a static scene consecutive frames are independent noise
 * draws of the same clean image c, so for the previous output o and this raw frame y (whose noise o never saw):
 * <pre>
 *   E[(y − o)²]           = σ² + MSE(o, c)
 *   E[(y − y_prev)²] / 2  = σ²
 * </pre>
 * and MSE(o, c) is the difference. Both means run over the whole frame. The error term is this frame's alone (it
 * falls while the output converges: smoothed, it lagged by 4–6 dB on a converging synthetic stream); the noise term
 * is a running mean over about two frames: σ² follows the brightness, which bleaching changes, and a running mean
 * over ~8 frames lags it (it read FMD field 3, which dims by 16 % over 50 frames, 1.2 dB high, and field 2 0.8 dB
 * low; on each frame alone −0.2 and +0.1 dB, but then too noisy to give a figure on small frames). Per frame the
 * figure is noisy where the output is far better than the raw frame (~0.5 % of σ² per 256² frame). The estimate
 * is of the previous output (it needs the next frame's noise) and is NaN where the premise fails: the first frame
 * after a reset, more than {@link #MAX_MOTION} of the pixels moving, drift above {@link #MAX_DRIFT}, or an error
 * below the statistical resolution. Under drift the previous frames are read at the new position (cubic); the
 * resampled raw frame's noise variance is then Σw² of the taps times σ² ({@link Resample#noiseGain}), which the
 * second mean divides out: E[(y − R·y_prev)²] = σ²·(1 + Σw²).
 *
 * <p>Buffers per geometry; no allocation per frame. Threading: one thread.
 */
public final class QualityReadout {
    /** Motion fraction above which the scene is not static enough to read the error. */
    public static final double MAX_MOTION = 0.02;
    /** Frame-to-frame drift (px) above which no figure is given (the frame edges lose too much). */
    public static final double MAX_DRIFT = 3;

    private float[] prevRaw;
    private float[] prevOut;
    private int n;
    private int width;
    private float[] alignedRaw;
    private float[] alignedOut;
    private float[] tmp;
    private boolean hasPrev;
    /** Weight of the newest frame in the running noise mean (about two frames of memory, see above). */
    private static final double NOISE_ALPHA = 0.5;
    private double noiseMean = Double.NaN;

    public void reset() {
        hasPrev = false;
        noiseMean = Double.NaN;
    }

    /** Buffers for frames of {@code pixels} pixels, {@code w} wide; true when they were (re)made. */
    private boolean allocate(int w, int pixels) {
        if (prevRaw != null && pixels == n && w == width) return false;
        n = pixels;
        width = w;
        prevRaw = new float[n];
        prevOut = new float[n];
        alignedRaw = new float[n];
        alignedOut = new float[n];
        tmp = new float[n];
        return true;
    }

    /** A copy of the previous frame and output this readout compares with, for a parked series. */
    public Snapshot save() {
        if (prevRaw == null || !hasPrev) return null;
        return new Snapshot(width, n, prevRaw.clone(), prevOut.clone(), noiseMean);
    }

    /** Puts back what {@link #save} copied (null: as new). */
    public void restore(Snapshot s) {
        if (s == null) {
            reset();
            return;
        }
        allocate(s.width, s.n);
        System.arraycopy(s.prevRaw, 0, prevRaw, 0, n);
        System.arraycopy(s.prevOut, 0, prevOut, 0, n);
        noiseMean = s.noiseMean;
        hasPrev = true;
    }

    /** The readout's state between frames, in Java memory. Immutable by convention. */
    public static final class Snapshot {
        final int width;
        final int n;
        final float[] prevRaw;
        final float[] prevOut;
        final double noiseMean;

        Snapshot(int width, int n, float[] prevRaw, float[] prevOut, double noiseMean) {
            this.width = width;
            this.n = n;
            this.prevRaw = prevRaw;
            this.prevOut = prevOut;
            this.noiseMean = noiseMean;
        }

        public long bytes() {
            return 8L * n + 64;
        }
    }

    /**
     * @param raw          this frame, raw units
     * @param output       this frame's denoised output, raw units
     * @param dx, dy       the content's drift since the previous frame (px)
     * @param staticScene  false on local motion or a history reset (see the class comment)
     * @param fullScale    the data range of the PSNR (255, 65535 or 1)
     * @param rounded      the output is delivered rounded to whole counts (an integer camera type): the estimate is of
     *                     that frame, so the rounding's 1/12 count² is added (at 50 dB on 8-bit data it is ~13 % of the
     *                     error, 0.5 dB)
     * @return estimated PSNR (dB) of the previous output frame as delivered, or NaN
     */
    public double update(float[] raw, float[] output, int w, int h, double dx, double dy, boolean staticScene, double fullScale,
                         boolean rounded) {
        if (allocate(w, w * h)) reset();
        double result = Double.NaN;
        boolean usable = staticScene && Math.abs(dx) <= MAX_DRIFT && Math.abs(dy) <= MAX_DRIFT;
        if (hasPrev && usable) {
            float[] pr = prevRaw;
            float[] po = prevOut;
            double gain = 1;
            if (dx != 0 || dy != 0) {
                Resample.shift(prevRaw, w, h, -dx, -dy, tmp, alignedRaw);
                Resample.shift(prevOut, w, h, -dx, -dy, tmp, alignedOut);
                pr = alignedRaw;
                po = alignedOut;
                gain = Resample.noiseGain(-dx) * Resample.noiseGain(-dy);
            }
            int margin = (dx != 0 || dy != 0) ? 2 + (int) Math.ceil(Math.max(Math.abs(dx), Math.abs(dy))) : 0;
            double e = 0;
            double v = 0;
            long count = 0;
            for (int y = margin; y < h - margin; y++) {
                for (int x = margin; x < w - margin; x++) {
                    int i = y * w + x;
                    double d = raw[i] - po[i];
                    e += d * d;
                    double r = raw[i] - pr[i];
                    v += r * r;
                    count++;
                }
            }
            e /= count;
            v /= (1 + gain) * count;
            noiseMean = Double.isNaN(noiseMean) ? v : noiseMean + NOISE_ALPHA * (v - noiseMean);
            double mse = e - noiseMean;
            // below ~1 % of σ² the difference is sampling noise: no figure rather than an arbitrary one
            if (mse > 0.01 * noiseMean) result = 10 * Math.log10(fullScale * fullScale / (mse + (rounded ? 1.0 / 12 : 0)));
        } else {
            noiseMean = Double.NaN;
        }
        System.arraycopy(raw, 0, prevRaw, 0, n);
        System.arraycopy(output, 0, prevOut, 0, n);
        hasPrev = true;
        return result;
    }
}
