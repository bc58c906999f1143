package org.n2dlive.mm;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.micromanager.LogManager;
import org.n2dlive.n2d.WarmStartDenoiser;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.stream.Profile;
import org.n2dlive.stream.StreamPolicy;
import org.n2dlive.stream.StreamSettings;

/**
 * Owns what must outlive Micro-Manager's short-lived processors: the warm model, the ring and its worker
 * (one {@link FrameStream}), and the telemetry the configurator shows. The plugin instance owns one host.
 *
 * <p>A processor attaches ({@link #attach}) and asks for the stream on every frame ({@link #stream}); the
 * host keeps one stream open at a time and hands it to one processor at a time. A processor whose kind
 * needs another policy or ring (live after an acquisition) gets a new stream around the same warm model.
 * An acquisition (RECORD) owner is never displaced: a second pipeline asking meanwhile gets null and
 * passes its frames through. A live (LIVE) owner is displaced freely: its frames may be dropped anyway.
 * Settings that change the model itself (profile, engine, device, adaptation steps, weights file) retire
 * the model; the next stream builds a new one.
 *
 * <p>Threading: attach/stream/release/close synchronize on this host (pipeline threads: the Swing event
 * thread for live mode, an acquisition thread). The model is built lazily by the stream's worker, through
 * the supplier, under {@code modelLock} (never under the host's lock, so a stream constructor that waits
 * for its worker cannot deadlock). Weights actions run on the caller's thread between frames
 * ({@link SharedModel}).
 */
public final class DenoiserHost implements AutoCloseable {
    /** Builds the model for a profile (the real one: {@link #WARM_START}). */
    public interface ModelFactory {
        FrameDenoiser create(Profile profile, PluginSettings settings) throws Exception;

        ModelFactory WARM_START = (profile, settings) -> new WarmStartDenoiser(profile);
    }

    private final ModelFactory factory;
    private final Telemetry telemetry = new Telemetry();
    private final AtomicLong tags = new AtomicLong();
    private volatile OnceLog log;
    private volatile String status = "idle: no pipeline has used the denoiser yet";

    private final Object modelLock = new Object();
    // Written under modelLock; volatile so the frame path and the configurator read it without waiting
    // for a model that is being built.
    private volatile SharedModel model;
    private String modelKey;

    // Guarded by this.
    private FrameStream stream;
    private String streamKey;
    private Lease owner;
    private boolean closed;

    DenoiserHost(ModelFactory factory, LogManager log) {
        this.factory = factory;
        this.log = new OnceLog(log);
    }

    void setLog(LogManager l) {
        log = new OnceLog(l);
    }

    OnceLog log() {
        return log;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /** One line for the configurator: what the denoiser is doing. */
    public String status() {
        return status;
    }

    /** A new, strictly increasing frame tag (no allocation). */
    long nextTag() {
        return tags.incrementAndGet();
    }

    /** One processor's claim on the stream. Fields are guarded by the host. */
    final class Lease {
        final PipelineKind kind;
        final PluginSettings settings;
        final StreamPolicy policy;
        boolean released;

        Lease(PipelineKind kind, PluginSettings settings) {
            this.kind = kind;
            this.settings = settings;
            this.policy = StreamPolicy.valueOf(settings.policyFor(kind));
        }
    }

    synchronized Lease attach(PipelineKind kind, PluginSettings settings) {
        return new Lease(kind, settings);
    }

    /**
     * The stream this lease may publish into, or null when another acquisition holds it (the caller passes
     * its frames through). Cheap when the lease already owns the current stream (every frame but the first).
     * May build a stream (thread start, ring allocation) on a lease's first frame.
     */
    synchronized FrameStream stream(Lease lease) {
        if (owner == lease && stream != null) return stream;
        if (lease.released || closed) return null;
        if (owner != null && owner.policy == StreamPolicy.RECORD) return null;
        String key = lease.policy + "|" + lease.settings.ringMemoryMb();
        boolean newModel = prepareModel(lease.settings);
        if (stream == null || newModel || !key.equals(streamKey)) {
            closeStream();
            stream = openStream(lease);
            streamKey = key;
        }
        owner = lease;
        status = lease.policy + " stream for " + (lease.kind == PipelineKind.LIVE ? "live mode" : "an acquisition")
                + "; model " + modelDescription(lease.settings);
        return stream;
    }

    /** The processor is done (cleanup ran). The stream and model stay warm for the next one. */
    synchronized void release(Lease lease) {
        lease.released = true;
        if (owner == lease) {
            owner = null;
            status = "idle, model warm: " + modelDescription(lease.settings);
        }
    }

    /** Whether the current model could not be built, and why (null when fine or not built yet). */
    String modelFailure() {
        SharedModel m = model;
        return m != null && m.model() instanceof FailedModel ? ((FailedModel) m.model()).message() : null;
    }

    /** Fingerprint of the current weights (never waits for a frame in progress). */
    String fingerprint() {
        SharedModel m = model;
        return m == null ? "" : m.fingerprint();
    }

    /** Saves the warm model's weights (between frames). Fails when no model has been built yet. */
    public void saveWeights(Path file) throws Exception {
        SharedModel m = currentModel();
        m.withModel(d -> weightsIo(d).saveWeights(file));
        log.info("warm weights saved to " + file);
    }

    /** Loads weights into the warm model now (between frames). Fails when no model has been built yet. */
    public void loadWeights(Path file) throws Exception {
        SharedModel m = currentModel();
        m.withModel(d -> weightsIo(d).loadWeights(file));
        log.info("warm weights loaded from " + file);
    }

    /** Whether a working model exists (weights can be saved). */
    public boolean hasModel() {
        SharedModel m = model;
        return m != null && !(m.model() instanceof FailedModel);
    }

    /** Stops the stream and ends the model (tests; Micro-Manager has no plugin shutdown hook). */
    @Override
    public synchronized void close() {
        closed = true;
        closeStream();
        synchronized (modelLock) {
            if (model != null) model.retire();
            model = null;
            modelKey = null;
        }
        status = "closed";
    }

    private SharedModel currentModel() {
        SharedModel m = model;
        if (m == null || m.model() instanceof FailedModel) {
            throw new IllegalStateException("no warm model yet: start live mode or an acquisition first"
                    + (m == null ? "" : " (" + ((FailedModel) m.model()).message() + ")"));
        }
        return m;
    }

    private static WarmStartDenoiser weightsIo(FrameDenoiser d) {
        if (!(d instanceof WarmStartDenoiser)) {
            throw new IllegalStateException("this model (" + d.getClass().getSimpleName() + ") cannot save or load weights");
        }
        return (WarmStartDenoiser) d;
    }

    /**
     * Retires the model when the model settings changed (the next stream builds a new one lazily);
     * returns whether they changed. Called with the host's lock held. The stream is closed (its worker
     * joined) without holding {@code modelLock}: that worker may be waiting for it in the supplier.
     */
    private boolean prepareModel(PluginSettings s) {
        String key = s.modelKey();
        SharedModel old;
        synchronized (modelLock) {
            if (key.equals(modelKey)) return false;
            old = model;
            model = null;
            modelKey = key;
        }
        closeStream();
        if (old != null) {
            old.retire();
            log.info("settings changed the model (" + s + "); the next frame builds a new one");
        }
        return true;
    }

    /** Called by the stream (on its worker) for its denoiser: the shared model, built on first use. */
    private FrameDenoiser supplyModel(PluginSettings s) {
        synchronized (modelLock) {
            if (!s.modelKey().equals(modelKey)) {
                // A stream closing after a settings change: never build a model for stale settings.
                return new FailedModel("settings changed while the stream was starting", null);
            }
            if (model != null) return model;
            long t0 = System.nanoTime();
            FrameDenoiser built;
            try {
                built = ContextLoader.call(() -> factory.create(profileFor(s), s));
            } catch (Throwable e) {
                String msg = "the denoiser could not start (" + s + "): " + e;
                log.error("model-failed:" + s.modelKey(), e, msg + "; frames pass through unchanged");
                model = new SharedModel(new FailedModel(msg, e), "failed");
                status = "failed: " + msg;
                return model;
            }
            model = new SharedModel(built, modelDescription(s));
            log.info(String.format(java.util.Locale.ROOT, "model ready in %.1f s: %s",
                    (System.nanoTime() - t0) / 1e9, modelDescription(s)));
            if (!s.weightsFile().isEmpty()) {
                Path file = java.nio.file.Paths.get(s.weightsFile());
                try {
                    model.withModel(d -> weightsIo(d).loadWeights(file));
                    log.info("warm weights loaded from " + file);
                } catch (Exception e) {
                    log.error("weights:" + file, e, "could not load warm weights from " + file
                            + "; starting from the profile's initial weights");
                }
            }
            return model;
        }
    }

    /** The profile with the plugin's overrides. */
    static Profile profileFor(PluginSettings s) throws Exception {
        Profile p = Profile.resolve(s.profile());
        if (!"auto".equals(s.engine())) p = p.with("engine", s.engine());
        if (!"auto".equals(s.device())) p = p.with("device", s.device());
        if (s.adaptSteps() >= 0) p = p.with("adapt_steps", Integer.toString(s.adaptSteps()));
        return p;
    }

    private static String modelDescription(PluginSettings s) {
        return "profile " + s.profile() + ", engine " + s.engine() + ", device " + s.device()
                + (s.adaptSteps() >= 0 ? ", " + s.adaptSteps() + " adaptation steps/frame" : "");
    }

    private FrameStream openStream(Lease lease) {
        PluginSettings s = lease.settings;
        StreamSettings ss = StreamSettings.builder()
                .policy(lease.policy)
                .ringMemoryBytes((long) s.ringMemoryMb() << 20)
                .keepRaw(false) // the processor emits raw images itself, straight from Micro-Manager's image
                .build();
        try {
            // The worker thread inherits the plugin's context class loader (DJL's ServiceLoader needs it).
            return ContextLoader.call(() -> new FrameStream(ss, () -> supplyModel(s)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the frame stream: " + e, e);
        }
    }

    private void closeStream() {
        if (stream != null) {
            FrameStream s = stream;
            stream = null;
            streamKey = null;
            owner = null;
            s.close();
        }
    }
}
