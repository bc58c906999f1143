package org.n2dlive.engine.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.n2dlive.engine.CpuKernelPath;

/**
 * The one way into DJL's PyTorch engine: the CPU kernel path is decided ({@link CpuKernelPath}) before libtorch can
 * load, whichever part of the program touches it first. Stateless; any thread.
 */
public final class TorchRuntime {
    private TorchRuntime() {
    }

    /** A new base manager on {@code device}, after the kernel path is settled. */
    public static NDManager manager(Device device) {
        CpuKernelPath.prepare();
        return NDManager.newBaseManager(device, "PyTorch");
    }
}
