package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

class FrameStreamRecordTest {

    /** What came out of a stream, copied during accept(). */
    static final class Out implements CompletedFrameConsumer {
        final List<Long> tags = new ArrayList<>();
        final List<Long> sequences = new ArrayList<>();
        final List<Long> checksums = new ArrayList<>();
        final List<Long> rawChecksums = new ArrayList<>();
        final List<Boolean> passed = new ArrayList<>();
        final List<Boolean> behind = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();

        @Override
        public void accept(CompletedFrame f) {
            tags.add(f.tag());
            sequences.add(f.sequence());
            checksums.add(f.denoised().checksum());
            rawChecksums.add(f.raw() == null ? 0L : f.raw().checksum());
            passed.add(f.passedThrough());
            behind.add(f.behind());
            errors.add(f.error());
            frames.add(f.denoised().copy());
            assertTrue(f.latencyNanos() >= 0, "latency must not be negative");
        }
    }

    static StreamSettings record(long ringBytes, boolean keepRaw) {
        return StreamSettings.builder().policy(StreamPolicy.RECORD).ringMemoryBytes(ringBytes).keepRaw(keepRaw).build();
    }

    @Test
    void fastProducerSlowWorkerLosesNothingAndKeepsOrder() {
        int w = 16;
        int h = 16;
        int n = 200;
        // 16x16 GRAY16 = 512 B in + 512 B out per slot: 8 KiB gives an 8-slot ring, far fewer than the frames.
        Out out = new Out();
        List<Long> expected = new ArrayList<>();
        List<Long> expectedRaw = new ArrayList<>();
        try (FrameStream s = new FrameStream(record(8 << 10, true), () -> new InvertingDenoiser(1, null, Set.of()))) {
            for (int t = 0; t < n; t++) {
                Object px = InvertingDenoiser.pixels(PixelType.GRAY16, w, h, t);
                expected.add(InvertingDenoiser.expectedOutput(PixelType.GRAY16, w, h, px).checksum());
                expectedRaw.add(Frame.wrap(w, h, ((short[]) px).clone()).checksum());
                assertTrue(s.publish(PixelType.GRAY16, w, h, px, 1000 + t));
                s.drain(out);
            }
            assertEquals(8, s.stats().ringSlots());
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(n, st.framesIn());
            assertEquals(n, st.framesOut());
            assertEquals(0, st.dropped());
            assertEquals(0, st.pending());
            assertEquals(0, st.failed());
            assertNull(st.firstError());
            assertTrue(st.latencyP50Micros() > 0 && st.latencyP99Micros() >= st.latencyP50Micros());
            assertTrue(st.workerNanosPerFrame() >= 1e6, "the worker sleeps 1 ms per frame: " + st.workerNanosPerFrame());
            assertEquals(0.5, st.lastAdaptationLoss());
        }
        assertEquals(n, out.tags.size());
        for (int t = 0; t < n; t++) {
            assertEquals(1000L + t, out.tags.get(t), "order");
            assertEquals((long) t, out.sequences.get(t));
            assertEquals(expected.get(t), out.checksums.get(t), "denoised pixels of frame " + t);
            assertEquals(expectedRaw.get(t), out.rawChecksums.get(t), "raw pixels of frame " + t);
            assertFalse(out.passed.get(t));
        }
    }

    @Test
    void aSourceThatCannotWaitIsNeverMadeToWaitAndLosesNothing() {
        // A camera sequence: ~1 frame a millisecond into a 10 ms model. 256 slots; the worker passes frames through
        // raw once those after them hold more than ~2 s of model time (~200 frames), so the ring never fills and
        // publish never waits. Every frame comes out, in order: denoised, or raw and flagged.
        int w = 16;
        int h = 16;
        int n = 1500;
        Out out = new Out();
        List<Long> expected = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        try (FrameStream s = new FrameStream(record(256 * 1024, false), () -> new InvertingDenoiser(10, null, Set.of()))) {
            s.sourceCanWait(false);
            for (int t = 0; t < n; t++) {
                Object px = InvertingDenoiser.pixels(PixelType.GRAY16, w, h, t);
                expected.add(InvertingDenoiser.expectedOutput(PixelType.GRAY16, w, h, px).checksum());
                raw.add(Frame.wrap(w, h, ((short[]) px).clone()).checksum());
                assertTrue(s.publish(PixelType.GRAY16, w, h, px, t));
                s.drain(out);
                sleepMillis(1);
            }
            assertEquals(256, s.stats().ringSlots());
            assertEquals(0, s.publishWaits(), "the camera was made to wait");
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(n, st.framesOut());
            assertEquals(0, st.failed());
            assertNull(st.firstError(), "running behind is not an error");
            long passed = out.passed.stream().filter(b -> b).count();
            assertEquals(passed, st.behind());
            assertTrue(passed > 0 && passed < n, passed + " of " + n + " passed through");
        }
        for (int t = 0; t < n; t++) {
            assertEquals(t, (long) out.tags.get(t), "order");
            assertEquals(out.passed.get(t), out.behind.get(t), "frame " + t + ": passed through only for being behind");
            if (out.passed.get(t)) {
                assertEquals(raw.get(t), out.checksums.get(t), "frame " + t + " leaves raw");
                assertTrue(out.errors.get(t).contains("ran ahead of the model"), out.errors.get(t));
            } else {
                assertEquals(expected.get(t), out.checksums.get(t), "frame " + t + " denoised");
            }
        }
        assertFalse(out.passed.get(n - 1), "the last frames are denoised: the backlog it leaves is at most ~2 s");
    }

    @Test
    void aSourceThatCanWaitHasEveryFrameDenoised() {
        Out out = new Out();
        try (FrameStream s = new FrameStream(record(8 << 10, false), () -> new InvertingDenoiser(1, null, Set.of()))) {
            s.sourceCanWait(false);
            s.sourceCanWait(true);
            for (int t = 0; t < 100; t++) {
                assertTrue(s.publish(PixelType.GRAY16, 16, 16, InvertingDenoiser.pixels(PixelType.GRAY16, 16, 16, t), t));
                s.drain(out);
            }
            s.flush(out, 30, TimeUnit.SECONDS);
            assertEquals(0, s.stats().behind());
            assertTrue(s.publishWaits() > 0, "an 8-slot ring and a 1 ms model: publish waited");
        }
        assertEquals(100, out.tags.size());
        assertFalse(out.passed.contains(true));
    }

    @Test
    void recordBuffersAreHeldOnlyForTheFramesInTheRing() {
        // 256 slots. A steady stream with a short backlog cycles through every slot; each slot keeping its own
        // buffers would hold 256 frames' worth. Released buffers go back to a pool instead.
        java.util.Set<Frame> outputs = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        CompletedFrameConsumer c = f -> outputs.add(f.denoised());
        try (FrameStream s = new FrameStream(record(256 * 1024, false), InvertingDenoiser::new)) {
            for (int t = 0; t < 2000; t++) {
                s.publish(PixelType.GRAY16, 16, 16, InvertingDenoiser.pixels(PixelType.GRAY16, 16, 16, t), t);
                s.flush(c, 10, TimeUnit.SECONDS);
            }
            assertEquals(256, s.stats().ringSlots());
        }
        assertTrue(outputs.size() <= 4, outputs.size() + " output buffers for a backlog of one frame");
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void tenThousandFramesLoseNone() {
        int n = 10_000;
        Out out = new Out();
        long[] expected = new long[n];
        // 8x8 GRAY8: 128 B per slot; 4 KiB = 32 slots. Drain only every 100 frames: finished frames get parked.
        try (FrameStream s = new FrameStream(record(4 << 10, false), InvertingDenoiser::new)) {
            for (int t = 0; t < n; t++) {
                Object px = InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, t);
                expected[t] = InvertingDenoiser.expectedOutput(PixelType.GRAY8, 8, 8, px).checksum();
                assertTrue(s.publish(PixelType.GRAY8, 8, 8, px, t));
                if (t % 100 == 99) s.drain(out);
            }
            s.flush(out, 60, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(n, st.framesIn());
            assertEquals(n, st.framesOut());
            assertEquals(0, st.dropped());
        }
        assertEquals(n, out.tags.size());
        for (int t = 0; t < n; t++) {
            assertEquals(t, (long) out.tags.get(t));
            assertEquals(expected[t], (long) out.checksums.get(t), "frame " + t);
            assertEquals(0L, (long) out.rawChecksums.get(t), "raw not kept");
        }
    }

    @Test
    void aProducerThatNeverDrainsUntilTheEndNeitherDeadlocksNorLoses() {
        // 4 slots, 100 frames, no drain while publishing: only the producer releases slots, so without parking
        // finished frames the fifth publish would wait for itself forever.
        Out out = new Out();
        try (FrameStream s = new FrameStream(record(4 * 128, false), InvertingDenoiser::new)) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int t = 0; t < 100; t++) assertTrue(s.publish(PixelType.GRAY8, 8, 8, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, t), t));
            });
            assertEquals(4, s.stats().ringSlots());
            assertEquals(100, s.flush(out, 30, TimeUnit.SECONDS));
        }
        for (int t = 0; t < 100; t++) {
            assertEquals(t, (long) out.tags.get(t));
            assertEquals(InvertingDenoiser.expectedOutput(PixelType.GRAY8, 8, 8, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, t))
                    .checksum(), (long) out.checksums.get(t));
        }
    }

    @Test
    void callingTheStreamFromInsideAConsumerIsRefused() {
        try (FrameStream s = new FrameStream(record(1 << 20, false), InvertingDenoiser::new)) {
            s.publish(PixelType.GRAY8, 4, 4, new byte[16], 0);
            s.publish(PixelType.GRAY8, 4, 4, new byte[16], 1);
            List<Long> seen = new ArrayList<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.flush(f -> {
                seen.add(f.tag());
                s.drain(g -> seen.add(-1L));
            }, 30, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("inside a consumer"), e.getMessage());
            s.flush(f -> seen.add(f.tag()), 30, TimeUnit.SECONDS);
            assertEquals(List.of(0L, 1L), seen, "each frame delivered once");
        }
    }

    @Test
    void engineExceptionPassesTheFrameThroughFlaggedAndTheStreamGoesOn() {
        Out out = new Out();
        try (FrameStream s = new FrameStream(record(1 << 20, false), () -> new InvertingDenoiser(0, null, Set.of(5, 7)))) {
            for (int t = 0; t < 20; t++) s.publish(PixelType.GRAY8, 8, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 4, t), t);
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(20, st.framesOut());
            assertEquals(2, st.failed());
            assertEquals(2, st.errorCount());
            assertTrue(st.firstError().contains("boom on call 5"), st.firstError());
        }
        for (int t = 0; t < 20; t++) {
            Object px = InvertingDenoiser.pixels(PixelType.GRAY8, 8, 4, t);
            boolean fails = t == 5 || t == 7;
            assertEquals(fails, out.passed.get(t), "frame " + t);
            long want = fails ? Frame.wrap(8, 4, (byte[]) px).checksum()
                    : InvertingDenoiser.expectedOutput(PixelType.GRAY8, 8, 4, px).checksum();
            assertEquals(want, (long) out.checksums.get(t), "frame " + t);
            if (fails) {
                assertTrue(out.errors.get(t).contains("boom on call " + t), out.errors.get(t));
            } else {
                assertNull(out.errors.get(t));
            }
        }
    }

    @Test
    void aFactoryThatThrowsPassesEveryFrameThroughAndReportsOnce() {
        Out out = new Out();
        try (FrameStream s = new FrameStream(record(1 << 20, false), () -> {
            throw new IllegalStateException("no GPU here");
        })) {
            for (int t = 0; t < 5; t++) s.publish(PixelType.GRAY8, 4, 4, InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, t), t);
            s.flush(out, 30, TimeUnit.SECONDS);
            StreamStats st = s.stats();
            assertEquals(5, st.framesOut());
            assertEquals(5, st.failed());
            assertTrue(st.firstError().contains("could not start the denoiser") && st.firstError().contains("no GPU here"),
                    st.firstError());
        }
        for (int t = 0; t < 5; t++) {
            assertTrue(out.passed.get(t));
            assertEquals(Frame.wrap(4, 4, (byte[]) InvertingDenoiser.pixels(PixelType.GRAY8, 4, 4, t)).checksum(),
                    (long) out.checksums.get(t));
        }
    }

    @Test
    void frameSizeAndTypeChangesMidStreamRebuildTheRingWithoutLoss() {
        // 24 KiB budget: 16x16 GRAY16 (1 KiB/slot) -> 24 slots (ring 32); 64x64 GRAY16 (16 KiB/slot) -> 2;
        // 8x8 GRAY8 (128 B/slot) -> 192 (ring 256): every change calls for another ring.
        int[][] sizes = {{16, 16, 16}, {64, 64, 16}, {8, 8, 8}, {16, 16, 16}, {36, 20, 32}};
        Out out = new Out();
        List<Long> expected = new ArrayList<>();
        int tag = 0;
        try (FrameStream s = new FrameStream(record(24 << 10, true), () -> new InvertingDenoiser(1, null, Set.of()))) {
            for (int[] sz : sizes) {
                PixelType type = sz[2] == 8 ? PixelType.GRAY8 : sz[2] == 16 ? PixelType.GRAY16 : PixelType.FLOAT32;
                for (int k = 0; k < 40; k++, tag++) {
                    Object px = InvertingDenoiser.pixels(type, sz[0], sz[1], tag);
                    expected.add(InvertingDenoiser.expectedOutput(type, sz[0], sz[1], px).checksum());
                    assertTrue(s.publish(type, sz[0], sz[1], px, tag));
                    if (k % 3 == 0) s.drain(out);
                }
            }
            s.flush(out, 30, TimeUnit.SECONDS);
            assertTrue(s.stats().ringRebuilds() >= 3, "rebuilds: " + s.stats().ringRebuilds());
            assertEquals(tag, s.stats().framesOut());
        }
        assertEquals(expected.size(), out.tags.size());
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(t, (long) out.tags.get(t));
            assertEquals(expected.get(t), out.checksums.get(t), "frame " + t);
        }
    }

    @Test
    void allZeroAndSaturatedFramesPass() {
        Object[][] cases = {
            {PixelType.GRAY8, new byte[64]}, {PixelType.GRAY8, filled8((byte) 0xFF)},
            {PixelType.GRAY16, new short[64]}, {PixelType.GRAY16, filled16((short) 0xFFFF)},
            {PixelType.FLOAT32, new float[64]}, {PixelType.FLOAT32, filledF(1f)},
        };
        Out out = new Out();
        try (FrameStream s = new FrameStream(record(1 << 20, false), InvertingDenoiser::new)) {
            for (int i = 0; i < cases.length; i++) s.publish((PixelType) cases[i][0], 8, 8, cases[i][1], i);
            s.flush(out, 30, TimeUnit.SECONDS);
            assertEquals(0, s.stats().failed());
        }
        assertEquals(cases.length, out.frames.size());
        for (int i = 0; i < cases.length; i++) {
            Frame f = out.frames.get(i);
            double full = ((PixelType) cases[i][0]).fullScale();
            double in = Frame.wrap((PixelType) cases[i][0], 8, 8, cases[i][1]).get(0);
            for (int k = 0; k < 64; k++) assertEquals(full - in, f.get(k), 0.0, "case " + i);
        }
    }

    @Test
    void closeWhileFramesAreInFlightNeitherHangsNorCrashes() {
        InvertingDenoiser[] made = new InvertingDenoiser[1];
        Out out = new Out();
        FrameStream s = new FrameStream(record(1 << 20, false), () -> made[0] = new InvertingDenoiser(20, null, Set.of()));
        for (int t = 0; t < 50; t++) s.publish(PixelType.GRAY8, 8, 8, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, t), t);
        assertTimeoutPreemptively(Duration.ofSeconds(10), s::close);
        assertTimeoutPreemptively(Duration.ofSeconds(10), s::close); // idempotent
        assertTrue(s.isClosed());
        assertFalse(s.workerAlive());
        assertTrue(made[0].closed, "the denoiser is closed");
        assertSame(made[0].createdOn, made[0].closedOn, "closed on the worker thread that made it");
        assertThrows(IllegalStateException.class,
                () -> s.publish(PixelType.GRAY8, 8, 8, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, 99), 99));
        // What finished before close can still be drained, in order; the rest is reported pending.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> s.flush(out, 1, TimeUnit.SECONDS));
        StreamStats st = s.stats();
        assertEquals(50, st.framesIn());
        assertEquals(50, st.framesOut() + st.pending());
        assertTrue(st.pending() > 0, "some frames were abandoned: " + st);
        for (int i = 0; i < out.tags.size(); i++) assertEquals(i, (long) out.tags.get(i));
    }

    @Test
    void closingFromAnotherThreadReleasesAProducerWaitingForRoom() throws Exception {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        // 2 slots of 8x8 GRAY8 (128 B each): the third publish waits for a worker stalled on the gate.
        FrameStream s = new FrameStream(record(256, false), () -> new InvertingDenoiser(0, gate, Set.of()));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int t = 0; t < 3; t++) s.publish(PixelType.GRAY8, 8, 8, new byte[64], t);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        producer.start();
        Thread.sleep(200);
        assertTrue(producer.isAlive(), "the producer waits while the ring is full");
        Thread closer = new Thread(() -> {
            s.close();
        });
        closer.start();
        producer.join(10_000);
        assertFalse(producer.isAlive());
        assertNotNull(thrown.get());
        assertTrue(thrown.get() instanceof IllegalStateException && thrown.get().getMessage().contains("closed"),
                String.valueOf(thrown.get()));
        gate.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
    }

    @Test
    void theFactoryDenoiseAndCloseAllRunOnTheNamedWorkerThread() {
        InvertingDenoiser[] made = new InvertingDenoiser[1];
        StreamSettings settings = StreamSettings.builder().policy(StreamPolicy.RECORD).workerThreadName("gpu0-worker").build();
        try (FrameStream s = new FrameStream(settings, () -> made[0] = new InvertingDenoiser())) {
            s.publish(PixelType.GRAY8, 4, 4, new byte[16], 0);
            assertEquals(1, s.flush(f -> { }, 30, TimeUnit.SECONDS));
        }
        assertEquals("gpu0-worker", made[0].createdOn.getName());
        assertSame(made[0].createdOn, made[0].denoisedOn);
        assertSame(made[0].createdOn, made[0].closedOn);
    }

    @Test
    void badFramesAreRejectedWithAMessageAndTakeNothing() {
        try (FrameStream s = new FrameStream(record(1 << 20, false), InvertingDenoiser::new)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.publish(PixelType.GRAY16, 4, 4, new byte[16], 0));
            assertTrue(e.getMessage().contains("short[]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> s.publish(PixelType.GRAY8, 4, 4, new byte[15], 0));
            assertTrue(e.getMessage().contains("16"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.publish(PixelType.GRAY8, 0, 4, new byte[16], 0));
            assertEquals(0, s.stats().framesIn());
            assertTrue(s.publish(PixelType.GRAY8, 4, 4, new byte[16], 1));
            Out out = new Out();
            s.flush(out, 30, TimeUnit.SECONDS);
            assertEquals(List.of(1L), out.tags);
        }
    }

    private static byte[] filled8(byte v) {
        byte[] a = new byte[64];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static short[] filled16(short v) {
        short[] a = new short[64];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static float[] filledF(float v) {
        float[] a = new float[64];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
