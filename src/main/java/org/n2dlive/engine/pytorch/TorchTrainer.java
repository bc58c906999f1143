package org.n2dlive.engine.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.n2dlive.engine.DeviceTransfers;
import org.n2dlive.engine.LossTerm;

/**
 * Trains one {@link TorchNet} with a {@link LossTerm} and {@link TorchAdam}: zero grads, forward with
 * autograd on, backward, update. Gradients are recorded through the calling thread's grad mode (PyTorch's
 * grad mode is thread-local), not DJL's GradientCollector, of which only one may be open per JVM.
 * Threading: owned by one training thread.
 */
public final class TorchTrainer implements AutoCloseable {
    private final TorchNet net;
    private final TorchAdam adam;
    private final LossTerm loss;

    public TorchTrainer(TorchNet net, LossTerm loss, double learningRate, int halvingSteps) {
        this.net = net;
        this.loss = loss;
        this.adam = new TorchAdam(net, learningRate, halvingSteps);
    }

    public TorchNet net() {
        return net;
    }

    public TorchAdam optimizer() {
        return adam;
    }

    public LossTerm loss() {
        return loss;
    }

    /**
     * One optimisation step on (input, target), both [1,1,H,W] with H, W even. Every temporary array is
     * created in a sub-manager of {@code frameManager} that is closed before returning.
     *
     * @return the loss before the update
     */
    public double step(NDManager frameManager, NDArray input, NDArray target) {
        try (NDManager scratch = frameManager.newSubManager()) {
            net.zeroGradients();
            boolean before = JniUtils.isGradMode();
            NDArray value;
            JniUtils.setGradMode(true);
            try {
                NDArray in = input.getManager() == scratch ? input : input.duplicate();
                // keep every autograd temporary in scratch: ops attach results to their first operand's manager
                in.attach(scratch);
                NDArray tgt = target == input ? in : target.duplicate();
                tgt.attach(scratch);
                value = loss.compute(net, in, tgt);
                JniUtils.backward((PtNDArray) value, (PtNDArray) scratch.ones(value.getShape()), false, false);
            } finally {
                JniUtils.setGradMode(before);
            }
            adam.update(scratch);
            DeviceTransfers.record(DeviceTransfers.Kind.SCALAR_DOWNLOAD, 4L);
            return value.getFloat();
        }
    }

    @Override
    public void close() {
        adam.close();
    }
}
