package org.n2dlive.mm.host;

import java.awt.EventQueue;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.micromanager.PropertyMap;
import org.micromanager.Studio;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorPlugin;
import org.micromanager.data.SummaryMetadata;

/**
 * Drives a processor plugin the way Micro-Manager's pipeline does: plugin → createFactory(settings) →
 * createProcessor(); an acquisition inserts the summary metadata, then every image on the processor's
 * own pipeline thread, then calls cleanup once; live mode never inserts summary metadata and calls
 * processImage on the Swing event thread. Each call here waits for the processor (the real acquisition
 * queue holds one image, so the producer waits for the processor just the same).
 *
 * <p>Called from one test thread. {@link #close()} stops the pipeline thread.
 */
public final class SimPipeline implements AutoCloseable {
    /** Which of Micro-Manager's pipelines to imitate. */
    public enum Kind { ACQUISITION, LIVE }

    private final Kind kind;
    private final Processor processor;
    private final SimContext context;
    private final ExecutorService thread;
    private long lastCallNanos;

    public SimPipeline(ProcessorPlugin plugin, PropertyMap settings, Kind kind) {
        this.kind = kind;
        this.context = new SimContext(kind == Kind.LIVE);
        this.thread = kind == Kind.ACQUISITION
                ? Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "sim-pipeline");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        // Micro-Manager builds the pipeline (factory and processors) on the caller's thread.
        this.processor = plugin.createFactory(settings).createProcessor();
    }

    /** A plugin created as Micro-Manager does: no-argument constructor, then setContext. */
    public static <P extends ProcessorPlugin> P load(Class<P> type, Studio studio) {
        try {
            P p = type.getDeclaredConstructor().newInstance();
            p.setContext(studio);
            return p;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type, e);
        }
    }

    /** Acquisitions only: passes summary metadata through the processor (synchronously, caller's thread). */
    public SummaryMetadata insertSummary(SummaryMetadata summary) {
        if (kind == Kind.LIVE) throw new IllegalStateException("live mode inserts no summary metadata");
        SummaryMetadata out = processor.processSummaryMetadata(summary);
        context.setSummary(out);
        return out;
    }

    /** Sets what getSummaryMetadata returns without passing it through the processor (live mode's store). */
    public void setStoreSummary(SummaryMetadata summary) {
        context.setSummary(summary);
    }

    /** processImage on the pipeline's thread; returns the nanoseconds processImage took. */
    public long insert(Image image) {
        run(() -> {
            context.enter();
            long t0 = System.nanoTime();
            try {
                processor.processImage(image, context);
            } finally {
                lastCallNanos = System.nanoTime() - t0;
                context.leave();
            }
            return null;
        });
        return lastCallNanos;
    }

    /** Halts the pipeline: cleanup once, on the pipeline's thread. */
    public void halt() {
        run(() -> {
            context.enter();
            try {
                processor.cleanup(context);
            } finally {
                context.leave();
            }
            return null;
        });
    }

    public List<Image> outputs() {
        return context.outputs();
    }

    public List<String> violations() {
        return context.violations();
    }

    public Processor processor() {
        return processor;
    }

    @Override
    public void close() {
        if (thread != null) thread.shutdownNow();
    }

    private void run(Callable<Void> body) {
        try {
            if (kind == Kind.ACQUISITION) {
                thread.submit(body).get();
            } else {
                AtomicReference<Exception> failure = new AtomicReference<>();
                EventQueue.invokeAndWait(() -> {
                    try {
                        body.call();
                    } catch (Exception e) {
                        failure.set(e);
                    }
                });
                if (failure.get() != null) throw new ExecutionException(failure.get());
            }
        } catch (ExecutionException e) {
            // Micro-Manager would log it and fail the next insert; a test wants to see it at once.
            throw new AssertionError("processor threw: " + e.getCause(), e.getCause());
        } catch (InterruptedException | InvocationTargetException e) {
            throw new AssertionError(e);
        }
    }
}
