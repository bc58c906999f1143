package org.n2dlive.synth;

import java.util.SplittableRandom;

/**
 * Exact Poisson draws: multiplication of uniforms for small means, Hörmann's transformed rejection with
 * squeeze (PTRS, 1993) from a mean of 10 up. Stateless, thread-safe (the generator is the caller's).
 */
final class PoissonSampler {
    private static final double[] LOG_FACTORIAL = new double[256];

    static {
        for (int k = 1; k < LOG_FACTORIAL.length; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }

    private PoissonSampler() {
    }

    static long sample(double mean, SplittableRandom r) {
        if (!(mean > 0)) return 0;
        return mean < 10 ? small(mean, r) : ptrs(mean, r);
    }

    private static long small(double mean, SplittableRandom r) {
        double limit = Math.exp(-mean);
        double p = r.nextDouble();
        long k = 0;
        while (p > limit) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }

    private static long ptrs(double mean, SplittableRandom r) {
        double slam = Math.sqrt(mean);
        double loglam = Math.log(mean);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }

    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) return LOG_FACTORIAL[(int) k];
        double x = k;
        // Stirling's series; the next term is below 1e-12 for k ≥ 256.
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }
}
