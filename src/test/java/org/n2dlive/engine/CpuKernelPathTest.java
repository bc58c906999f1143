package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision's rules that need no second process; the probe itself runs whenever a suite first loads PyTorch. */
class CpuKernelPathTest {

    @Test
    void aUsersChoiceWinsAndAWrongOneIsRefused() {
        String before = System.getProperty(CpuKernelPath.MODE);
        try {
            if (System.getenv("ONEDNN_MAX_CPU_ISA") == null) {
                System.setProperty(CpuKernelPath.MODE, "native");
                assertTrue(CpuKernelPath.decide().startsWith("native"), CpuKernelPath.decide());
                System.setProperty(CpuKernelPath.MODE, "fastest");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuKernelPath::decide);
                assertTrue(e.getMessage().contains("auto, native or avx2"), e.getMessage());
            } else {
                assertTrue(CpuKernelPath.decide().contains("by the environment"), CpuKernelPath.decide());
            }
        } finally {
            if (before == null) System.clearProperty(CpuKernelPath.MODE);
            else System.setProperty(CpuKernelPath.MODE, before);
        }
    }

    @Test
    void verdictsAreCachedPerCpuKeyAndAnUnreadableCacheIsIgnored(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("sub").resolve("cpu-kernels.properties");
        assertNull(CpuKernelPath.readVerdict(cache, "cpuA"));
        CpuKernelPath.writeVerdict(cache, "cpuA", "right");
        CpuKernelPath.writeVerdict(cache, "cpuB", "wrong: 24 channels");
        assertEquals("right", CpuKernelPath.readVerdict(cache, "cpuA"));
        assertEquals("wrong: 24 channels", CpuKernelPath.readVerdict(cache, "cpuB"));
        Files.write(cache, new byte[] {'\\', 'u', 'Z', 'Z'});
        assertNull(CpuKernelPath.readVerdict(cache, "cpuA"));
    }
}
