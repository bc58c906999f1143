package org.n2dlive.mm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.micromanager.PropertyMap;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorPlugin;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.mm.contract.ModelDatastore;
import org.n2dlive.mm.contract.ModelPipeline;
import org.n2dlive.mm.contract.ModelSummary;

/**
 * An acquisition over our contract model ({@link ModelPipeline}), as ../shared/mm-api/README.md describes it: a
 * datastore that refuses a second image at the same coordinates; an <b>asynchronous</b> pipeline (the processor
 * on its own thread behind a one-slot queue); the summary metadata first (from the Swing thread for an
 * acquisition started from the dialog, or from the engine's thread); the images from a saving thread; at the
 * end {@code halt()}, then {@code freeze()}; the time-lapse read back from the frozen store.
 *
 * <p>Called from the test thread; the saving thread is joined before anything is read.
 */
final class Acquisition {
    final ModelDatastore store = ModelDatastore.acquisition();
    final ModelPipeline pipeline;
    /** Exceptions the pipeline recorded or insertImage threw, and breaches of the pipeline's threading contract. */
    final List<Object> errors = new ArrayList<>();
    /** Nanoseconds each insertImage held the saving thread (the back-pressure the engine feels). */
    long[] insertNanos = new long[0];

    Acquisition(ProcessorPlugin plugin, PropertyMap settings) {
        List<Processor> processors = new ArrayList<>();
        processors.add(plugin.createFactory(settings).createProcessor());
        pipeline = new ModelPipeline(processors, store, false);
    }

    /** An acquisition's summary: channel names, intended dimensions and its sequence settings. */
    static SummaryMetadata summary(int timePoints, String... channels) {
        return ModelSummary.acquisition(timePoints, channels);
    }

    /** Inserts the summary metadata, from the Swing thread (an acquisition started from the dialog) or this one. */
    SummaryMetadata start(SummaryMetadata summary, boolean fromSwingThread) {
        if (fromSwingThread) {
            LiveMode.onSwingThread(() -> pipeline.insertSummaryMetadata(summary));
        } else {
            pipeline.insertSummaryMetadata(summary);
        }
        return store.getSummaryMetadata();
    }

    /** The engine's saving thread inserts {@code n} images, in order. */
    void save(int n, IntFunction<Image> image) throws InterruptedException {
        long[] nanos = new long[n];
        Thread saver = new Thread(() -> {
            for (int k = 0; k < n; k++) {
                Image img = image.apply(k);
                long t0 = System.nanoTime();
                try {
                    pipeline.insertImage(img);
                } catch (Exception e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                } finally {
                    nanos[k] = System.nanoTime() - t0;
                }
            }
        }, "acquisition saving thread");
        saver.start();
        saver.join();
        insertNanos = nanos;
    }

    /** The end: halt() (the processor's cleanup runs after every image), then the store is frozen. */
    void finish() throws InterruptedException {
        pipeline.halt();
        store.freeze();
        synchronized (errors) {
            errors.addAll(pipeline.getExceptions());
            errors.addAll(pipeline.violations());
        }
    }

    /** The frozen store's images of one channel, by time point. */
    List<Image> channel(int c) {
        List<Image> out = new ArrayList<>();
        for (Coords k : store.getUnorderedImageCoords()) {
            if (k.getChannel() == c) out.add(store.getImage(k));
        }
        return out.stream().sorted(Comparator.comparingInt(i -> i.getCoords().getTimePoint())).collect(Collectors.toList());
    }

    int imageCount() {
        return store.getNumImages();
    }
}
