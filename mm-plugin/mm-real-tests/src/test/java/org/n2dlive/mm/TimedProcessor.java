package org.n2dlive.mm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorContext;
import org.micromanager.data.SummaryMetadata;

/**
 * A stop-watch around the processor the real pipeline sees: how long each {@code processImage} held the thread,
 * and how much of that was spent inside {@code context.outputImage} (in a synchronous pipeline: Micro-Manager's
 * store insert, its events and the image it keeps), so the plugin's own share is the difference. Everything is
 * passed on unchanged (the same image, the same context). Figures of the last call only; the stop-watch itself
 * adds ~2 µs per call (two clock reads each side).
 *
 * <p>Threading: the pipeline's thread; the figures are read on that thread after the call.
 */
final class TimedProcessor implements Processor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();
    private final Processor inner;
    private final TimedContext timedContext = new TimedContext();
    /**
     * The last processImage: whole call (wall clock), the thread's CPU time in it (-1 when the JVM cannot tell; on
     * a loaded machine the wall clock also counts the time the thread waited for a core), the part inside
     * context.outputImage (summed), ns; images it output.
     */
    long processNanos;
    long processCpuNanos;
    long outputNanos;
    int outputs;

    TimedProcessor(Processor inner) {
        this.inner = inner;
    }

    @Override
    public SummaryMetadata processSummaryMetadata(SummaryMetadata source) {
        return inner.processSummaryMetadata(source);
    }

    @Override
    public void processImage(Image image, ProcessorContext context) {
        timedContext.inner = context;
        outputNanos = 0;
        outputs = 0;
        long c0 = CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
        long t0 = System.nanoTime();
        try {
            inner.processImage(image, timedContext);
        } finally {
            processNanos = System.nanoTime() - t0;
            processCpuNanos = CPU_TIME ? THREADS.getCurrentThreadCpuTime() - c0 : -1;
            timedContext.inner = null;
        }
    }

    @Override
    public void cleanup(ProcessorContext context) {
        inner.cleanup(context);
    }

    /** Passes everything to the pipeline's own context; times outputImage. */
    private final class TimedContext implements ProcessorContext {
        ProcessorContext inner;

        @Override
        public void outputImage(Image image) {
            long t0 = System.nanoTime();
            try {
                inner.outputImage(image);
            } finally {
                outputNanos += System.nanoTime() - t0;
                outputs++;
            }
        }

        @Override
        public SummaryMetadata getSummaryMetadata() {
            return inner.getSummaryMetadata();
        }
    }
}
