package org.n2dlive.mm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;
import org.micromanager.data.Processor;
import org.micromanager.data.ProcessorContext;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
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
 * <p>Per image: gray images (GRAY8, GRAY16) are published into the ring (the stream copies the pixels; the
 * image's coordinates and metadata travel with the frame as its context), then whatever the worker has finished
 * is emitted. RECORD (acquisitions): publish waits only while the ring is full, every finished frame is emitted in
 * order, and cleanup waits for the rest: nothing is lost. While the camera runs a sequence (a hardware-timed burst
 * filling the core's buffer, which overflows if the pipeline waits) nothing waits: frames the model cannot keep up
 * with leave raw, flagged, in order ({@link FrameStream#sourceCanWait}). LIVE (live mode): publish never waits, and only the
 * newest finished frame of each drain is emitted; until the first one is ready the raw image is shown, so the
 * view is not blank while the model warms up. Denoised images keep the input's coordinates (or its "-n2d"
 * channel when raw is kept) and metadata, plus provenance. Images the engine cannot take (RGB32, 32-bit) pass
 * through unchanged; any failure passes raw frames through and is logged once. Nothing is ever thrown to
 * Micro-Manager (its pipeline would then stop live mode or abort the acquisition).
 *
 * <p>Accounting: every image in is, once this processor's cleanup has run, exactly one of out (denoised, or
 * passed through flagged), dropped (LIVE: superseded by a newer frame, or still in the model at cleanup) or
 * unsupported. Published frames are numbered; a frame coming back with number k settles every earlier number.
 *
 * <p>Per denoised image, on the pipeline thread (live mode: the Swing thread, where processImage p99 must stay
 * under 1 ms): the pixels are copied once into the array the datastore keeps, the provenance is built in a reused
 * builder ({@link Provenance.Stamper}), the series text once per series; no logging, formatting or waiting.
 *
 * <p>Threading: the constructor runs where the pipeline is built; every other method on the pipeline's thread
 * (the Swing event thread for live mode, the processor's own thread in acquisitions); processSummaryMetadata on the thread that inserts the summary
 * (Micro-Manager's queue orders it before the images). outputImage is called only from inside processImage and
 * cleanup, never from the worker.
 */
final class N2DProcessor implements Processor {
    /** cleanup gives up waiting only when the worker made no progress for this long. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** Whether a processor of this class loader already ran {@link #warmEmitPath}. */
    private static final AtomicBoolean EMIT_PATH_WARMED = new AtomicBoolean();

    /** What a denoised image needs of its camera image, carried through the ring with the frame. Immutable. */
    private static final class Pending {
        final N2DProcessor owner;
        final long number;
        final Coords coords;
        final Metadata metadata;
        final PixelType type;

        Pending(N2DProcessor owner, long number, Image image, PixelType type) {
            this.owner = owner;
            this.number = number;
            this.coords = image.getCoords();
            this.metadata = image.getMetadata();
            this.type = type;
        }
    }

    private final PluginSettings settings;
    private final DenoiserHost host;
    private final DataManager data;
    private final OnceLog log;
    private final Telemetry telemetry;
    private final CompletedFrameConsumer onCompleted = this::onCompleted;
    private final Provenance.Stamper stamper;
    /** Null: no core to ask (acquisitions always wait for the model). */
    private final CameraSequence sequence;

    // Set by processSummaryMetadata (the inserting thread), read on the pipeline thread: volatile.
    private volatile PipelineKind kind;
    private volatile ChannelLayout layout;
    private boolean kindConfirmed;
    private DenoiserHost.Lease lease;
    private final TwinDisplays twins;

    /** Valid only during processImage/cleanup: where emitted images go. */
    private ProcessorContext context;
    private boolean emittedDenoised;
    private long emittedCount;
    /** Frames of this processor the stream took, numbered 1..published; those up to {@code settled} are accounted. */
    private long published;
    private SeriesKey lastSeries;
    /** The text of the last emitted frame's series (the same key object while the series does not change). */
    private SeriesKey textSeries;
    private String seriesText;
    private long settled;

    N2DProcessor(PluginSettings settings, DenoiserHost host, DataManager data) {
        this(settings, host, data, null, null);
    }

    /**
     * @param twins    styles a keep-raw data set's window (null: left as Micro-Manager opens it)
     * @param sequence whether the camera runs a sequence (null: acquisitions always wait for the model)
     */
    N2DProcessor(PluginSettings settings, DenoiserHost host, DataManager data, TwinDisplays twins,
            CameraSequence sequence) {
        this.twins = twins;
        this.sequence = sequence;
        this.settings = settings;
        this.host = host;
        this.data = data;
        this.log = host.log();
        this.telemetry = host.telemetry();
        this.stamper = new Provenance.Stamper(settings.profile());
        for (String problem : settings.problems()) {
            log.warn("settings:" + problem, problem);
        }
        if (EMIT_PATH_WARMED.compareAndSet(false, true)) warmEmitPath();
    }

    /**
     * Runs the emit path once on a 1×1 dummy, without outputting it, so that its one-time costs (loading and
     * linking the plugin's and Micro-Manager's classes on it) are paid here, where the pipeline is built, and
     * not by the first denoised frame on the Swing thread: the first stamp took 7 ms in a fresh JVM in the real
     * pipeline's live mode, against ~0.1 ms for each later frame (the ring preloads its own late class, see
     * {@code RingGeneration}). Once per class loader.
     */
    private void warmEmitPath() {
        try {
            Metadata md = stamper.stamp(data.metadataBuilder().build(), false, 0, "", false, null, 0,
                    SeriesKey.SINGLE.toString(), new DenoiseReport());
            Frame one = Frame.allocate(PixelType.GRAY16, 1, 1);
            data.createImage(ImageFrames.newPixels(one, PixelType.GRAY16), 1, 1, 2, 1, data.coordsBuilder().build(), md);
            ImageFrames.newPixels(one, PixelType.GRAY8);
        } catch (RuntimeException | LinkageError e) {
            // Nothing to report here: a real frame meets the same problem in emit, which reports it once.
        }
    }

    /** Called once, before any image (live mode too): declares the "-n2d" channels when an acquisition keeps raw. */
    @Override
    public SummaryMetadata processSummaryMetadata(SummaryMetadata source) {
        try {
            kind = PipelineKind.fromSummary(settings.mode(), source);
            if (kind == PipelineKind.ACQUISITION && settings.keepRaw()) {
                layout = ChannelLayout.keepRaw(ChannelLayout.channelCount(source));
                SummaryMetadata declared = layout.declare(source);
                if (twins != null) twins.styleWhenShown(declared.getChannelNameList(), layout.rawChannels());
                return declared;
            }
            layout = ChannelLayout.replace();
        } catch (Throwable e) {
            log.error("summary", e, "could not declare the denoised channels; the summary metadata is unchanged");
            layout = ChannelLayout.replace();
        }
        return source;
    }

    @Override
    public void processImage(Image image, ProcessorContext ctx) {
        context = ctx;
        boolean out = false; // the image itself (or its flagged copy) went out: it counts as out
        boolean inRing = false; // then its result comes out later: never also pass it through
        boolean rawShown = false; // the raw image went out at its own coordinates (keep raw)
        FrameStream stream = null;
        try {
            telemetry.frameIn();
            if (!kindConfirmed) confirmKind(ctx);
            if (lease == null) lease = host.attach(kind, settings);
            PixelType type = ImageFrames.pixelType(image);
            if (type == null) {
                telemetry.unsupported();
                String what = ImageFrames.describe(image);
                log.warn("unsupported:" + what, "images of type " + what
                        + " cannot be denoised (only 8- and 16-bit gray); they pass through unchanged");
                out = true;
                ctx.outputImage(image);
                if (published > settled) {
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
                rawShown = true;
                ctx.outputImage(image); // the raw frame, untouched, at its own coordinates
            }
            stream = host.begin(lease);
            if (stream == null) {
                out = true;
                if (!rawShown) {
                    ctx.outputImage(image);
                    telemetry.frameOut(System.nanoTime(), Double.NaN, 0, true);
                } else {
                    passThroughCopy(image, "the denoiser is busy with another acquisition");
                }
                return;
            }
            Pending p = new Pending(this, published + 1, image, type);
            Coords at = image.getCoords();
            // Channels, z-slices and stage positions are different scenes: each goes to its own series' model.
            SeriesKey series = seriesOf(at);
            if (lease.policy == StreamPolicy.RECORD) stream.sourceCanWait(sequence == null || !sequence.running());
            if (stream.publish(type, image.getWidth(), image.getHeight(), image.getRawPixels(), p.number, series, p)) {
                inRing = true;
                published = p.number;
            } else {
                telemetry.dropped(1); // LIVE: the frame itself was refused
            }
            boolean emitted = collect(stream);
            if (!emitted && !emittedDenoised && !rawShown && lease.policy == StreamPolicy.LIVE) {
                ctx.outputImage(image); // nothing denoised yet: show the camera, not a blank view (still in flight)
            }
        } catch (Throwable e) {
            log.error("process", e, "denoising failed; raw frames pass through");
            if (!out && !inRing) {
                try {
                    if (rawShown) {
                        passThroughCopy(image, "denoising failed: " + e); // the "-n2d" twin, flagged
                    } else {
                        ctx.outputImage(image);
                        telemetry.frameOut(System.nanoTime(), Double.NaN, 0, true);
                    }
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
            // LIVE emits nothing here: live mode halts its pipeline when it stops or rebuilds it, and an image put out
            // then reached the view at the next start, seconds or minutes stale.
            stream = lease == null || published == settled || lease.policy != StreamPolicy.RECORD ? null
                    : host.begin(lease);
            if (stream != null) drainAll(stream);
            if (published > settled && lease.policy == StreamPolicy.RECORD) {
                log.error("cleanup-lost", null, (published - settled) + " frame(s) were still in the denoiser at the "
                        + "end of the acquisition; their raw frames " + (layout != null && layout.keepsRaw()
                        ? "were recorded" : "are missing"));
            }
        } catch (Throwable e) {
            log.error("cleanup", e, "could not finish denoising the last frames");
        } finally {
            if (stream != null) host.end(lease);
            // LIVE: frames still in the model will not be shown by this pipeline; they count as dropped.
            telemetry.dropped(published - settled);
            settled = published;
            if (lease != null) {
                host.release(lease);
                lease = null;
            }
            context = null;
        }
    }

    /** The first image decides the kind: its thread, over the summary's first guess (see {@link PipelineKind}). */
    private void confirmKind(ProcessorContext ctx) {
        kindConfirmed = true;
        PipelineKind byThread = PipelineKind.fromImageThread(settings.mode());
        if (kind == byThread && layout != null) return;
        if (kind != null) {
            log.info("the summary metadata looked like " + kind + " but images arrive as in " + byThread
                    + "; denoising as " + byThread);
        }
        kind = byThread;
        if (kind == PipelineKind.LIVE) {
            layout = ChannelLayout.replace();
        } else if (layout == null || (settings.keepRaw() && !layout.keepsRaw())) {
            layout = layoutWithoutSummary(ctx);
        }
    }

    /** Waits (RECORD cleanup) until every frame of this processor is back, unless the worker stalls. */
    private void drainAll(FrameStream stream) {
        long lastProgress = System.nanoTime();
        while (settled < published) {
            long before = settled;
            stream.flush(onCompleted, 1, TimeUnit.SECONDS);
            if (settled > before) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_NANOS || stream.isClosed()) {
                return;
            }
        }
    }

    /** Emits what the worker finished: every frame (RECORD) or the newest (LIVE). True if one went out. */
    private boolean collect(FrameStream stream) {
        if (stream == null) return false;
        long outBefore = emittedCount;
        stream.drain(onCompleted);
        return emittedCount > outBefore;
    }

    private void onCompleted(CompletedFrame f) {
        Object c = f.context();
        if (!(c instanceof Pending) || ((Pending) c).owner != this) return; // an earlier processor's: settled there
        Pending p = (Pending) c;
        long skipped = p.number - settled - 1;
        if (skipped > 0) {
            telemetry.dropped(skipped);
            if (lease.policy == StreamPolicy.RECORD) {
                log.warn("record-skip", "the stream skipped " + skipped + " frame(s) in RECORD mode");
            }
        }
        settled = p.number;
        if (lease.policy == StreamPolicy.LIVE && !f.last()) {
            telemetry.dropped(1); // a newer frame of this drain is shown instead
            return;
        }
        emit(f, p);
    }

    private void emit(CompletedFrame f, Pending p) {
        Frame frame = f.denoised();
        DenoiseReport report = f.report();
        boolean passed = f.passedThrough();
        // A model that never started was reported by the host, and a refused frame by the stream (once, as a warning:
        // the guard working is not a failure).
        if (f.behind()) {
            log.warn("behind", "the camera sequence ran ahead of the model; the frames it could not keep up with are "
                    + "recorded raw, flagged " + Provenance.PASSED_THROUGH + " in their metadata");
        } else if (passed && host.modelFailure() == null
                && !(f.failure() instanceof org.n2dlive.stream.GuardedFrameException)) {
            log.error("engine-failed", f.failure(), "the denoiser failed (" + f.error() + "); raw frames pass through, "
                    + "flagged " + Provenance.PASSED_THROUGH + " in their metadata");
        }
        String why = passed ? (f.error() != null ? f.error() : "passed through by the stream") : null;
        Metadata md = stamper.stamp(p.metadata, layout.keepsRaw(), report.adaptationSteps, report.weightsFingerprint,
                passed, why, f.latencyNanos() / 1e6, seriesText(f.series()), report);
        // The datastore keeps the array, so each image gets its own copy (an arraycopy: ~5 µs for 64², measured);
        // Micro-Manager never says when it lets go of an image, so a pool could not know when to reuse one.
        context.outputImage(data.createImage(ImageFrames.newPixels(frame, p.type), frame.width(), frame.height(),
                p.type.bytesPerPixel(), 1, layout.denoisedCoords(p.coords), md));
        emittedDenoised = true;
        emittedCount++;
        long now = System.nanoTime();
        if (!passed) {
            telemetry.model(now, report.refits, report.refitReason, report.warmingUp, report.clippedPixels);
            telemetry.estimatedPsnr(report.estimatedPsnrDb);
        }
        telemetry.frameOut(now, report.adaptationLoss, report.adaptationSteps, passed);
    }

    /** The image's series; the previous key is reused while it does not change (live mode: always). */
    private SeriesKey seriesOf(Coords at) {
        int p = Math.max(0, at.getStagePosition());
        int c = Math.max(0, at.getChannel());
        int z = Math.max(0, at.getZSlice());
        SeriesKey last = lastSeries;
        if (last == null || last.position() != p || last.channel() != c || last.z() != z) {
            last = new SeriesKey(p, c, z);
            lastSeries = last;
        }
        return last;
    }

    /** The series' provenance text, built once per series change, not per frame. */
    private String seriesText(SeriesKey k) {
        if (k != textSeries) {
            seriesText = k.toString();
            textSeries = k;
        }
        return seriesText;
    }

    /** Raw kept and no stream: the "-n2d" channel still gets the frame (flagged), so the dataset stays whole. */
    private void passThroughCopy(Image image, String why) {
        log.warn("busy", why + "; frames of this pipeline pass through, flagged " + Provenance.PASSED_THROUGH);
        Metadata md = Provenance.stamp(image.getMetadata(), true, settings.profile(), 0, "", true, why, -1, null, null);
        context.outputImage(image.copyWith(layout.denoisedCoords(image.getCoords()), md));
        telemetry.frameOut(System.nanoTime(), Double.NaN, 0, true);
    }

    /** Keep-raw layout when processSummaryMetadata was not called: channel count from the store's summary. */
    private ChannelLayout layoutWithoutSummary(ProcessorContext ctx) {
        if (kind != PipelineKind.ACQUISITION || !settings.keepRaw()) return ChannelLayout.replace();
        int n = ChannelLayout.channelCount(ctx.getSummaryMetadata());
        log.warn("no-summary", "no acquisition summary metadata came through this pipeline, so the '-n2d' channels are "
                + "not named; denoised frames go to channels " + n + ".." + (2 * n - 1));
        return ChannelLayout.keepRaw(n);
    }
}
