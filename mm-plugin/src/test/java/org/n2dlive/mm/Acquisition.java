package org.n2dlive.mm;

import java.io.IOException;
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

/**
 * An acquisition as Micro-Manager's {@code MMAcquisition} and acquisition engine run it ({@link MicroManager}: our
 * contract model, or a real installation): a datastore that refuses a second image at the same coordinates; an
 * <b>asynchronous</b> pipeline (the processor on its own thread behind a one-slot queue); the summary metadata
 * first (from the Swing thread for an acquisition started from the dialog, or from the engine's thread); the
 * images from a saving thread; at the end {@code halt()}, then {@code freeze()}; the time-lapse read back from the
 * frozen store.
 *
 * <p>Called from the test thread; the saving thread is joined before anything is read.
 */
final class Acquisition {
    final MmPipeline.Store store = MicroManager.acquisitionStore();
    final MmPipeline pipeline;
    /** What the pipeline recorded ({@link MmPipeline#halt()}), and exceptions insertImage threw. */
    final List<Object> errors = new ArrayList<>();
    /** Nanoseconds each insertImage held the saving thread (the back-pressure the engine feels). */
    long[] insertNanos = new long[0];

    Acquisition(ProcessorPlugin plugin, PropertyMap settings) {
        List<Processor> processors = new ArrayList<>();
        processors.add(plugin.createFactory(settings).createProcessor());
        pipeline = MicroManager.pipeline(processors, store, false);
    }

    /** An acquisition's summary: channel names, intended dimensions and its sequence settings. */
    static SummaryMetadata summary(int timePoints, String... channels) {
        return MicroManager.acquisitionSummary(MicroManager.at(channels.length, timePoints), channels);
    }

    /** Inserts the summary metadata, from the Swing thread (an acquisition started from the dialog) or this one. */
    SummaryMetadata start(SummaryMetadata summary, boolean fromSwingThread) throws Exception {
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
    void finish() throws Exception {
        List<Object> recorded = pipeline.halt();
        store.freeze();
        synchronized (errors) {
            errors.addAll(recorded);
        }
    }

    /** The frozen store's images of one channel, by time point. */
    List<Image> channel(int c) throws IOException {
        List<Image> out = new ArrayList<>();
        for (Coords k : store.getUnorderedImageCoords()) {
            if (k.getChannel() == c) out.add(store.getImage(k));
        }
        return out.stream().sorted(Comparator.comparingInt(i -> i.getCoords().getTimePoint())).collect(Collectors.toList());
    }

    int imageCount() throws IOException {
        return store.getNumImages();
    }
}
