package org.n2dlive.mm;

import java.util.concurrent.TimeUnit;
import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorContext;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.stream.CompletedFrame;
import org.n2dlive.stream.CompletedFrameConsumer;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.stream.StreamPolicy;

/**
 * One pipeline's processor: a thin adapter between Micro-Manager's images and the host's frame stream.
 * It holds no model; it attaches to the plugin's {@link DenoiserHost} on its first frame and releases it
 * in cleanup.
 *
 * <p>Per image: gray images (GRAY8, GRAY16) are published into the ring (the stream copies them), then
 * whatever the worker has finished is emitted. RECORD (acquisitions): publish waits only while the ring
 * is full, every finished frame is emitted in order, and cleanup waits for the rest: nothing is lost.
 * LIVE (live mode): publish never waits, and only the newest finished frame is emitted; until the first
 * one is ready the raw image is shown, so the view is not blank while the model warms up. Denoised images
 * keep the input's coordinates (or its "-n2d" channel when raw is kept) and metadata, plus provenance.
 * Images the engine cannot take (RGB32, ...) pass through unchanged; any failure passes raw frames
 * through and is logged once. Nothing is ever thrown to Micro-Manager.
 *
 * <p>Threading: every method runs on the pipeline's thread (the Swing event thread for live mode, the
 * processor's own thread in acquisitions); outputImage is called only from inside processImage and
 * cleanup, never from the worker.
 */
final class N2DProcessor implements Processor {
    /** cleanup gives up waiting only when the worker made no progress for this long. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final PluginSettings settings;
    private final DenoiserHost host;
    private final DataManager data;
    private final OnceLog log;
    private final Telemetry telemetry;

    // Set by processSummaryMetadata (Micro-Manager's thread that inserts it), read on the pipeline thread;
    // volatile for the hand-over (Micro-Manager's queue also orders them).
    private volatile PipelineKind kind;
    private volatile ChannelLayout layout;
    private DenoiserHost.Lease lease;
    private final PendingImages pending = new PendingImages(64);

    /** Valid only during processImage/cleanup: where emitted images go. */
    private ProcessorContext context;
    private boolean emittedDenoised;
    private boolean released;

    // LIVE: the newest finished frame of one drain, copied out of its ring slot (reused buffer).
    private final Frame newest = Frame.allocate(PixelType.GRAY8, 1, 1);
    private final DenoiseReport newestReport = new DenoiseReport();
    private long newestTag;
    private boolean newestPassed;
    private String newestError;
    private Throwable newestFailure;
    private long newestLatency;
    private boolean haveNewest;

    private final CompletedFrameConsumer emitEach = this::emitCompleted;
    private final CompletedFrameConsumer keepNewest = this::keepNewest;

    N2DProcessor(PluginSettings settings, DenoiserHost host, DataManager data) {
        this.settings = settings;
        this.host = host;
        this.data = data;
        this.log = host.log();
        this.telemetry = host.telemetry();
        for (String problem : settings.problems()) {
            log.warn("settings:" + problem, problem);
        }
    }

    /**
     * Called before any image, acquisitions only (live mode never inserts summary metadata): declares the
     * "-n2d" channels when raw frames are kept.
     */
    @Override
    public SummaryMetadata processSummaryMetadata(SummaryMetadata source) {
        try {
            if (kind == null) {
                // Only acquisitions insert summary metadata, whatever thread they do it on.
                kind = "live".equals(settings.mode()) ? PipelineKind.LIVE : PipelineKind.ACQUISITION;
            }
            if (kind == PipelineKind.ACQUISITION && settings.keepRaw()) {
                layout = ChannelLayout.keepRaw(ChannelLayout.channelCount(source));
                return layout.declare(source);
            }
            layout = ChannelLayout.replace();
            return source;
        } catch (Throwable e) {
            log.error("summary", e, "could not declare the denoised channels; the summary metadata is unchanged");
            layout = ChannelLayout.replace();
            return source;
        }
    }

    @Override
    public void processImage(Image image, ProcessorContext ctx) {
        context = ctx;
        boolean rawOut = false;
        boolean published = false; // then its result comes out later: never also pass it through
        FrameStream stream = null;
        try {
            if (kind == null) kind = PipelineKind.detect(settings.mode());
            if (layout == null) layout = layoutWithoutSummary(ctx);
            if (lease == null) lease = host.attach(kind, settings);
            telemetry.frameIn();
            PixelType type = ImageFrames.pixelType(image);
            if (type == null) {
                telemetry.unsupported();
                log.warn("unsupported", "images of type " + ImageFrames.describe(image)
                        + " cannot be denoised (only 8- and 16-bit gray); they pass through unchanged");
                rawOut = true;
                ctx.outputImage(image);
                if (!pending.isEmpty()) {
                    stream = host.begin(lease); // earlier gray frames may be done
                    collect(stream);
                }
                return;
            }
            if (layout.keepsRaw()) {
                if (layout.outsideDeclared(image.getCoords())) {
                    log.warn("channel-range", "an image at channel " + image.getCoords().getChannel()
                            + " lies outside the " + layout.rawChannels() + " channel(s) the summary declared; "
                            + "its denoised twin may collide with another raw channel");
                }
                rawOut = true;
                ctx.outputImage(image); // the raw frame, untouched, at its own coordinates
            }
            stream = host.begin(lease);
            if (stream == null) {
                if (!rawOut) {
                    rawOut = true;
                    ctx.outputImage(image);
                } else {
                    passThroughCopy(image, "the denoiser is busy with another acquisition");
                }
                return;
            }
            long tag = host.nextTag();
            if (stream.publish(type, image.getWidth(), image.getHeight(), image.getRawPixels(), tag)) {
                published = true;
                pending.add(tag, image.getCoords(), image.getMetadata(), type);
            } else {
                telemetry.dropped(1); // LIVE: the frame itself was dropped
            }
            boolean emitted = collect(stream);
            if (!emitted && !emittedDenoised && !rawOut && kind == PipelineKind.LIVE) {
                rawOut = true;
                ctx.outputImage(image); // nothing denoised yet: show the camera, not a blank view
            }
        } catch (Throwable e) {
            log.error("process", e, "denoising failed; raw frames pass through");
            if (!rawOut && !published) {
                try {
                    ctx.outputImage(image);
                } catch (Throwable e2) {
                    log.error("process-output", e2, "could not pass the raw frame through");
                }
            }
        } finally {
            if (stream != null) host.end(lease);
            context = null;
        }
    }

    @Override
    public void cleanup(ProcessorContext ctx) {
        context = ctx;
        FrameStream stream = null;
        try {
            stream = lease == null || pending.isEmpty() ? null : host.begin(lease);
            if (stream != null) {
                if (lease.policy == StreamPolicy.RECORD) {
                    drainAll(stream);
                } else {
                    collect(stream);
                }
            }
            if (!pending.isEmpty() && lease != null && lease.policy == StreamPolicy.RECORD) {
                log.error("cleanup-lost", null, pending.size() + " frame(s) were still in the denoiser at the end "
                        + "of the acquisition; their raw frames " + (layout != null && layout.keepsRaw()
                        ? "were recorded" : "are missing"));
            }
        } catch (Throwable e) {
            log.error("cleanup", e, "could not finish denoising the last frames");
        } finally {
            if (stream != null) host.end(lease);
            pending.clearAll();
            if (lease != null && !released) {
                released = true;
                host.release(lease);
            }
            context = null;
        }
    }

    /** Waits (RECORD cleanup) until every pending frame is back, unless the worker stalls. */
    private void drainAll(FrameStream stream) {
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty()) {
            int before = pending.size();
            stream.flush(emitEach, 1, TimeUnit.SECONDS);
            if (pending.size() < before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_NANOS || stream.isClosed()) {
                return;
            }
        }
    }

    /** Emits what the worker finished: every frame (RECORD) or the newest (LIVE). True if one went out. */
    private boolean collect(FrameStream stream) {
        if (stream == null) return false;
        if (lease.policy == StreamPolicy.RECORD) {
            return stream.drain(emitEach) > 0;
        }
        haveNewest = false;
        stream.drain(keepNewest);
        if (!haveNewest) return false;
        haveNewest = false;
        if (!pending.seek(newestTag)) return false; // a frame of an earlier processor
        telemetry.dropped(pending.lastSkipped);
        emit(newest, newestReport, newestPassed, newestError, newestFailure, newestLatency, host.fingerprint());
        return true;
    }

    private void emitCompleted(CompletedFrame f) {
        if (!pending.seek(f.tag())) return; // an earlier processor's frame
        if (pending.lastSkipped > 0) {
            telemetry.dropped(pending.lastSkipped);
            log.warn("record-skip", "the stream skipped " + pending.lastSkipped + " frame(s) in RECORD mode");
        }
        Frame out = f.denoised() != null ? f.denoised() : f.raw();
        emit(out, f.report(), f.passedThrough(), f.error(), f.failure(), f.latencyNanos(),
                host.fingerprintOfRecordFrame(f.sequence()));
    }

    private void keepNewest(CompletedFrame f) {
        Frame out = f.denoised() != null ? f.denoised() : f.raw();
        if (out == null) return;
        newest.copyFrom(out);
        newestReport.copyFrom(f.report());
        newestTag = f.tag();
        newestPassed = f.passedThrough();
        newestError = f.error();
        newestFailure = f.failure();
        newestLatency = f.latencyNanos();
        haveNewest = true;
    }

    /** Emits the pending head's image with these pixels; pops it. */
    private void emit(Frame frame, DenoiseReport report, boolean passed, String error, Throwable failure,
                      long latencyNanos, String fingerprint) {
        Coords rawCoords = pending.headCoords();
        Metadata rawMeta = pending.headMetadata();
        PixelType type = pending.headType();
        pending.pop();
        if (frame == null) {
            log.error("no-pixels", null, "the stream returned a frame without pixels; it is missing from the output");
            return;
        }
        if (passed && host.modelFailure() == null) { // a model that never started was reported by the host
            log.error("engine-failed", failure, "the denoiser failed (" + error + "); raw frames pass through, flagged "
                    + Provenance.PASSED_THROUGH + " in their metadata");
        }
        String why = passed ? (error != null ? error : "passed through by the stream") : null;
        Metadata md = Provenance.stamp(rawMeta, layout.keepsRaw(), settings.profile(), report.adaptationSteps,
                fingerprint, passed, why, latencyNanos / 1e6);
        Object px = ImageFrames.newPixels(frame, type);
        context.outputImage(data.createImage(px, frame.width(), frame.height(), type.bytesPerPixel(), 1,
                layout.denoisedCoords(rawCoords), md));
        emittedDenoised = true;
        telemetry.frameOut(System.nanoTime(), latencyNanos, report.adaptationLoss, report.adaptationSteps, passed);
    }

    /** Raw kept and no stream: the "-n2d" channel still gets the frame (flagged), so the dataset stays whole. */
    private void passThroughCopy(Image image, String why) {
        log.warn("busy", why + "; frames of this pipeline pass through, flagged " + Provenance.PASSED_THROUGH);
        Metadata md = Provenance.stamp(image.getMetadata(), true, settings.profile(), 0, "", true, why, -1);
        context.outputImage(image.copyWith(layout.denoisedCoords(image.getCoords()), md));
        telemetry.frameOut(System.nanoTime(), 0, Double.NaN, 0, true);
    }

    /** Keep-raw layout when processSummaryMetadata was not called: channel count from the store's summary. */
    private ChannelLayout layoutWithoutSummary(ProcessorContext ctx) {
        if (kind != PipelineKind.ACQUISITION || !settings.keepRaw()) return ChannelLayout.replace();
        int n = ChannelLayout.channelCount(ctx.getSummaryMetadata());
        log.warn("no-summary", "no summary metadata came through this pipeline, so the '-n2d' channels are not "
                + "named; denoised frames go to channels " + n + ".." + (2 * n - 1));
        return ChannelLayout.keepRaw(n);
    }
}
