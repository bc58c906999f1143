package org.n2dlive.stream;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * A deterministic test denoiser: output = full scale − input (1 − x for float). Can stall (sleep per frame, or
 * wait on a gate before its first frame) and fail on chosen calls. Records the threads it ran on.
 */
final class InvertingDenoiser implements FrameDenoiser {
    final long sleepMillis;
    final CountDownLatch gate;
    final Set<Integer> failOnCalls;
    volatile int calls;
    volatile Thread createdOn = Thread.currentThread();
    volatile Thread denoisedOn;
    volatile Thread closedOn;
    volatile boolean closed;

    InvertingDenoiser(long sleepMillis, CountDownLatch gate, Set<Integer> failOnCalls) {
        this.sleepMillis = sleepMillis;
        this.gate = gate;
        this.failOnCalls = failOnCalls;
    }

    InvertingDenoiser() {
        this(0, null, Set.of());
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        int call = calls;
        calls = call + 1;
        denoisedOn = Thread.currentThread();
        if (gate != null && !gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("test gate never opened");
        if (sleepMillis > 0) Thread.sleep(sleepMillis);
        if (failOnCalls.contains(call)) throw new IllegalStateException("boom on call " + call);
        dst.reshape(src.type(), src.width(), src.height());
        int n = src.pixelCount();
        switch (src.type()) {
            case GRAY8: {
                byte[] s = src.bytes();
                byte[] d = dst.bytes();
                for (int i = 0; i < n; i++) d[i] = (byte) (255 - (s[i] & 0xFF));
                break;
            }
            case GRAY16: {
                short[] s = src.shorts();
                short[] d = dst.shorts();
                for (int i = 0; i < n; i++) d[i] = (short) (65535 - (s[i] & 0xFFFF));
                break;
            }
            default: {
                float[] s = src.floats();
                float[] d = dst.floats();
                for (int i = 0; i < n; i++) d[i] = 1f - s[i];
            }
        }
        report.adaptationSteps = 1;
        report.adaptationLoss = 0.5;
    }

    @Override
    public void close() {
        closedOn = Thread.currentThread();
        closed = true;
    }

    /** Test pixels for a tag: a ramp offset by the tag, so every frame differs. */
    static Object pixels(PixelType type, int w, int h, long tag) {
        int n = w * h;
        switch (type) {
            case GRAY8: {
                byte[] p = new byte[n];
                for (int i = 0; i < n; i++) p[i] = (byte) (tag * 31 + i * 7);
                return p;
            }
            case GRAY16: {
                short[] p = new short[n];
                for (int i = 0; i < n; i++) p[i] = (short) (tag * 977 + i * 13);
                return p;
            }
            default: {
                float[] p = new float[n];
                for (int i = 0; i < n; i++) p[i] = ((tag * 31 + i * 7) % 1000) / 1000f;
                return p;
            }
        }
    }

    /** The expected output, computed here independently of the stream: the inverted pixels. */
    static Frame expectedOutput(PixelType type, int w, int h, Object px) {
        int n = w * h;
        switch (type) {
            case GRAY8: {
                byte[] s = (byte[]) px;
                byte[] d = new byte[n];
                for (int i = 0; i < n; i++) d[i] = (byte) ~s[i]; // 255 - v for unsigned bytes
                return Frame.wrap(w, h, d);
            }
            case GRAY16: {
                short[] s = (short[]) px;
                short[] d = new short[n];
                for (int i = 0; i < n; i++) d[i] = (short) ~s[i];
                return Frame.wrap(w, h, d);
            }
            default: {
                float[] s = (float[]) px;
                float[] d = new float[n];
                for (int i = 0; i < n; i++) d[i] = 1f - s[i];
                return Frame.wrap(w, h, d);
            }
        }
    }
}
