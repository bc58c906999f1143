package org.n2dlive.mm;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * A deterministic stand-in model for tests of the plugin's plumbing (order, loss, pass-through, faults):
 * out = max - in, so every output pixel shows which input frame it came from. Optional delay per frame
 * (a busy worker: a real 60 ms/frame model is as slow as this), a gate (a model provably busy) and failing frames
 * (an engine fault). Reports one adaptation step with loss 1/(n+1).
 * Threading: the worker thread; counters are atomic for the test thread.
 */
final class InvertingDenoiser implements FrameDenoiser {
    static final AtomicInteger CREATED = new AtomicInteger();

    private final long delayNanos;
    private final IntPredicate failOn;
    private final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    /** When set, every frame waits for it first: a model provably busy while the test acts. */
    volatile CountDownLatch gate;
    /** Frames inside denoise now (0 or 1). */
    final AtomicInteger busy = new AtomicInteger();
    /** Counted down when the first frame enters denoise (a hand-shake for the test thread). */
    final CountDownLatch entered = new CountDownLatch(1);

    InvertingDenoiser(long delayNanos, IntPredicate failOn) {
        this.delayNanos = delayNanos;
        this.failOn = failOn;
        CREATED.incrementAndGet();
    }

    InvertingDenoiser() {
        this(0, n -> false);
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        int n = calls.getAndIncrement();
        busy.incrementAndGet();
        entered.countDown();
        try {
            invert(n, src, dst, report);
        } finally {
            busy.decrementAndGet();
        }
    }

    private void invert(int n, Frame src, Frame dst, DenoiseReport report) throws Exception {
        CountDownLatch g = gate;
        if (g != null && !g.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("test gate never opened");
        if (delayNanos > 0) {
            long end = System.nanoTime() + delayNanos;
            while (System.nanoTime() < end) Thread.sleep(1);
        }
        if (failOn.test(n)) throw new IllegalStateException("simulated engine fault on frame " + n);
        dst.reshape(src.type(), src.width(), src.height());
        int count = src.pixelCount();
        if (src.type() == PixelType.GRAY8) {
            byte[] s = src.bytes();
            byte[] d = dst.bytes();
            for (int i = 0; i < count; i++) d[i] = (byte) (255 - (s[i] & 0xFF));
        } else {
            short[] s = src.shorts();
            short[] d = dst.shorts();
            for (int i = 0; i < count; i++) d[i] = (short) (65535 - (s[i] & 0xFFFF));
        }
        report.adaptationSteps = 1;
        report.adaptationLoss = 1.0 / (n + 1);
    }

    int calls() {
        return calls.get();
    }

    @Override
    public String weightsFingerprint() {
        return "inv-" + calls.get();
    }

    @Override
    public void close() {
        closed.incrementAndGet();
    }
}
