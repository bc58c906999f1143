package org.n2dlive.n2d;

import org.n2dlive.engine.NetFunction;
import org.n2dlive.engine.LossTerm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.n2dlive.engine.pytorch.TorchOps;

/**
 * The Zero-Shot Noise2Noise objective (Mansour &amp; Heckel, CVPR 2023) as Noise2Detail uses it.
 *
 * <p>Split x and y with the 2×2 diagonal filters D1 = [[.5,0],[0,.5]], D2 = [[0,.5],[.5,0]] (stride 2).
 * With p(·) the prediction (x − f(x) when residual, f(x) otherwise):
 * <pre>
 *   residual    = ½ [ MSE(y1, p(x2)) + MSE(y2, p(x1)) ]
 *   consistency = ½ [ MSE(p(x1), D1(p(x))) + MSE(p(x2), D2(p(x))) ]
 * </pre>
 * Stage 1 uses x = y (the noisy frame) with the residual form; stage 3 uses x = the stage-2 image, y = the
 * noisy frame, without the residual. Stateless and thread-safe.
 */
public final class ZeroShotN2NLoss implements LossTerm {
    private final boolean residual;

    private ZeroShotN2NLoss(boolean residual) {
        this.residual = residual;
    }

    /** Stage 1: the net predicts the noise. */
    public static ZeroShotN2NLoss residual() {
        return new ZeroShotN2NLoss(true);
    }

    /** Stage 3: the net maps the stage-2 image to the noisy halves directly. */
    public static ZeroShotN2NLoss direct() {
        return new ZeroShotN2NLoss(false);
    }

    @Override
    public NDArray compute(NetFunction net, NDArray x, NDArray y) {
        NDList xs = TorchOps.pairDownsample(x);
        NDArray x1 = xs.get(0);
        NDArray x2 = xs.get(1);
        NDList ys = x == y ? xs : TorchOps.pairDownsample(y);
        NDArray y1 = ys.get(0);
        NDArray y2 = ys.get(1);

        // The two halves go through the net as one batch of two: one call, same result.
        NDArray halves = x1.concat(x2, 0);
        NDArray pHalves = predict(net, halves);
        NDArray p1 = pHalves.get("0:1");
        NDArray p2 = pHalves.get("1:2");

        NDArray resLoss = TorchOps.scale(TorchOps.mse(y1, p2).add(TorchOps.mse(y2, p1)), 0.5f);

        NDList pFull = TorchOps.pairDownsample(predict(net, x));
        NDArray consLoss = TorchOps.scale(TorchOps.mse(p1, pFull.get(0)).add(TorchOps.mse(p2, pFull.get(1))), 0.5f);
        return resLoss.add(consLoss);
    }

    private NDArray predict(NetFunction net, NDArray x) {
        NDArray out = net.apply(x);
        return residual ? x.sub(out) : out;
    }

    @Override
    public String name() {
        return residual ? "zs-n2n" : "zs-n2n-direct";
    }
}
