package org.n2dlive.mm;

import java.awt.EventQueue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.micromanager.PropertyMap;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorPlugin;
import org.micromanager.data.SummaryMetadata;

/**
 * Live mode as Micro-Manager's {@code SnapLiveManager} runs it ({@link MicroManager}: our contract model, or a real
 * installation): a rewritable store; a <b>synchronous</b> pipeline built on the Swing event thread, with live
 * mode's summary metadata (no intended dimensions, no sequence settings) inserted there before the first frame; a
 * camera thread that grabs each frame and inserts it from the Swing thread ({@code invokeAndWait}), every frame at
 * t = 0; {@code halt()} on the Swing thread at a display reset, then a new pipeline (new factory, new processor)
 * over the same store.
 *
 * <p>The test thread calls everything; what the display would show (the store's newest image after each frame)
 * and everything the pipeline recorded ({@link MmPipeline#halt()}) are kept.
 */
final class LiveMode implements AutoCloseable {
    /** A new processor for each pipeline (each display reset), as the plugin's factory makes them. */
    private final Supplier<Processor> processors;
    final MmPipeline.Store store = MicroManager.liveStore();
    private MmPipeline pipeline;
    /** The current pipeline's processor, behind a stop-watch. */
    private TimedProcessor timed;
    /** Of the last {@link #run}, per frame: processImage's time, the part inside context.outputImage, and images out. */
    long[] processNanos = new long[0];
    long[] processCpuNanos = new long[0];
    long[] outputNanos = new long[0];
    int[] outputs = new int[0];
    /** The image on display after each frame, in order (a new entry only when it changed). */
    final List<Image> shown = new ArrayList<>();
    /** What the pipeline recorded, and exceptions insertImage threw. */
    final List<Object> errors = new ArrayList<>();
    private final ScheduledExecutorService camera = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "SnapLiveManager");
        t.setDaemon(true);
        return t;
    });

    LiveMode(ProcessorPlugin plugin, PropertyMap settings) {
        this(() -> plugin.createFactory(settings).createProcessor());
    }

    /** Live mode with any processor, e.g. a pass-through one that measures the pipeline's own cost. */
    LiveMode(Supplier<Processor> processors) {
        this.processors = processors;
        onSwingThread(this::createDisplay);
    }

    /** Live mode's summary: no dimensions, no acquisition settings. */
    static SummaryMetadata liveSummary() {
        return MicroManager.liveSummary();
    }

    private void createDisplay() throws Exception {
        List<Processor> chain = new ArrayList<>();
        timed = new TimedProcessor(this.processors.get());
        chain.add(timed);
        pipeline = MicroManager.pipeline(chain, store, true);
        pipeline.insertSummaryMetadata(liveSummary());
    }

    /**
     * Runs the camera: {@code frames} frames, one every {@code intervalMillis} (the exposure), each inserted on the
     * Swing thread at t = 0. Returns the nanoseconds each {@code insertImage} (the pipeline, the processor and the
     * store behind it) held that thread; {@link #processNanos}, {@link #processCpuNanos}, {@link #outputNanos} and
     * {@link #outputs} then hold the processor's share of each.
     */
    long[] run(int frames, long intervalMillis, IntFunction<Image> cameraImage) throws InterruptedException {
        long[] nanos = new long[frames];
        long[] process = new long[frames];
        long[] cpu = new long[frames];
        long[] output = new long[frames];
        int[] out = new int[frames];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        camera.scheduleAtFixedRate(() -> {
            int k = next.getAndIncrement();
            if (k >= frames) {
                done.countDown();
                throw new IllegalStateException("camera stopped"); // ends this schedule
            }
            Image img = cameraImage.apply(k);
            Image atZero = img.copyAtCoords(MicroManager.atTime(img.getCoords(), 0));
            onSwingThread(() -> {
                long t0 = System.nanoTime();
                try {
                    pipeline.insertImage(atZero);
                } catch (Exception e) {
                    errors.add(e);
                } finally {
                    nanos[k] = System.nanoTime() - t0;
                }
                process[k] = timed.processNanos;
                cpu[k] = timed.processCpuNanos;
                output[k] = timed.outputNanos;
                out[k] = timed.outputs;
                recordShown();
            });
        }, 0, intervalMillis, TimeUnit.MILLISECONDS);
        done.await();
        processNanos = process;
        processCpuNanos = cpu;
        outputNanos = output;
        outputs = out;
        return nanos;
    }

    /** A display reset: halt() on the Swing thread, then a new pipeline. Returns how long halt() held the thread. */
    long resetDisplay() {
        long[] halt = new long[1];
        onSwingThread(() -> {
            halt[0] = halt();
            createDisplay();
        });
        return halt[0];
    }

    private long halt() throws Exception {
        long t0 = System.nanoTime();
        List<Object> recorded = pipeline.halt();
        long nanos = System.nanoTime() - t0;
        errors.addAll(recorded);
        recordShown();
        return nanos;
    }

    private void recordShown() throws IOException {
        Image now = store.shown();
        if (now != null && (shown.isEmpty() || shown.get(shown.size() - 1) != now)) shown.add(now);
    }

    /** The image on display now. */
    Image current() throws IOException {
        return store.shown();
    }

    static boolean atTimeZero(Image i) {
        return i.getCoords().getTimePoint() == 0;
    }

    /** Stops the camera and halts the pipeline (live mode off, then the window closed). */
    @Override
    public void close() {
        camera.shutdownNow();
        onSwingThread(() -> {
            if (!pipeline.isHalted()) halt();
        });
    }

    interface SwingBody {
        void run() throws Exception;
    }

    static void onSwingThread(SwingBody body) {
        Exception[] failure = new Exception[1];
        try {
            EventQueue.invokeAndWait(() -> {
                try {
                    body.run();
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (failure[0] != null) throw new IllegalStateException("on the Swing thread: " + failure[0], failure[0]);
    }
}
