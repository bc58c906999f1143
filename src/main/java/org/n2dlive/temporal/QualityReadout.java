package org.n2dlive.temporal;

/**
 * PSNR of the denoised output without ground truth. On a static scene consecutive frames are independent noise
 * draws of the same clean image c, so for the previous output o and this raw frame y (whose noise o never saw):
 * <pre>
 *   E[(y − o)²]           = σ² + MSE(o, c)
 *   E[(y − y_prev)²] / 2  = σ²
 * </pre>
 * and MSE(o, c) is the difference. Both means run over the whole frame and are smoothed over a few frames (an
 * exponential average: the difference of two large numbers is noisy, ~0.5 % of σ² per 256² frame). The estimate
 * is of the previous output (it needs the next frame's noise) and is NaN where the premise fails: the first frame
 * after a reset, drift (the pair would need resampling), more than {@link #MAX_MOTION} of the pixels moving, or an
 * error below the statistical resolution.
 *
 * <p>Buffers per geometry; no allocation per frame. Threading: one thread.
 */
public final class QualityReadout {
    /** Motion fraction above which the scene is not static enough to read the error. */
    public static final double MAX_MOTION = 0.02;
    /** Frame-to-frame drift (px) above which the pair is not aligned. */
    public static final double MAX_DRIFT = 0.1;
    /** Weight of the newest frame in the running means (about 8 frames of memory). */
    private static final double ALPHA = 0.125;

    private float[] prevRaw;
    private float[] prevOut;
    private int n;
    private boolean hasPrev;
    private double errorMean = Double.NaN;
    private double noiseMean = Double.NaN;

    public void reset() {
        hasPrev = false;
        errorMean = Double.NaN;
        noiseMean = Double.NaN;
    }

    /**
     * @param raw          this frame, raw units
     * @param output       this frame's denoised output, raw units
     * @param pixels       pixel count
     * @param staticScene  false on drift, motion or a history reset (see the class comment)
     * @param fullScale    the data range of the PSNR (255, 65535 or 1)
     * @return estimated PSNR (dB) of the previous output frame, or NaN
     */
    public double update(float[] raw, float[] output, int pixels, boolean staticScene, double fullScale) {
        if (prevRaw == null || pixels != n) {
            n = pixels;
            prevRaw = new float[n];
            prevOut = new float[n];
            reset();
        }
        double result = Double.NaN;
        if (hasPrev && staticScene) {
            double e = 0;
            double v = 0;
            for (int i = 0; i < n; i++) {
                double d = raw[i] - prevOut[i];
                e += d * d;
                double r = raw[i] - prevRaw[i];
                v += r * r;
            }
            e /= n;
            v /= 2.0 * n;
            errorMean = Double.isNaN(errorMean) ? e : errorMean + ALPHA * (e - errorMean);
            noiseMean = Double.isNaN(noiseMean) ? v : noiseMean + ALPHA * (v - noiseMean);
            double mse = errorMean - noiseMean;
            // below ~1 % of σ² the difference is sampling noise: no figure rather than an arbitrary one
            if (mse > 0.01 * noiseMean) result = 10 * Math.log10(fullScale * fullScale / mse);
        } else {
            errorMean = Double.NaN;
            noiseMean = Double.NaN;
        }
        System.arraycopy(raw, 0, prevRaw, 0, n);
        System.arraycopy(output, 0, prevOut, 0, n);
        hasPrev = true;
        return result;
    }
}
