package org.n2dlive.stream;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.TimeoutException;
import java.util.function.Supplier;
import org.n2dlive.frame.Frame;

/**
 * The denoising loop of one {@link FrameStream}: runs on its own thread, which creates, uses and closes the
 * denoiser (models are bound to the thread and device they were made on).
 *
 * <p>Per batch of published frames: RECORD denoises each in order; LIVE marks all but the newest as skipped
 * (latest wins) and denoises only that one, which it claims first (the producer may be replacing it with an
 * even newer frame; see {@link SlotPayload#state}). Any Throwable from the denoiser (or its factory) turns into a
 * pass-through: the raw pixels are copied to the output, the frame is flagged, and the error is counted, its
 * first message kept. The stream goes on. Every output is checked against its input ({@link OutputGuard}); one that
 * fails, or that the denoiser itself refuses ({@link GuardedFrameException}), also leaves raw and flagged, counted as
 * guarded, and the denoiser is told so that it rolls its model back.
 *
 * <p>RECORD with a source that cannot wait (a camera sequence filling a buffer of fixed size, see
 * {@link FrameStream#sourceCanWait}): a frame leaves raw, flagged, without the model, while the frames published
 * after it would keep the model busy for more than {@value #BEHIND_LIMIT_MILLIS} ms (at its recent pace). The
 * copy takes microseconds, so the backlog never fills the ring and publish never makes the camera wait; the model
 * denoises as many frames as its pace allows, in order, and finishes at most that long after the camera.
 *
 * <p>Threading: {@link #run} on the worker thread; {@link #switchTo} and {@link #stop} from producer or
 * closing threads (synchronized with each other so a stop can never miss a freshly switched ring).
 */
final class StreamWorker implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StreamWorker.class);
    static final long BEHIND_LIMIT_MILLIS = 2000;
    private static final long BEHIND_LIMIT_NANOS = BEHIND_LIMIT_MILLIS * 1_000_000L;
    /** One text for every such frame: no string is built per frame while the model is behind. */
    static final String BEHIND_MESSAGE = "not denoised: the camera sequence ran ahead of the model";
    private final StreamPolicy policy;
    private final Supplier<FrameDenoiser> factory;
    private final StreamCounters counters;
    private volatile RingGeneration generation;
    private volatile boolean stopping;
    private volatile boolean sourceCanWait = true;
    /** Worker: recent time of a frame through the model (a moving average), 0 before the first. */
    private long modelNanos;

    StreamWorker(StreamPolicy policy, Supplier<FrameDenoiser> factory, StreamCounters counters, RingGeneration first) {
        this.policy = policy;
        this.factory = factory;
        this.counters = counters;
        this.generation = first;
    }

    /** Producer: hands the worker a new ring. The old one must hold no unfinished frame. */
    synchronized void switchTo(RingGeneration next) {
        RingGeneration old = generation;
        generation = next;
        old.barrier.alert(); // wakes the worker waiting on the old ring
        if (stopping) next.barrier.alert();
    }

    /** Producer: whether the frames now published may wait for the model (RECORD; see the class comment). */
    void sourceCanWait(boolean canWait) {
        sourceCanWait = canWait;
    }

    /** Any thread: finish the current frame, then exit (the denoiser is closed on the worker thread). */
    synchronized void stop() {
        stopping = true;
        generation.barrier.alert();
    }

    @Override
    public void run() {
        FrameDenoiser denoiser = null;
        Throwable factoryFailure = null;
        String factoryMessage = null;
        try {
            denoiser = factory.get();
            if (denoiser == null) throw new IllegalStateException("the denoiser factory returned null");
        } catch (Throwable t) {
            factoryFailure = t;
            factoryMessage = "could not start the denoiser: " + describe(t);
        }
        try {
            loop(denoiser, factoryFailure, factoryMessage);
        } finally {
            if (denoiser != null) {
                try {
                    denoiser.close();
                } catch (Throwable t) {
                    counters.error("closing the denoiser failed: " + describe(t));
                }
            }
        }
    }

    private void loop(FrameDenoiser denoiser, Throwable factoryFailure, String factoryMessage) {
        RingGeneration g = generation;
        while (!stopping) {
            long next = g.completed.get() + 1;
            long available;
            try {
                available = g.barrier.waitFor(next);
            } catch (AlertException e) {
                if (stopping) return;
                RingGeneration now = generation;
                if (now != g) {
                    g = now;
                } else {
                    g.barrier.clearAlert();
                }
                continue;
            } catch (InterruptedException | TimeoutException e) {
                continue; // nobody should interrupt the worker; stopping is checked above
            }
            if (available < next) continue;
            if (policy == StreamPolicy.LIVE && available > next) {
                for (long s = next; s < available; s++) g.ring.get(s).payload.skipped = true;
                counters.skipped = counters.skipped + (available - next);
                // Before taking the newest: a producer that then finds it TAKEN can reclaim the skipped slots.
                g.completed.set(available - 1);
                next = available;
            }
            for (long s = next; s <= available; s++) {
                SlotPayload p = g.ring.get(s).payload;
                take(p);
                long waiting = g.published() - s;
                if (policy == StreamPolicy.RECORD && !sourceCanWait && waiting * modelNanos > BEHIND_LIMIT_NANOS) {
                    passBehind(p);
                } else {
                    process(denoiser, factoryFailure, factoryMessage, p);
                }
                g.completed.set(s);
                if (stopping) return;
            }
        }
    }

    /** Claims the frame's pixels; waits out a LIVE producer that is replacing them with a newer frame (one copy). */
    private static void take(SlotPayload p) {
        while (!p.state.compareAndSet(SlotPayload.READY, SlotPayload.TAKEN)) Thread.onSpinWait();
    }

    private void process(FrameDenoiser denoiser, Throwable factoryFailure, String factoryMessage, SlotPayload p) {
        Frame in = p.input;
        long t0 = System.nanoTime();
        try {
            if (p.output == null) p.output = Frame.allocate(in.type(), in.width(), in.height());
            p.report.reset();
            p.report.liveView = policy == StreamPolicy.LIVE;
            if (denoiser == null) {
                passThrough(p, factoryFailure, factoryMessage);
            } else {
                try {
                    denoiser.denoise(p.series, in, p.output, p.report);
                    String implausible = denoiser.learns() ? OutputGuard.check(in, p.output) : null;
                    if (implausible != null) {
                        denoiser.outputRejected(p.series, implausible);
                        guard(p, new GuardedFrameException(implausible));
                    }
                } catch (GuardedFrameException e) {
                    guard(p, e);
                } catch (Throwable t) {
                    passThrough(p, t, describe(t));
                }
            }
        } catch (Throwable t) {
            // Even the pass-through failed (e.g. out of memory); flag the frame and keep the stream alive.
            p.passedThrough = true;
            p.failure = t;
            p.error = "could not pass the frame through: " + t;
            counters.error(p.error);
        }
        long t1 = System.nanoTime();
        if (!p.passedThrough) modelNanos = modelNanos == 0 ? t1 - t0 : (3 * modelNanos + (t1 - t0)) / 4;
        p.completedNanos = t1;
        counters.frameDone(t1 - t0, p.report, t1 - p.publishedNanos);
    }

    /** The frame leaves raw, flagged, without the model: the source could not wait for it (not an error). */
    private void passBehind(SlotPayload p) {
        long t0 = System.nanoTime();
        Frame in = p.input;
        if (p.output == null) p.output = Frame.allocate(in.type(), in.width(), in.height());
        p.output.copyFrom(in);
        p.report.reset();
        p.passedThrough = true;
        p.behind = true;
        p.failure = null;
        p.error = BEHIND_MESSAGE;
        counters.behind = counters.behind + 1;
        long t1 = System.nanoTime();
        p.completedNanos = t1;
        counters.frameDone(t1 - t0, p.report, t1 - p.publishedNanos);
    }

    private void passThrough(SlotPayload p, Throwable t, String message) {
        p.output.copyFrom(p.input);
        p.passedThrough = true;
        p.failure = t;
        p.error = message;
        counters.failed = counters.failed + 1;
        counters.error(message);
    }

    /** The raw frame leaves in place of one the model cannot vouch for, flagged as in an engine failure. */
    private void guard(SlotPayload p, GuardedFrameException e) {
        if (counters.firstGuardReason == null) {
            LOG.warn("n2d-live: a denoised frame failed its check and was replaced by the raw frame; the model rolled back"
                    + " to its last good state ({}). Further guarded frames are only counted.", e.getMessage());
        }
        p.output.copyFrom(p.input);
        p.passedThrough = true;
        p.failure = e;
        p.error = "guarded: " + e.getMessage();
        counters.guarded(e.getMessage());
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m;
    }
}
