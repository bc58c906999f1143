package org.n2dlive.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.n2dlive.engine.NumericsCheck;

/**
 * Whatever this CPU's kernels get wrong, every channel count the profiles and users choose gets a width at which the
 * net computes right (forward, gradients, one Adam step against the plain-Java reference), or the engine refuses.
 * CI runs this once on the host's own kernels and once with them capped (.ci/run), so both paths are held.
 */
class CpuKernelCheckTest {

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 24, 47, 48})
    void everyChannelCountRunsAtAWidthThatIsRight(int channels) {
        int width = CpuKernelCheck.widthFor(Device.cpu(), channels);
        assertTrue(width >= channels && width <= (channels + 15) / 16 * 16, "width " + width);
        NumericsCheck.Result again = CpuKernelCheck.run(channels, width);
        System.out.println(again + " | all: " + NumericsCheck.summary());
        assertTrue(again.passed(), again.toString());
        assertTrue(NumericsCheck.summary().contains(String.valueOf(channels)), NumericsCheck.summary());
    }
}
