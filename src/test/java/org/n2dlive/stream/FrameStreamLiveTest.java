package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.PixelType;

class FrameStreamLiveTest {

    static StreamSettings live(int slots) {
        return StreamSettings.builder().policy(StreamPolicy.LIVE).liveSlots(slots).build();
    }

    @Test
    void publishNeverBlocksOnAStalledWorkerAndEveryDropIsCounted() {
        CountDownLatch gate = new CountDownLatch(1);
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        Map<Long, Long> expected = new HashMap<>();
        int n = 5000;
        int refused = 0;
        long worstNanos = 0;
        try (FrameStream s = new FrameStream(live(4), () -> new InvertingDenoiser(0, gate, Set.of()))) {
            for (int t = 0; t < n; t++) {
                Object px = InvertingDenoiser.pixels(PixelType.GRAY16, 16, 16, t);
                expected.put((long) t, InvertingDenoiser.expectedOutput(PixelType.GRAY16, 16, 16, px).checksum());
                long t0 = System.nanoTime();
                boolean taken = s.publish(PixelType.GRAY16, 16, 16, px, t);
                worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
                if (!taken) refused++;
                s.drain(out);
                if (t == n / 2) gate.countDown(); // the worker was stuck on its first frame until now
            }
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(n, st.framesIn());
            assertEquals(out.tags.size(), st.framesOut());
            assertEquals(n, st.framesOut() + st.dropped(), "in = out + dropped: " + st);
            assertEquals(refused, st.droppedAtPublish());
            assertTrue(st.replaced() >= n / 2 - 4, "with the worker stalled, the newest waiting frame is replaced: " + st);
            assertEquals(0, st.pending());
        }
        assertTrue(worstNanos < 50_000_000L, "slowest publish took " + worstNanos / 1e6 + " ms");
        assertTrue(out.tags.size() >= 1);
        long last = -1;
        for (int i = 0; i < out.tags.size(); i++) {
            long tag = out.tags.get(i);
            assertTrue(tag > last, "tags increase");
            last = tag;
            assertEquals(expected.get(tag), out.checksums.get(i), "pixels of frame " + tag);
        }
        assertEquals(n - 1, last, "the newest frame comes out last");
    }

    @Test
    void whenTheRingIsFullTheNewestFrameWinsNotTheOldestWaiting() {
        CountDownLatch gate = new CountDownLatch(1);
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        try (FrameStream s = new FrameStream(live(2), () -> new InvertingDenoiser(0, gate, Set.of()))) {
            assertTrue(s.publish(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, 0), 0));
            waitUntil(() -> s.stats().pending() == 1);
            sleep(50); // the worker holds frame 0 (stalled); the second slot takes each newer frame in turn
            for (int t = 1; t <= 20; t++) {
                assertTrue(s.publish(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, t), t));
            }
            gate.countDown();
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(java.util.List.of(0L, 20L), out.tags);
            assertEquals(19, st.replaced());
            assertEquals(19, st.dropped());
            assertEquals(InvertingDenoiser.expectedOutput(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, 20))
                    .checksum(), (long) out.checksums.get(1), "the replaced slot holds frame 20's pixels");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theWorkerTakesTheNewestFrameAndSkipsOlderOnes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        try (FrameStream s = new FrameStream(live(8), () -> new InvertingDenoiser(0, gate, Set.of()))) {
            s.publish(PixelType.GRAY8, 4, 4, new byte[16], 0);
            waitUntil(() -> s.stats().pending() == 1 && s.stats().processed() == 0);
            Thread.sleep(50); // let the worker take frame 0 and stall on the gate
            for (int t = 1; t <= 5; t++) assertTrue(s.publish(PixelType.GRAY8, 4, 4, new byte[16], t));
            gate.countDown();
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(java.util.List.of(0L, 5L), out.tags, "frame 0, then the newest; 1-4 skipped");
            assertEquals(4, st.dropped());
            assertEquals(0, st.droppedAtPublish());
        }
    }

    @Test
    void frameSizeChangesMidStreamKeepEachOutputTheSizeOfItsInput() {
        int[][] sizes = {{16, 16}, {64, 48}, {8, 8}, {33, 17}};
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        Map<Long, Long> expected = new HashMap<>();
        int tag = 0;
        try (FrameStream s = new FrameStream(live(4), () -> new InvertingDenoiser(1, null, Set.of()))) {
            for (int[] sz : sizes) {
                for (int k = 0; k < 30; k++, tag++) {
                    Object px = InvertingDenoiser.pixels(PixelType.GRAY8, sz[0], sz[1], tag);
                    expected.put((long) tag, InvertingDenoiser.expectedOutput(PixelType.GRAY8, sz[0], sz[1], px).checksum());
                    s.publish(PixelType.GRAY8, sz[0], sz[1], px, tag);
                    s.drain(out);
                }
            }
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(tag, st.framesOut() + st.dropped());
        }
        for (int i = 0; i < out.tags.size(); i++) {
            assertEquals(expected.get(out.tags.get(i)), out.checksums.get(i), "frame " + out.tags.get(i));
        }
        assertEquals(tag - 1, (long) out.tags.get(out.tags.size() - 1));
    }

    @Test
    void engineExceptionInLiveModePassesThroughAndIsReportedOnce() {
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        try (FrameStream s = new FrameStream(live(4), () -> new InvertingDenoiser(0, null, Set.of(0)))) {
            s.publish(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, 0), 0);
            s.flush(out, 30, TimeUnit.SECONDS);
            s.publish(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, 1), 1);
            s.flush(out, 30, TimeUnit.SECONDS);
            assertEquals(1, s.stats().errorCount());
            assertTrue(s.stats().firstError().contains("boom on call 0"));
        }
        assertEquals(java.util.List.of(true, false), out.passed);
    }

    @Test
    void closeWithAStalledWorkerReturnsWithinItsTimeout() {
        CountDownLatch gate = new CountDownLatch(1);
        StreamSettings settings = live(4).toBuilder().closeTimeoutMillis(200).build();
        FrameStream s = new FrameStream(settings, () -> new InvertingDenoiser(0, gate, Set.of()));
        for (int t = 0; t < 10; t++) s.publish(PixelType.GRAY8, 4, 4, new byte[16], t);
        assertTimeoutPreemptively(Duration.ofSeconds(5), s::close);
        assertTrue(s.isClosed());
        gate.countDown(); // the worker then finishes its frame and exits
        waitUntil(() -> !s.workerAlive());
        assertFalse(s.workerAlive());
    }

    private static void waitUntil(java.util.function.BooleanSupplier c) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached in 10 s");
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
