package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.PixelType;

/** A published frame carries its producer's context through the ring; drains flag their newest frame. */
class FrameStreamContextTest {

    @Test
    void eachFrameComesBackWithItsOwnContextAndTheDrainFlagsItsLastFrame() {
        int n = 50;
        Object[] contexts = new Object[n];
        List<Object> seen = new ArrayList<>();
        List<Boolean> last = new ArrayList<>();
        CompletedFrameConsumer c = f -> {
            seen.add(f.context());
            last.add(f.last());
        };
        // 8x8 GRAY8: 128 B a slot; 512 B gives a 4-slot ring, so frames are parked and ring generations reused.
        StreamSettings s = StreamSettings.builder().policy(StreamPolicy.RECORD).ringMemoryBytes(512).build();
        try (FrameStream stream = new FrameStream(s, () -> new InvertingDenoiser(1, null, Set.of()))) {
            for (int t = 0; t < n; t++) {
                contexts[t] = "image " + t;
                stream.publish(PixelType.GRAY8, 8, 8, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, t), t, contexts[t]);
                if (t % 7 == 0) {
                    int before = seen.size();
                    int got = stream.drain(c);
                    for (int k = before; k < seen.size(); k++) assertEquals(k == seen.size() - 1, last.get(k), "frame " + k);
                    assertEquals(got, seen.size() - before);
                }
            }
            stream.flush(c, 30, TimeUnit.SECONDS);
            assertTrue(stream.publishWaits() > 0, "a 4-slot ring and a 1 ms/frame worker make publish wait");
        }
        assertEquals(n, seen.size());
        for (int t = 0; t < n; t++) assertSame(contexts[t], seen.get(t), "frame " + t + " carries its own context");
    }

    @Test
    void liveDrainFlagsOnlyTheNewestAndPublishNeverWaits() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        StreamSettings s = StreamSettings.builder().policy(StreamPolicy.LIVE).build();
        List<Object> lastContexts = new ArrayList<>();
        try (FrameStream stream = new FrameStream(s, () -> new InvertingDenoiser(0, gate, Set.of()))) {
            for (int t = 0; t < 20; t++) {
                stream.publish(PixelType.GRAY8, 8, 8, InvertingDenoiser.pixels(PixelType.GRAY8, 8, 8, t), t, "live " + t);
            }
            gate.countDown();
            stream.flush(f -> {
                if (f.last()) lastContexts.add(f.context());
            }, 30, TimeUnit.SECONDS);
            assertEquals(0, stream.publishWaits(), "LIVE publish never waits");
        }
        assertTrue(!lastContexts.isEmpty());
        assertEquals("live 19", lastContexts.get(lastContexts.size() - 1), "the newest frame comes out last, with its context");
    }

    @Test
    void publishWithoutContextGivesNull() {
        StreamSettings s = StreamSettings.builder().policy(StreamPolicy.RECORD).ringMemoryBytes(1 << 16).build();
        List<Object> seen = new ArrayList<>();
        try (FrameStream stream = new FrameStream(s, InvertingDenoiser::new)) {
            stream.publish(PixelType.GRAY8, 4, 4, new byte[16], 1);
            stream.flush(f -> seen.add(f.context()), 30, TimeUnit.SECONDS);
        }
        assertEquals(1, seen.size());
        assertNull(seen.get(0));
    }
}
