package org.n2dlive.mm.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.micromanager.data.Image;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorContext;
import org.micromanager.data.SummaryMetadata;

/**
 * The contract model itself: the plugin's tests rely on it to refuse what Micro-Manager's pipeline refuses, so
 * each rule of the README's threading contract is checked here with a processor that breaks or tests it.
 */
class ModelPipelineTest {

    private static Image frame(int t) {
        return new ModelImage(new short[4], 2, 2, 2, 1, ModelCoords.at(0, t), ModelMetadata.builder().build());
    }

    /** Records the thread of every call; optionally waits on a latch before handing the image on. */
    private static final class Recording implements Processor {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch hold;

        @Override
        public SummaryMetadata processSummaryMetadata(SummaryMetadata source) {
            calls.add("summary on " + Thread.currentThread().getName());
            return source.copyBuilder().channelNames("processed").build();
        }

        @Override
        public void processImage(Image image, ProcessorContext context) {
            calls.add("image " + image.getCoords().getTimePoint() + " on " + Thread.currentThread().getName());
            CountDownLatch h = hold;
            try {
                if (h != null && !h.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            context.outputImage(image);
        }

        @Override
        public void cleanup(ProcessorContext context) {
            calls.add("cleanup on " + Thread.currentThread().getName());
        }
    }

    @Test
    void synchronousRunsOnTheCallersThreadSummaryFirstCleanupOnce() throws Exception {
        Recording p = new Recording();
        ModelDatastore store = ModelDatastore.live();
        ModelPipeline pipeline = new ModelPipeline(List.of(p), store, true);
        pipeline.insertSummaryMetadata(ModelSummary.live());
        assertEquals(List.of("processed"), store.getSummaryMetadata().getChannelNameList(), "the processor's summary is stored");
        pipeline.insertImage(frame(0));
        pipeline.insertImage(frame(0));
        assertEquals(1, store.getNumImages(), "live mode's store: the newer image replaces the one at the same coordinates");
        pipeline.halt();
        pipeline.halt();
        String me = Thread.currentThread().getName();
        assertEquals(List.of("summary on " + me, "image 0 on " + me, "image 0 on " + me, "cleanup on " + me), p.calls);
        assertThrows(IllegalStateException.class, () -> pipeline.insertSummaryMetadata(ModelSummary.live()));
        assertThrows(IllegalStateException.class, () -> pipeline.insertImage(frame(1)), "halted");
    }

    @Test
    void asynchronousHasOneThreadAndAOneSlotQueue() throws Exception {
        Recording p = new Recording();
        p.hold = new CountDownLatch(1);
        ModelDatastore store = ModelDatastore.acquisition();
        ModelPipeline pipeline = new ModelPipeline(List.of(p), store, false);
        pipeline.insertSummaryMetadata(ModelSummary.acquisition(3, "GFP"));
        pipeline.insertImage(frame(0)); // taken by the processor, which holds it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.calls.size() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
        pipeline.insertImage(frame(1)); // waits in the one slot
        Thread saver = new Thread(() -> {
            try {
                pipeline.insertImage(frame(2)); // no room: must wait for the processor
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        saver.start();
        saver.join(300);
        assertTrue(saver.isAlive(), "insertImage returned although the processor held one image and the slot was full");
        p.hold.countDown();
        saver.join(30_000);
        assertFalse(saver.isAlive());
        pipeline.halt();
        assertEquals(3, store.getNumImages());
        assertEquals("cleanup on pipeline processor 0", p.calls.get(p.calls.size() - 1), "cleanup after every image");
        assertTrue(p.calls.stream().skip(1).allMatch(c -> c.endsWith("on pipeline processor 0")), p.calls.toString());
    }

    @Test
    void outputFromAnotherThreadOrAfterTheCallIsAViolation() throws Exception {
        List<ProcessorContext> kept = new ArrayList<>();
        List<Throwable> thrown = new ArrayList<>();
        Processor leaky = (image, ctx) -> {
            kept.add(ctx);
            Thread worker = new Thread(() -> {
                try {
                    ctx.outputImage(image);
                } catch (IllegalStateException e) {
                    thrown.add(e);
                }
            }, "someone else's worker");
            worker.start();
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ModelDatastore store = ModelDatastore.acquisition();
        ModelPipeline pipeline = new ModelPipeline(List.of(leaky), store, true);
        pipeline.insertImage(frame(0));
        assertThrows(IllegalStateException.class, () -> kept.get(0).outputImage(frame(1)), "after processImage returned");
        assertEquals(1, thrown.size());
        assertEquals(2, pipeline.violations().size(), pipeline.violations().toString());
        assertTrue(pipeline.violations().get(0).contains("someone else's worker"));
        assertEquals(0, store.getNumImages());
    }

    @Test
    void aThrowingProcessorMakesTheNextInsertFail() throws Exception {
        Processor failing = (image, ctx) -> {
            throw new IllegalStateException("processor bug");
        };
        ModelPipeline pipeline = new ModelPipeline(List.of(failing), ModelDatastore.acquisition(), false);
        pipeline.insertImage(frame(0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pipeline.getExceptions().isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(1, pipeline.getExceptions().size());
        assertThrows(ModelPipeline.PipelineError.class, () -> pipeline.insertImage(frame(1)));
        pipeline.halt();
    }

    @Test
    void anAcquisitionsStoreRefusesASecondImageAtTheSameCoordinatesAndAnythingWhenFrozen() throws Exception {
        ModelDatastore store = ModelDatastore.acquisition();
        ModelPipeline pipeline = new ModelPipeline(List.of((image, ctx) -> {
            ctx.outputImage(image);
            ctx.outputImage(image);
        }), store, true);
        pipeline.insertImage(frame(0));
        assertEquals(1, store.getNumImages());
        assertEquals(1, pipeline.getExceptions().size(), "the second output at the same coordinates was refused");
        assertTrue(pipeline.getExceptions().get(0) instanceof ModelDatastore.Refused);
        store.freeze();
        assertThrows(ModelDatastore.Refused.class, () -> store.put(frame(5)));
    }

    @Test
    void buildersCopyAndMapsAreStrictlyTyped() {
        ModelPropertyMap.Builder b = ModelPropertyMap.builder().putInteger("n", 3);
        ModelPropertyMap first = b.build();
        ModelPropertyMap second = b.putInteger("n", 4).putString("s", "x").build();
        assertEquals(3, first.getInteger("n", 0), "build() copies: a later put does not reach an earlier map");
        assertEquals(4, second.getInteger("n", 0));
        assertThrows(ModelPropertyMap.WrongType.class, () -> second.getDouble("n", 0));
        assertEquals(7.5, second.getDouble("absent", 7.5), 0);
        ModelMetadata m = ModelMetadata.builder().build();
        assertSame(m.getUUID(), m.copyBuilderPreservingUUID().build().getUUID());
        assertNotEquals(m.getUUID(), m.copyBuilderWithNewUUID().build().getUUID());
        assertThrows(IllegalArgumentException.class,
                () -> new ModelImage(new float[4], 2, 2, 2, 1, ModelCoords.at(0, 0), m), "float[] only with 4 bytes/pixel");
    }
}
