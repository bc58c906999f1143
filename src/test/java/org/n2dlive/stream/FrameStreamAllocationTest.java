package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.PixelType;

/**
 * The publishing path does not allocate per frame: bytes allocated by the producer thread over thousands of
 * publish + drain calls stay far below one frame's size per call.
 */
class FrameStreamAllocationTest {
    private static final int W = 64;
    private static final int H = 64;

    private long sum;

    private static long allocatedByThisThread() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled(), "allocation counter off");
        return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private long measure(StreamSettings settings, long sleepMillis) {
        short[] px = (short[]) InvertingDenoiser.pixels(PixelType.GRAY16, W, H, 1);
        CompletedFrameConsumer consumer = f -> sum += f.tag();
        try (FrameStream s = new FrameStream(settings, () -> new InvertingDenoiser(sleepMillis, null, Set.of()))) {
            for (int t = 0; t < 3000; t++) { // warm-up: slots get their buffers, the JIT compiles
                s.publish(PixelType.GRAY16, W, H, px, t);
                s.drain(consumer);
            }
            s.flush(consumer, 30, TimeUnit.SECONDS);
            long before = allocatedByThisThread();
            for (int t = 0; t < 5000; t++) {
                s.publish(PixelType.GRAY16, W, H, px, t);
                s.drain(consumer);
            }
            long bytes = allocatedByThisThread() - before;
            s.flush(consumer, 30, TimeUnit.SECONDS);
            assertEquals(8000, s.stats().framesIn());
            return bytes;
        }
    }

    @Test
    void recordPublishAndDrainDoNotAllocatePerFrame() {
        StreamSettings settings = StreamSettings.builder().policy(StreamPolicy.RECORD).ringMemoryBytes(1 << 20).build();
        long bytes = measure(settings, 0);
        // One 64x64 16-bit frame is 8 KiB; 5000 frames copied into fresh arrays would be 40 MiB. Measured: ~1 KB.
        assertTrue(bytes < 64 * 1024, "allocated " + bytes + " bytes over 5000 frames");
    }

    @Test
    void liveWithABusyWorkerDoesNotAllocatePerFrame() {
        StreamSettings settings = StreamSettings.builder().policy(StreamPolicy.LIVE).liveSlots(4).build();
        long bytes = measure(settings, 1); // the worker is slower than the producer: frames are replaced and skipped
        assertTrue(bytes < 64 * 1024, "allocated " + bytes + " bytes over 5000 frames");
    }
}
