package org.n2dlive.mm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.micromanager.PropertyMap;
import org.micromanager.acquisition.SequenceSettings;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorPlugin;
import org.micromanager.data.SummaryMetadata;
import org.micromanager.data.internal.DefaultCoords;
import org.micromanager.data.internal.DefaultDatastore;
import org.micromanager.data.internal.DefaultSummaryMetadata;
import org.micromanager.data.internal.StorageRAM;
import org.micromanager.data.internal.pipeline.DefaultPipeline;

/**
 * A Micro-Manager acquisition as {@code MMAcquisition} and the acquisition engine run it, over Micro-Manager's
 * real pipeline and store: a RAM datastore; an <b>asynchronous</b> {@link DefaultPipeline} (each processor on its
 * own thread behind a one-slot queue); the summary metadata first (from the Swing thread for an acquisition
 * started from the dialog, or from the engine's thread); the images from a saving thread; at the end
 * {@code halt()}, then {@code freeze()}; the time-lapse read back from the frozen store.
 *
 * <p>Called from the test thread; the saving thread is joined before anything is read.
 */
final class Acquisition {
    final DefaultDatastore store = new DefaultDatastore(null);
    final DefaultPipeline pipeline;
    final List<Exception> errors = new ArrayList<>();
    /** Nanoseconds each insertImage held the saving thread (the back-pressure the engine feels). */
    long[] insertNanos = new long[0];

    Acquisition(ProcessorPlugin plugin, PropertyMap settings) {
        store.setStorage(new StorageRAM(store));
        List<Processor> processors = new ArrayList<>();
        processors.add(plugin.createFactory(settings).createProcessor());
        pipeline = new DefaultPipeline(processors, store, false);
    }

    /** An acquisition's summary: channel names, intended dimensions and its sequence settings. */
    static SummaryMetadata summary(int timePoints, String... channels) {
        SequenceSettings seq = new SequenceSettings.Builder().numFrames(timePoints).build();
        return new DefaultSummaryMetadata.Builder().channelNames(channels)
                .intendedDimensions(new DefaultCoords.Builder().t(timePoints).c(channels.length).build())
                .sequenceSettings(seq).build();
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
        }, "Acquisition saving thread");
        saver.start();
        saver.join();
        insertNanos = nanos;
    }

    /** The end: halt() (the processor's cleanup runs), then the store is frozen. */
    void finish() throws IOException {
        synchronized (errors) {
            errors.addAll(pipeline.getExceptions());
        }
        pipeline.halt();
        store.freeze();
    }

    /** The frozen store's images of one channel, by time point. */
    List<Image> channel(int c) throws IOException {
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
