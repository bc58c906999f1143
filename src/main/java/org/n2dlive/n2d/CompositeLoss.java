package org.n2dlive.n2d;

import org.n2dlive.engine.NetFunction;
import org.n2dlive.engine.LossTerm;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.n2dlive.engine.pytorch.TorchOps;

/** A weighted sum of {@link LossTerm}s. Immutable. */
public final class CompositeLoss implements LossTerm {
    private final List<LossTerm> terms;
    private final double[] weights;

    private CompositeLoss(List<LossTerm> terms, double[] weights) {
        this.terms = Collections.unmodifiableList(new ArrayList<>(terms));
        this.weights = weights.clone();
    }

    public static CompositeLoss of(LossTerm term) {
        return new CompositeLoss(List.of(term), new double[] {1.0});
    }

    /** A new loss with one more term. */
    public CompositeLoss plus(double weight, LossTerm term) {
        if (!(weight > 0) || !Double.isFinite(weight)) throw new IllegalArgumentException("loss weight must be positive, got " + weight);
        List<LossTerm> t = new ArrayList<>(terms);
        t.add(term);
        double[] w = java.util.Arrays.copyOf(weights, weights.length + 1);
        w[weights.length] = weight;
        return new CompositeLoss(t, w);
    }

    @Override
    public NDArray compute(NetFunction net, NDArray input, NDArray target) {
        NDArray total = null;
        for (int i = 0; i < terms.size(); i++) {
            NDArray l = terms.get(i).compute(net, input, target);
            if (weights[i] != 1.0) l = TorchOps.scale(l, (float) weights[i]); // owned scalar: see TorchOps.scale
            total = total == null ? l : total.add(l);
        }
        return total;
    }

    @Override
    public String name() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) sb.append(" + ");
            if (weights[i] != 1.0) sb.append(weights[i]).append('·');
            sb.append(terms.get(i).name());
        }
        return sb.toString();
    }
}
