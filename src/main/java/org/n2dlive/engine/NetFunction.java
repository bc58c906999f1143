package org.n2dlive.engine;

import ai.djl.ndarray.NDArray;

/** A differentiable network applied to a batch [N,1,H,W]; what a {@link LossTerm} trains. */
@FunctionalInterface
public interface NetFunction {
    NDArray apply(NDArray x);
}
