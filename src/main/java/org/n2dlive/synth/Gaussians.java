package org.n2dlive.synth;

import java.util.SplittableRandom;

/**
 * Standard normal draws from a {@link SplittableRandom} (which has no nextGaussian on Java 11), by the
 * Marsaglia polar method. Stateless; the generator belongs to the caller's thread.
 */
final class Gaussians {
    private Gaussians() {
    }

    static double next(SplittableRandom r) {
        double u;
        double v;
        double s;
        do {
            u = 2 * r.nextDouble() - 1;
            v = 2 * r.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
