package org.n2dlive.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Supplier;
import org.n2dlive.frame.Frame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.stream.StreamSettings;
import org.n2dlive.stream.StreamStats;
import org.n2dlive.synth.FrameSource;

/**
 * The headless camera loop of {@code stream} and {@code compare}: a source's frames published into a
 * {@link FrameStream}, each with its {@link StreamRecorder.SentFrame} as the ring's per-frame context, finished
 * frames drained into the recorder as they come, then a flush.
 *
 * <p>Threading: {@link #run} is the producer thread; the models are built and run on the stream's worker.
 */
final class StreamLoop {
    private final FrameSource src;
    private final int frames;
    /** Camera frames per second; 0: as fast as the ring takes them. */
    final double fps;
    private final StreamRecorder recorder;
    /**
     * Start the camera once the model is loaded, as a live view starts on a configured processor: the load is then
     * {@link #startupMs}, and the first output's time counts from the first frame. Off, as compare always ran, the
     * model loads while the first frames wait in the ring.
     */
    boolean modelFirst;
    /** Seconds between calls of {@link #reporter} (stream figures, seconds since the first frame); 0: none. */
    double reportEvery;
    ObjDoubleConsumer<StreamStats> reporter;
    /** After {@link #run}: from the stream's start to the first frame published (ms), and from there to its close (s). */
    double startupMs;
    double wallSeconds;

    StreamLoop(FrameSource src, int frames, double fps, StreamRecorder recorder) {
        this.src = src;
        this.frames = frames;
        this.fps = fps;
        this.recorder = recorder;
    }

    /**
     * Runs the stream to its end: every frame published, each finished frame to the recorder and then to
     * {@code alsoDrain}, a flush of up to {@code flushTimeoutS} seconds, the stream closed. Returns its figures.
     */
    StreamStats run(StreamSettings settings, Supplier<FrameDenoiser> models, CompletedFrameConsumer alsoDrain,
            double flushTimeoutS) throws InterruptedException {
        CompletedFrameConsumer drain = f -> {
            recorder.accept(f);
            alsoDrain.accept(f);
        };
        long timeoutMs = Math.round(flushTimeoutS * 1000);
        CountDownLatch ready = new CountDownLatch(1);
        long created = System.nanoTime();
        long t0;
        StreamStats stats;
        try (FrameStream stream = new FrameStream(settings, () -> {
            try {
                return models.get();
            } finally {
                ready.countDown();
            }
        })) {
            if (modelFirst) ready.await(timeoutMs, TimeUnit.MILLISECONDS);
            t0 = System.nanoTime();
            long reportNanos = Math.max(1, Math.round(reportEvery * 1e9));
            long nextReport = t0 + reportNanos;
            for (int i = 0; i < frames; i++) {
                if (fps > 0) sleepUntil(t0 + Math.round(i * 1e9 / fps));
                Frame f = src.frame(i);
                stream.publish(f.type(), f.width(), f.height(), f.pixels(), i, src.series(i), recorder.sent(i, f));
                stream.drain(drain);
                if (reportEvery > 0 && System.nanoTime() >= nextReport) {
                    reporter.accept(stream.stats(), (System.nanoTime() - t0) / 1e9);
                    nextReport += reportNanos;
                }
            }
            stream.flush(drain, timeoutMs, TimeUnit.MILLISECONDS);
            stats = stream.stats();
        }
        startupMs = (t0 - created) / 1e6;
        wallSeconds = (System.nanoTime() - t0) / 1e9;
        return stats;
    }

    private static void sleepUntil(long due) throws InterruptedException {
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
}
