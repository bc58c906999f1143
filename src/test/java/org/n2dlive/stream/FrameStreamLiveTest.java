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

/**
 * LIVE policy. No test here asserts a duration or uses a sleep as synchronisation: the worker is held on a gate, a
 * latch says when it has entered a frame, and the one wait for the worker's exit polls its state.
 */
class FrameStreamLiveTest {

    static StreamSettings live(int slots) {
        return StreamSettings.builder().policy(StreamPolicy.LIVE).liveSlots(slots).build();
    }

    /** A denoiser that counts {@code entered} down each time it starts a frame, then lets {@code inner} work. */
    static FrameDenoiser announcing(CountDownLatch entered, FrameDenoiser inner) {
        return new FrameDenoiser() {
            @Override
            public void denoise(org.n2dlive.frame.Frame src, org.n2dlive.frame.Frame dst, DenoiseReport report) throws Exception {
                entered.countDown();
                inner.denoise(src, dst, report);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /**
     * Half the frames are published while the worker is held inside its first frame: they all return (none waits
     * for the worker, or the producer would never reach the gate), and the worker has finished nothing by then.
     */
    @Test
    void publishNeverBlocksOnAStalledWorkerAndEveryDropIsCounted() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        Map<Long, Long> expected = new HashMap<>();
        int n = 5000;
        int refused = 0;
        try (FrameStream s = new FrameStream(live(4), () -> announcing(entered, new InvertingDenoiser(0, gate, Set.of())))) {
            for (int t = 0; t < n; t++) {
                Object px = InvertingDenoiser.pixels(PixelType.GRAY16, 16, 16, t);
                expected.put((long) t, InvertingDenoiser.expectedOutput(PixelType.GRAY16, 16, 16, px).checksum());
                if (!s.publish(PixelType.GRAY16, 16, 16, px, t)) refused++;
                s.drain(out);
                if (t == 0) assertTrue(entered.await(30, TimeUnit.SECONDS), "the worker never took frame 0");
                if (t == n / 2) {
                    assertEquals(0, s.stats().processed(), "the worker is still held on frame 0");
                    gate.countDown();
                }
            }
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(0, st.errorCount(), "the gate was opened by the producer, not by the denoiser's own timeout");
            assertEquals(n, st.framesIn());
            assertEquals(out.tags.size(), st.framesOut());
            assertEquals(n, st.framesOut() + st.dropped(), "in = out + dropped: " + st);
            assertEquals(refused, st.droppedAtPublish());
            assertTrue(st.replaced() >= n / 2 - 4, "with the worker stalled, the newest waiting frame is replaced: " + st);
            assertEquals(0, st.pending());
        }
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
    void whenTheRingIsFullTheNewestFrameWinsNotTheOldestWaiting() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        try (FrameStream s = new FrameStream(live(2), () -> announcing(entered, new InvertingDenoiser(0, gate, Set.of())))) {
            assertTrue(s.publish(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, 0), 0));
            // the worker holds frame 0 (stalled); the second slot takes each newer frame in turn
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the worker never took frame 0");
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

    @Test
    void theWorkerTakesTheNewestFrameAndSkipsOlderOnes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        FrameStreamRecordTest.Out out = new FrameStreamRecordTest.Out();
        try (FrameStream s = new FrameStream(live(8), () -> announcing(entered, new InvertingDenoiser(0, gate, Set.of())))) {
            s.publish(PixelType.GRAY8, 4, 4, new byte[16], 0);
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the worker never took frame 0"); // and stalls on the gate
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
