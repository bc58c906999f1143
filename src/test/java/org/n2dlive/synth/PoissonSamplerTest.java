package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonSamplerTest {

    @Test
    void meanAndVarianceEqualTheRateAcrossBothAlgorithms() {
        double[] rates = {0.3, 4, 9.9, 10, 37, 250, 5000};
        SplittableRandom r = new SplittableRandom(42);
        int n = 200_000;
        for (double lambda : rates) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                long k = PoissonSampler.sample(lambda, r);
                sum += k;
                sq += (double) k * k;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            // Standard error of the mean: sqrt(λ/n); of the variance: about λ·sqrt(2/n). Allow 5 of them.
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n), "mean at λ=" + lambda);
            assertEquals(lambda, var, 5 * lambda * Math.sqrt(2.0 / n) + 5 * Math.sqrt(lambda / n), "variance at λ=" + lambda);
        }
    }

    @Test
    void theProbabilityOfZeroMatchesExpMinusLambda() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 200_000;
        for (double lambda : new double[] {0.5, 2, 12}) {
            int zeros = 0;
            for (int i = 0; i < n; i++) if (PoissonSampler.sample(lambda, r) == 0) zeros++;
            double p = Math.exp(-lambda);
            assertEquals(p, (double) zeros / n, 5 * Math.sqrt(p * (1 - p) / n) + 1e-5, "P(0) at λ=" + lambda);
        }
    }

    @Test
    void zeroOrNegativeRateGivesZero() {
        SplittableRandom r = new SplittableRandom(1);
        assertEquals(0, PoissonSampler.sample(0, r));
        assertEquals(0, PoissonSampler.sample(-3, r));
    }

    @Test
    void logFactorialIsContinuousAtTheTableEdge() {
        double exact = 0;
        for (int k = 1; k <= 300; k++) {
            exact += Math.log(k);
            assertEquals(exact, PoissonSampler.logFactorial(k), 1e-9 * exact, "k=" + k);
        }
    }
}
