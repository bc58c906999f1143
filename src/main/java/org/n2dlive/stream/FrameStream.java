package org.n2dlive.stream;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;

/**
 * A camera stream through one denoising worker: frames in on the producer's thread, denoised frames back out
 * on the same thread (Micro-Manager lets a processor output images only from inside processImage/cleanup).
 *
 * <p>Design. An LMAX Disruptor ring of pre-allocated slots, one producer, one worker thread bound to the
 * denoiser. {@link #publish} copies the camera pixels into the next free slot (the slot's buffer is reused
 * while the frame size stays the same: no allocation per frame) and publishes it. The worker denoises into the
 * slot's output buffer and advances its completion sequence. The producer collects results by walking the
 * slots between the last one it released and the worker's completion sequence ({@link #drain}): there is no
 * second ring, the worker's sequence plus per-slot flags are the completion queue. A slot is refilled only
 * after the producer has released it, so results stay valid until drained. A frame may carry the producer's own
 * context object (for Micro-Manager: the image's coordinates and metadata); the slot holds the reference, so the
 * consumer needs no side table to rejoin a result with its source, and nothing is allocated.
 *
 * <p>Because only the producer releases slots, a producer that publishes without draining would fill the ring
 * with finished frames and then wait on itself. So when the ring is full and its oldest frames are finished,
 * {@link #publish} parks them: their payloads (buffers, report) move to a producer-side queue, swapped for
 * spare ones, no pixels copied; the next {@link #drain} returns them first, in order. The ring's capacity thus
 * bounds the frames waiting for the worker; finished frames wait for the producer's next drain.
 *
 * <p>Policies. LIVE: {@link #publish} never blocks. The worker takes the newest published frame and marks
 * older waiting ones skipped. When the ring is full (the worker is busy with one frame and the others wait),
 * publish overwrites the newest waiting frame with the incoming one instead of refusing it, so the worker's
 * next frame is always the camera's latest (a per-slot compare-and-set keeps it from overwriting a frame the
 * worker has just taken; then the older slots are free and it publishes normally). Skipped and replaced frames
 * are counted as dropped. RECORD: the ring has the largest power-of-two number of slots whose buffers (input
 * and output, 2 × frame bytes per slot) fit in {@code ringMemoryBytes} (at least 2 slots, so a frame larger than
 * half the budget exceeds it; at most {@value #MAX_RECORD_SLOTS}); publish waits only while that many frames
 * wait for the worker. Parked frames and up to {@value #MAX_SPARE_PAYLOADS} spare payloads come on top. When the
 * frame size changes so that another slot count is due, the producer lets the worker finish the old ring, parks
 * its frames, and starts a new ring: nothing is lost, order is kept (a stream alternating between two sizes
 * rebuilds at every change: correct, not fast). LIVE rings keep their slot count; slot buffers are re-sized as
 * frames of a new size arrive.
 *
 * <p>Buffers: LIVE slots keep theirs. RECORD slots hand theirs back when released, to a producer-side pool that
 * the next frames take them from, so a ring of many slots holds buffers only for as many frames as were ever in it
 * at once: memory grows towards the budget only as far as the largest backlog needs (a long acquisition that the
 * model keeps up with cycles through every slot but holds a few frames, not the whole budget).
 *
 * <p>A RECORD source that cannot wait (a camera sequence, whose buffer overflows if the pipeline stalls) says so
 * with {@link #sourceCanWait}; the worker then passes frames through raw, flagged, rather than let the backlog grow
 * (see {@link StreamWorker}), so publish does not wait.
 *
 * <p>Threading: {@link #publish}, {@link #drain} and {@link #flush} belong to the producer: one thread at a
 * time, never concurrently (the thread may change if the caller orders the calls, e.g. with a lock).
 * {@link #stats()} and {@link #close()} may be called from any thread.
 */
public final class FrameStream implements AutoCloseable {
    /** RECORD upper bound on slots, so tiny frames with a big budget do not create millions of slots. */
    public static final int MAX_RECORD_SLOTS = 1 << 14;
    private static final int MAX_SPARE_PAYLOADS = 4;
    private static final long MIN_PARK_NANOS = 20_000;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final StreamSettings settings;
    private final StreamPolicy policy;
    private final StreamCounters counters = new StreamCounters();
    private final StreamWorker worker;
    private final Thread thread;
    private final CompletedFrame view;
    private final ArrayDeque<SlotPayload> parked = new ArrayDeque<>();
    private final ArrayDeque<SlotPayload> spare = new ArrayDeque<>();
    /** RECORD: input and output buffers of released frames, for the next ones (producer thread). */
    private final ArrayDeque<Frame> pooled = new ArrayDeque<>();

    private volatile RingGeneration ring;
    private long slotBytes = -1;
    private long nextSequence;
    private volatile long publishWaits;
    private volatile boolean closed;
    /** Producer: set while a consumer runs, to refuse re-entrant calls (they would deliver frames twice). */
    private boolean inConsumer;

    /**
     * Starts the worker thread, which calls {@code denoiserFactory} first (models bind to the thread that made
     * them). A factory that throws does not stop the stream: every frame then passes through, flagged, and the
     * failure is the stream's first error.
     */
    public FrameStream(StreamSettings settings, Supplier<FrameDenoiser> denoiserFactory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(denoiserFactory, "denoiserFactory");
        this.policy = settings.policy();
        this.view = new CompletedFrame(settings.keepRaw());
        // RECORD starts with two slots; the first frame sizes the ring from the memory budget.
        this.ring = new RingGeneration(policy == StreamPolicy.LIVE ? settings.liveSlots() : 2);
        this.worker = new StreamWorker(policy, denoiserFactory, counters, ring);
        this.thread = new Thread(worker, settings.workerThreadName());
        thread.setDaemon(true); // a stream left open must not keep the JVM (or Micro-Manager) from exiting
        thread.start();
    }

    public StreamSettings settings() {
        return settings;
    }

    /**
     * Producer: copies one camera frame into the ring. {@code pixels} is byte[] (GRAY8), short[] (GRAY16) or
     * float[] (FLOAT32) of at least width·height values; it is not kept. LIVE never blocks; it returns true
     * when the frame was taken (an older waiting frame may have been dropped for it, counted) and false only
     * if it was dropped itself (counted; not expected in practice). RECORD returns true, waiting first while
     * the ring is full of frames the worker has not finished.
     *
     * @param tag the caller's id, returned with the result
     * @throws IllegalArgumentException on a bad frame (nothing is taken or counted)
     * @throws IllegalStateException    when the stream is closed (also if it closes while RECORD waits)
     */
    public boolean publish(PixelType type, int width, int height, Object pixels, long tag) {
        return publish(type, width, height, pixels, tag, null);
    }

    /**
     * {@link #publish(PixelType, int, int, Object, long)} with an opaque {@code context} that travels with the
     * frame and comes back as {@link CompletedFrame#context()} (e.g. the camera image's coordinates and
     * metadata): the event carries what its consumer needs, so the caller keeps no side table. Only the
     * reference is stored, in the slot's pre-allocated payload; it is let go when the slot is released.
     */
    public boolean publish(PixelType type, int width, int height, Object pixels, long tag, Object context) {
        return publish(type, width, height, pixels, tag, SeriesKey.SINGLE, context);
    }

    /**
     * {@link #publish(PixelType, int, int, Object, long, Object)} for a frame of the given series (stage position,
     * channel, z): the worker hands it to the denoiser with the frame ({@link FrameDenoiser#denoise(SeriesKey,
     * Frame, Frame, DenoiseReport)}), so models, normalization and history stay per series.
     */
    public boolean publish(PixelType type, int width, int height, Object pixels, long tag, SeriesKey series,
            Object context) {
        Objects.requireNonNull(series, "series");
        if (closed) throw new IllegalStateException("the frame stream is closed; frame " + tag + " was not taken");
        checkNotInConsumer("publish");
        Frame.checkPixels(type, width, height, pixels);
        RingGeneration g;
        if (policy == StreamPolicy.RECORD) {
            g = recordRingFor(type, width, height);
            if (!g.hasRoom()) {
                publishWaits++;
                awaitRoom(g, tag);
            }
        } else {
            g = ring;
            if (!g.hasRoom()) parkCompleted(g, 1);
            if (!g.hasRoom()) {
                if (replaceNewest(g, type, width, height, pixels, tag, series, context)) return true;
                // The worker has just taken the newest frame, so everything older is finished or skipped.
                parkCompleted(g, 1);
                if (!g.hasRoom()) {
                    counters.droppedAtPublish = counters.droppedAtPublish + 1;
                    counters.framesIn = counters.framesIn + 1;
                    return false;
                }
            }
        }
        long seq = g.published() + 1; // single producer: next() returns exactly this
        SlotPayload p = g.ring.get(seq).payload;
        if (policy == StreamPolicy.RECORD) {
            if (p.input == null) p.input = pooled.pollFirst();
            if (p.output == null) p.output = pooled.pollFirst();
        }
        p.fill(type, width, height, pixels, tag, nextSequence, context);
        p.series = series;
        p.state.set(SlotPayload.READY);
        long claimed = g.ring.next(); // never waits: room was checked, and only this thread claims
        if (claimed != seq) throw new IllegalStateException("ring claimed " + claimed + ", expected " + seq);
        g.ring.publish(claimed);
        nextSequence++;
        counters.framesIn = counters.framesIn + 1;
        return true;
    }

    /**
     * Producer: hands every finished frame, in publish order, to the consumer; returns how many. Never waits.
     * The last frame of the call is flagged ({@link CompletedFrame#last()}): a LIVE consumer shows only that one.
     */
    public int drain(CompletedFrameConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        checkNotInConsumer("drain");
        RingGeneration g = ring;
        long done = g.completed.get();
        long released = g.released.get();
        long lastInRing = -1; // the newest finished, not skipped slot (LIVE skips a few at most: a short scan)
        for (long s = done; s > released; s--) {
            if (!g.ring.get(s).payload.skipped) {
                lastInRing = s;
                break;
            }
        }
        int n = 0;
        SlotPayload p;
        while ((p = parked.pollFirst()) != null) {
            try {
                deliver(p, consumer, lastInRing < 0 && parked.isEmpty());
                n++;
            } finally {
                p.context = null;
                recycle(p);
            }
        }
        for (long s = released + 1; s <= done; s++) {
            SlotPayload q = g.ring.get(s).payload;
            try {
                if (!q.skipped) {
                    deliver(q, consumer, s == lastInRing);
                    n++;
                }
            } finally {
                q.context = null;
                poolBuffers(q);
                g.released.set(s);
            }
        }
        return n;
    }

    /**
     * Producer: waits until every published frame is finished (or the timeout passes, or the thread is
     * interrupted), draining as frames complete; returns how many were drained.
     */
    public int flush(CompletedFrameConsumer consumer, long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        int n = drain(consumer);
        long park = MIN_PARK_NANOS;
        while (!ring.allCompleted()) {
            if (!thread.isAlive()) break; // closed: what is left will never finish
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            LockSupport.parkNanos(Math.min(park, left));
            if (Thread.currentThread().isInterrupted()) break;
            int d = drain(consumer);
            n += d;
            park = d > 0 ? MIN_PARK_NANOS : Math.min(2 * park, MAX_PARK_NANOS);
        }
        return n + drain(consumer);
    }

    /** A snapshot of the stream's figures; any thread. */
    public StreamStats stats() {
        RingGeneration g = ring;
        long pending = counters.framesIn - counters.droppedAtPublish - counters.replaced - counters.processed - counters.skipped;
        return new StreamStats(policy, counters, Math.max(0, pending), g.capacity, closed);
    }

    /**
     * RECORD: how many publishes found the ring full of unfinished frames and waited for the worker (the
     * back-pressure an acquisition feels). Producer-written; any thread may read it.
     */
    public long publishWaits() {
        return publishWaits;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the worker without flushing: it finishes the frame it holds, closes the denoiser and exits; frames
     * still waiting are abandoned (see {@link StreamStats#pending()}). Waits up to the settings' close timeout
     * for the worker; never hangs beyond that. Finished frames can still be drained afterwards. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        worker.stop();
        if (Thread.currentThread() == thread) return;
        try {
            thread.join(settings.closeTimeoutMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while the worker thread runs (it ends after close, once its current frame is done). */
    public boolean workerAlive() {
        return thread.isAlive();
    }

    // ---- producer internals ----

    private void deliver(SlotPayload p, CompletedFrameConsumer consumer, boolean last) {
        view.bind(p, last);
        counters.framesOut = counters.framesOut + 1;
        inConsumer = true;
        try {
            consumer.accept(view);
        } finally {
            inConsumer = false;
        }
    }

    private void checkNotInConsumer(String call) {
        if (inConsumer) throw new IllegalStateException(call + "() was called from inside a consumer; return from accept() first");
    }

    /**
     * LIVE, ring full: overwrites the newest published frame with this one unless the worker has taken it
     * already. The frame replaced counts as dropped. Returns false when the worker won the race.
     */
    private boolean replaceNewest(RingGeneration g, PixelType type, int width, int height, Object pixels, long tag,
                                  SeriesKey series, Object context) {
        SlotPayload p = g.ring.get(g.published()).payload;
        if (!p.state.compareAndSet(SlotPayload.READY, SlotPayload.WRITING)) return false;
        try {
            p.fill(type, width, height, pixels, tag, nextSequence, context);
            p.series = series;
        } finally {
            p.state.set(SlotPayload.READY);
        }
        nextSequence++;
        counters.replaced = counters.replaced + 1;
        counters.framesIn = counters.framesIn + 1;
        return true;
    }

    /**
     * Moves up to {@code max} finished, undrained frames out of the ring (payload swap, no pixel copy), releasing
     * skipped slots on the way; returns the slots freed. Moving only what is needed keeps the spare pool able to
     * refill the slots, so steady back-pressure allocates nothing.
     */
    private int parkCompleted(RingGeneration g, int max) {
        long done = g.completed.get();
        long from = g.released.get() + 1;
        int moved = 0;
        int freed = 0;
        for (long s = from; s <= done; s++) {
            FrameSlot slot = g.ring.get(s);
            if (!slot.payload.skipped) {
                if (moved == max) break;
                parked.addLast(slot.payload);
                SlotPayload fresh = spare.pollFirst();
                slot.payload = fresh != null ? fresh : new SlotPayload();
                moved++;
            } else {
                slot.payload.context = null;
            }
            g.released.set(s);
            freed++;
        }
        return freed;
    }

    private void recycle(SlotPayload p) {
        poolBuffers(p);
        if (spare.size() < MAX_SPARE_PAYLOADS) spare.addLast(p);
    }

    /** RECORD: a released frame's buffers go to the pool. */
    private void poolBuffers(SlotPayload p) {
        if (policy != StreamPolicy.RECORD) return;
        if (p.input != null) pooled.addLast(p.input);
        if (p.output != null) pooled.addLast(p.output);
        p.input = null;
        p.output = null;
    }

    /**
     * Producer, RECORD: whether the frames published from now on may wait for the model. False for a source whose
     * own buffer overflows if the pipeline stalls (a camera sequence): the worker then passes frames through raw,
     * flagged ({@link CompletedFrame#passedThrough()}, counted as {@link StreamStats#behind()}), while the frames
     * after them would keep the model busy for more than ~2 s, so the ring never fills and publish never waits.
     * True (the default) keeps RECORD's rule: every frame denoised, publish waiting while the ring is full.
     */
    public void sourceCanWait(boolean canWait) {
        worker.sourceCanWait(canWait);
    }

    /** RECORD: waits until the ring has room, parking finished frames as they appear. */
    private void awaitRoom(RingGeneration g, long tag) {
        long park = MIN_PARK_NANOS;
        while (!g.hasRoom()) {
            if (parkCompleted(g, 1) > 0) {
                park = MIN_PARK_NANOS;
                continue;
            }
            waitForWorker(park, tag);
            park = Math.min(2 * park, MAX_PARK_NANOS);
        }
    }

    private void waitForWorker(long nanos, long tag) {
        if (closed || !thread.isAlive()) {
            throw new IllegalStateException("the frame stream was closed while frame " + tag
                    + " waited for room in the ring; it was not taken");
        }
        LockSupport.parkNanos(nanos);
    }

    /**
     * RECORD: the ring for this frame size. A size whose budget gives another power-of-two slot count gets a
     * new ring, once the worker has finished the old one; its frames are parked, so none is lost.
     */
    private RingGeneration recordRingFor(PixelType type, int width, int height) {
        long bytes = 2L * width * height * type.bytesPerPixel();
        RingGeneration g = ring;
        if (bytes == slotBytes) return g;
        slotBytes = bytes;
        // Every slot ends up holding buffers (sequences cycle through all of them), so the ring itself must fit
        // the budget: the largest power of two that does.
        int capacity = Integer.highestOneBit((int) Math.max(2, Math.min(MAX_RECORD_SLOTS, settings.ringMemoryBytes() / bytes)));
        if (capacity == g.ring.getBufferSize()) return g;
        long park = MIN_PARK_NANOS;
        while (!g.allCompleted()) {
            parkCompleted(g, Integer.MAX_VALUE);
            waitForWorker(park, -1);
            park = Math.min(2 * park, MAX_PARK_NANOS);
        }
        parkCompleted(g, Integer.MAX_VALUE);
        spare.clear(); // buffers of the old size
        pooled.clear();
        RingGeneration next = new RingGeneration(capacity);
        ring = next;
        worker.switchTo(next);
        if (g.published() >= 0) counters.ringRebuilds = counters.ringRebuilds + 1;
        return next;
    }
}
