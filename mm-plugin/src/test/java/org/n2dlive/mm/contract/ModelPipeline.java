package org.n2dlive.mm.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorContext;
import org.micromanager.data.SummaryMetadata;

/**
 * Our model of Micro-Manager's processing pipeline, written from the contract in ../shared/mm-api/README.md
 * ("Threading contract"), not from Micro-Manager's code:
 * <ul>
 *   <li>summary metadata at most once, before any image, through every processor's
 *       {@code processSummaryMetadata} on the inserting thread, then into the store;</li>
 *   <li><b>synchronous</b> (live mode): {@code insertImage} runs every processor on the caller's thread (live mode
 *       calls it on the Swing event thread) and returns when the store has what came out;</li>
 *   <li><b>asynchronous</b> (acquisitions): each processor has its own thread behind an input queue of capacity 1,
 *       so {@code insertImage} waits while the first processor still holds the image before;</li>
 *   <li>{@code outputImage} is legal only on the processor's own thread while it is inside its
 *       {@code processImage} or {@code cleanup}; anything else is recorded as a {@link #violations() violation}
 *       and refused;</li>
 *   <li>an exception thrown by a processor is recorded ({@link #getExceptions()}), and the next
 *       {@code insertImage} throws {@link PipelineError} (Micro-Manager stops live mode or aborts the
 *       acquisition there);</li>
 *   <li>{@link #halt()} calls each processor's {@code cleanup} once, after every image inserted before it, and
 *       returns when all of them have returned.</li>
 * </ul>
 * Thread-safe for one inserting thread at a time (as Micro-Manager inserts).
 */
public final class ModelPipeline {
    /** What {@code insertImage} throws once a processor has thrown (Micro-Manager's PipelineErrorException). */
    public static final class PipelineError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PipelineError(Throwable first) {
            super("a processor failed earlier: " + first, first);
        }
    }

    private static final Object END = new Object();

    private final ModelDatastore store;
    private final boolean synchronous;
    private final List<Stage> stages = new ArrayList<>();
    private final List<Exception> exceptions = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private boolean summaryInserted;
    private boolean imageInserted;
    private volatile boolean halted;

    public ModelPipeline(List<Processor> processors, ModelDatastore store, boolean synchronous) {
        this.store = store;
        this.synchronous = synchronous;
        for (int i = 0; i < processors.size(); i++) stages.add(new Stage(i, processors.get(i)));
        for (int i = 0; i + 1 < stages.size(); i++) stages.get(i).next = stages.get(i + 1);
        if (!synchronous) {
            for (Stage s : stages) s.start();
        }
    }

    public void insertSummaryMetadata(SummaryMetadata summary) {
        if (imageInserted) throw new IllegalStateException("summary metadata after an image");
        if (summaryInserted) throw new IllegalStateException("summary metadata inserted twice");
        summaryInserted = true;
        SummaryMetadata s = summary;
        for (Stage stage : stages) {
            try {
                s = stage.processor.processSummaryMetadata(s);
            } catch (RuntimeException e) {
                record(e);
            }
        }
        store.setSummaryMetadata(s);
    }

    public void insertImage(Image image) throws InterruptedException {
        if (halted) throw new IllegalStateException("the pipeline is halted");
        synchronized (exceptions) {
            if (!exceptions.isEmpty()) throw new PipelineError(exceptions.get(0));
        }
        imageInserted = true;
        if (stages.isEmpty()) {
            store.put(image);
        } else if (synchronous) {
            stages.get(0).process(image);
        } else {
            stages.get(0).queue.put(image);
        }
    }

    /** Cleans every processor up, in order, after all images before; returns when they all returned. */
    public void halt() throws InterruptedException {
        if (halted) return;
        halted = true;
        if (synchronous) {
            for (Stage s : stages) s.cleanup();
        } else if (!stages.isEmpty()) {
            stages.get(0).queue.put(END);
            for (Stage s : stages) s.thread.join();
        }
    }

    public boolean isHalted() {
        return halted;
    }

    /** Once each: a store's refusal is recorded where it happens, and again if the processor lets it through. */
    private void record(Throwable e) {
        synchronized (exceptions) {
            if (!exceptions.contains(e)) exceptions.add(e instanceof Exception ? (Exception) e : new RuntimeException(e));
        }
    }

    /** Exceptions processors threw (and images the store refused), in order. */
    public List<Exception> getExceptions() {
        synchronized (exceptions) {
            return new ArrayList<>(exceptions);
        }
    }

    /** Breaches of the threading contract by a processor. */
    public List<String> violations() {
        synchronized (violations) {
            return new ArrayList<>(violations);
        }
    }

    /** One processor, its context, and (asynchronous) its thread and one-slot queue. */
    private final class Stage implements ProcessorContext {
        final Processor processor;
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
        final Thread thread;
        Stage next;
        /** The thread inside this processor's processImage or cleanup, else null. */
        volatile Thread inCall;

        Stage(int index, Processor processor) {
            this.processor = processor;
            this.thread = new Thread(this::run, "pipeline processor " + index);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                for (Object o = queue.take(); o != END; o = queue.take()) process((Image) o);
                cleanup();
                if (next != null) next.queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void process(Image image) {
            inCall = Thread.currentThread();
            try {
                processor.processImage(image, this);
            } catch (RuntimeException | Error e) {
                record(e);
            } finally {
                inCall = null;
            }
        }

        void cleanup() {
            inCall = Thread.currentThread();
            try {
                processor.cleanup(this);
            } catch (RuntimeException | Error e) {
                record(e);
            } finally {
                inCall = null;
            }
        }

        @Override
        public void outputImage(Image image) {
            if (inCall != Thread.currentThread()) {
                String v = "outputImage on thread '" + Thread.currentThread().getName()
                        + "' outside the processor's processImage/cleanup call";
                violations.add(v);
                throw new IllegalStateException(v);
            }
            if (next == null) {
                try {
                    store.put(image);
                } catch (RuntimeException e) {
                    record(e); // recorded even when the processor catches it: the image is lost all the same
                    throw e;
                }
            } else if (synchronous) {
                next.process(image);
            } else {
                try {
                    next.queue.put(image);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted handing an image on", e);
                }
            }
        }

        @Override
        public SummaryMetadata getSummaryMetadata() {
            return store.getSummaryMetadata();
        }
    }
}
