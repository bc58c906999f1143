package org.n2dlive.metrics;

/**
 * Mean structural similarity (Wang et al. 2004) for images in unit range, matching scikit-image's
 * {@code structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=1)}: local statistics weighted by a normalised Gaussian window of σ = 1.5 truncated at 3.5σ
 * (radius 5, an 11x11 window), C1 = (0.01·1)², C2 = (0.03·1)², population (not sample) covariances, and the
 * SSIM map averaged over the valid region only: skimage crops (win−1)/2 = 5 pixels at every border, so the
 * window never leaves the image and border handling does not matter. Computed in double precision.
 * Stateless; thread-safe; allocates its work arrays per call (it is not on the per-frame path).
 */
public final class Ssim {
    public static final double SIGMA = 1.5;
    public static final double TRUNCATE = 3.5;
    /** Window radius as scipy computes it: int(truncate·σ + 0.5). */
    public static final int RADIUS = (int) (TRUNCATE * SIGMA + 0.5);
    public static final int WINDOW = 2 * RADIUS + 1;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double[] KERNEL = kernel();

    private Ssim() {
    }

    /** Mean SSIM of a and b (row-major, width x height, both at least 11x11). Symmetric in a and b. */
    public static double ssim(float[] a, float[] b, int width, int height) {
        if (width < WINDOW || height < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW + ", got "
                    + width + "x" + height);
        }
        int n = width * height;
        if (a.length < n || b.length < n) {
            throw new IllegalArgumentException("arrays hold " + a.length + " and " + b.length + " values, "
                    + width + "x" + height + " needs " + n);
        }
        // Separable Gaussian: horizontal pass over valid columns for the five moments, then vertical.
        int vw = width - 2 * RADIUS;
        int vh = height - 2 * RADIUS;
        double[] hx = new double[height * vw];
        double[] hy = new double[height * vw];
        double[] hxx = new double[height * vw];
        double[] hyy = new double[height * vw];
        double[] hxy = new double[height * vw];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < vw; x++) {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double wk = KERNEL[k];
                    double va = a[row + x + k];
                    double vb = b[row + x + k];
                    sx += wk * va;
                    sy += wk * vb;
                    sxx += wk * va * va;
                    syy += wk * vb * vb;
                    sxy += wk * (va * vb); // grouped so swapping a and b gives the same bits
                }
                int o = y * vw + x;
                hx[o] = sx;
                hy[o] = sy;
                hxx[o] = sxx;
                hyy[o] = syy;
                hxy[o] = sxy;
            }
        }
        double total = 0;
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                double ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double wk = KERNEL[k];
                    int o = (y + k) * vw + x;
                    ux += wk * hx[o];
                    uy += wk * hy[o];
                    uxx += wk * hxx[o];
                    uyy += wk * hyy[o];
                    uxy += wk * hxy[o];
                }
                double vx = uxx - ux * ux;
                double vy = uyy - uy * uy;
                double vxy = uxy - ux * uy;
                double num = (2 * (ux * uy) + C1) * (2 * vxy + C2);
                double den = (ux * ux + uy * uy + C1) * (vx + vy + C2);
                total += num / den;
            }
        }
        return total / ((double) vw * vh);
    }

    /** The 1-D Gaussian weights, exp(−x²/2σ²) for x = −r..r, normalised to sum 1 (as scipy does). */
    private static double[] kernel() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double x = i - RADIUS;
            k[i] = Math.exp(-0.5 * x * x / (SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) k[i] /= sum;
        return k;
    }
}
