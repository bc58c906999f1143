package org.n2dlive.mm;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import org.micromanager.LogManager;
import org.n2dlive.engine.GpuSetup;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.n2d.WarmWeights;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.FrameStream;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.StreamPolicy;
import org.n2dlive.stream.StreamSettings;

/**
 * Owns what must outlive Micro-Manager's short-lived processors: the frame stream (ring, worker and the
 * warm model the worker builds and owns), the warm weights carried from one stream to the next, and the
 * telemetry the configurator shows. The plugin instance owns one host.
 *
 * <p>A processor attaches ({@link #attach}) and brackets each call that uses the stream with
 * {@link #begin}/{@link #end}. The host keeps one stream open at a time and hands it to one processor at a
 * time. A processor on the same thread with the same policy and settings as the last one gets the same
 * stream, model and all: live mode's pipeline rebuilds (all on the Swing event thread) lose nothing. Any
 * other processor (an acquisition: each runs on a new thread, and the ring takes one producer thread) gets a
 * new stream, and the old model's latest weights are carried into the new model, so it starts warm. The model
 * belongs to its worker thread (DJL managers and grad mode are per thread), which is why weights, not
 * model objects, cross between streams. An acquisition (RECORD) owner is never displaced: another
 * pipeline asking meanwhile gets null and passes its frames through; a live (LIVE) owner is displaced.
 *
 * <p>Threading: attach/stream/release/close synchronize on this host (pipeline threads: the Swing event
 * thread for live mode, acquisition threads). The model is built by the stream's worker through the
 * supplier; the fields the configurator and the frame path read without waiting are volatile.
 */
public final class DenoiserHost implements AutoCloseable {
    /** Builds the model for a profile on the calling (worker) thread; the real one is {@link #WARM_START}. */
    public interface ModelFactory {
        FrameDenoiser create(Profile profile, PluginSettings settings) throws Exception;

        /** With the plugin's log, for models that report (the real one logs its series cap once). */
        default FrameDenoiser create(Profile profile, PluginSettings settings, OnceLog log) throws Exception {
            return create(profile, settings);
        }

        /**
         * Loads the engine the model will need, ahead of the first stream (a background thread calls it); returns
         * what to log, or null. The default loads nothing.
         */
        default String preload(Profile profile) throws Exception {
            return null;
        }

        /**
         * The live stack ({@link LiveModels#stack}): one warm model per channel, shared by its positions and z-slices,
         * within the live and parked caps.
         */
        ModelFactory WARM_START = new ModelFactory() {
            @Override
            public FrameDenoiser create(Profile profile, PluginSettings settings) {
                return create(profile, settings, null);
            }

            @Override
            public FrameDenoiser create(Profile profile, PluginSettings settings, OnceLog log) {
                return LiveModels.stack(profile, log == null ? null : log::info);
            }

            /**
             * The same load the first model would start (the model then finds it done and does not wait), then the
             * kernel checks of the other built-in profiles' widths, so that a profile change does not wait for one.
             */
            @Override
            public String preload(Profile profile) throws Exception {
                String report = preloadFor(profile).join();
                for (String name : Profile.BUILT_INS) preloadFor(Profile.builtIn(name).with("device", profile.device()));
                return report;
            }

            private java.util.concurrent.CompletableFuture<String> preloadFor(Profile p) {
                return org.n2dlive.engine.pytorch.TorchRuntime.preloadInBackground(p.device(),
                        Integer.parseInt(p.get(org.n2dlive.profile.ProfileKey.CHANNELS)));
            }
        };

    }

    private final ModelFactory factory;
    private final Telemetry telemetry = new Telemetry();
    private volatile OnceLog log;
    private volatile String status = "idle: no pipeline has used the denoiser yet";

    /** The model of the open stream (set by its worker); null before it is built or after close. */
    private volatile ModelView current;
    /** Warm weights carried from a closed stream (or loaded by the user) into the next model. */
    private volatile WarmWeights carried;
    /** The weights-file setting in force when {@link #carried} was taken: a new file setting wins over it. */
    private volatile String carriedFile = "";

    // Guarded by this.
    private FrameStream stream;
    private String streamKey;
    /** The thread that publishes into the stream: the ring is single-producer (Disruptor checks the thread). */
    private Thread producer;
    /** Counts streams opened; a model built for an older stream never becomes {@link #current}. */
    private volatile long streamGeneration;
    private Lease owner;
    private boolean closed;
    private boolean preloadStarted;

    /** Guarded frames of the streams already closed, and the first one's reason. Guarded by this. */
    private long guardedBefore;
    private String firstGuardReason;
    /** The last GPU status and when it was taken (the configurator asks twice a second; it reads files). */
    private volatile GpuSetup.Status gpu;
    private volatile long gpuNanos;

    DenoiserHost(ModelFactory factory, LogManager log) {
        this.factory = factory;
        this.log = new OnceLog(log);
        // The host exists before any model, so PyTorch has not loaded yet: the user's GPU folder becomes DJL's
        // system properties now, with no environment variable needed.
        try {
            GpuSetup.Status s = gpuNow(() -> GpuSetup.applyConfigured());
            this.log.info("device: " + s.summary());
            if (s.settingsProblem != null) this.log.warn("gpu-settings", s.settingsProblem);
        } catch (RuntimeException e) {
            this.log.error("gpu-settings", e, "the GPU settings could not be applied; PyTorch chooses as without them");
        }
    }

    /**
     * Loads the engine and checks its CPU kernels in the background, once, so that pressing Live waits for neither
     * (libtorch's first extraction alone takes seconds). Called when a pipeline with this processor is built; a
     * stream that starts meanwhile waits for the same load, never loads twice.
     */
    void preload(PluginSettings s) {
        synchronized (this) {
            if (preloadStarted || closed) return;
            preloadStarted = true;
        }
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                String report = ContextLoader.call(() -> factory.preload(profileFor(s)));
                if (report != null) {
                    log.info(String.format(Locale.ROOT, "engine ready in %.1f s, before the first frame: %s",
                            (System.nanoTime() - t0) / 1e9, report));
                }
            } catch (Throwable e) {
                // the model build reports the same failure where it matters, on the first frame
                log.warn("preload", "the engine could not be loaded ahead of the first frame: " + e);
            }
        }, "n2d-engine-preload");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.setContextClassLoader(DenoiserHost.class.getClassLoader());
        t.start();
    }

    /** The GPU status without loading PyTorch: what it uses once loaded, before that what it will use and why. */
    public GpuSetup.Status gpuStatus() {
        GpuSetup.Status s = gpu;
        if (s == null || System.nanoTime() - gpuNanos > 2_000_000_000L) s = gpuNow(() -> GpuSetup.status(false));
        return s;
    }

    /**
     * Checks a folder as a CUDA libtorch and, when usable, saves it in the settings file the command line shares and
     * applies it if PyTorch has not loaded yet. Returns what happens next; throws IllegalArgumentException with the
     * reason when the folder is not usable (nothing is saved then).
     */
    public String useGpuFolder(Path folder) throws java.io.IOException {
        GpuSetup.Folder f = GpuSetup.check(folder);
        if (!f.ok()) throw new IllegalArgumentException(f.message);
        GpuSetup.writeFolder(GpuSetup.configFile(), folder);
        GpuSetup.Status s = gpuNow(() -> GpuSetup.applyConfigured());
        log.info("GPU folder set to " + folder + ": " + f.message);
        // What still stands between the folder and the GPU, most lasting first (a restart does not bring a driver).
        String next = s.reason == GpuSetup.Reason.PENDING ? "It is used when the denoiser first starts."
                : s.reason == GpuSetup.Reason.ENGINE_ALREADY_LOADED || s.gpu()
                ? "PyTorch is already running in this Micro-Manager session: restart Micro-Manager to use it."
                : "It is not used yet: " + s.message;
        return "Saved: " + f.message + ".\n" + next;
    }

    private GpuSetup.Status gpuNow(java.util.concurrent.Callable<GpuSetup.Status> c) {
        GpuSetup.Status s;
        try {
            s = ContextLoader.call(c); // DJL finds its engine through the context class loader
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the GPU status: " + e, e);
        }
        gpu = s;
        gpuNanos = System.nanoTime();
        return s;
    }

    /** Frames whose denoised output a check refused (they went out raw, flagged), over every stream so far. */
    public synchronized long guardedFrames() {
        return guardedBefore + (stream == null ? 0 : stream.stats().guarded());
    }

    /** Why the first guarded frame was refused, or null when none was. */
    public synchronized String firstGuardReason() {
        if (firstGuardReason != null) return firstGuardReason;
        return stream == null ? null : stream.stats().firstGuardReason();
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
        ModelView m = current;
        String failure = m == null ? null : m.failure();
        return failure != null ? "failed, frames pass through: " + failure : status;
    }

    /** Why the current model could not be built (already logged), or null. */
    String modelFailure() {
        ModelView m = current;
        return m == null ? null : m.failure();
    }

    /** Median publish-to-completion latency of the open stream, ms; NaN when none or before its first frame. */
    public synchronized double latencyMs() {
        long p50 = stream == null ? -1 : stream.stats().latencyP50Micros();
        return p50 < 0 ? Double.NaN : p50 / 1e3;
    }

    /** RECORD publishes of the open stream that waited for room in the ring (back-pressure); 0 when none is open. */
    synchronized long publishWaits() {
        return stream == null ? 0 : stream.publishWaits();
    }

    /** One processor's claim on the stream. Fields are guarded by the host. */
    final class Lease {
        final PipelineKind kind;
        final PluginSettings settings;
        final StreamPolicy policy;
        boolean released;
        /** Inside a processor call that uses the stream. */
        boolean busy;

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
     * Starts one call of a processor (processImage or cleanup): returns the stream it may use until
     * {@link #end}, or null when another acquisition holds the stream or the host is closed (the caller passes
     * its frames through). Cheap when the lease already owns the current stream (every frame but the first).
     * On a lease's first call it may close one stream and start another. A live owner being displaced is
     * waited for until it is between calls (its calls never wait, so this is short): the stream has one
     * producer at a time, and the host's lock orders one producer's calls before the next one's.
     */
    synchronized FrameStream begin(Lease lease) {
        if (owner == lease && stream != null) {
            lease.busy = true;
            return stream;
        }
        if (lease.released || closed) return null;
        if (owner != null && owner.policy == StreamPolicy.RECORD) return null;
        while (owner != null && owner.busy) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (closed) return null;
        }
        if (owner != null && owner.policy == StreamPolicy.RECORD) return null;
        String key = lease.policy + "|" + lease.settings.ringMemoryMb() + "|" + lease.settings.modelKey();
        if (stream == null || !key.equals(streamKey) || producer != Thread.currentThread()) {
            closeStream(true);
            stream = openStream(lease);
            streamKey = key;
            producer = Thread.currentThread();
        }
        owner = lease;
        lease.busy = true;
        status = lease.policy + " stream for " + (lease.kind == PipelineKind.LIVE ? "live mode" : "an acquisition")
                + "; " + describe(lease.settings);
        return stream;
    }

    /** Ends the call {@link #begin} started. */
    synchronized void end(Lease lease) {
        lease.busy = false;
        notifyAll();
    }

    /** The processor is done (its cleanup ran). The stream and its model stay warm for the next one. */
    synchronized void release(Lease lease) {
        lease.released = true;
        lease.busy = false;
        notifyAll();
        if (owner == lease) {
            owner = null;
            status = "idle, model warm; " + describe(lease.settings);
        }
    }

    /** Whether there are weights to save. */
    public boolean hasWeights() {
        ModelView m = current;
        return (m != null && m.latestWeights() != null) || carried != null;
    }

    /** Saves the latest warm weights (any thread; the worker publishes them after every frame). */
    public void saveWeights(Path file) throws Exception {
        ModelView m = current;
        WarmWeights w = m == null ? null : m.latestWeights();
        if (w == null) w = carried;
        if (w == null) {
            throw new IllegalStateException("no warm weights yet: run live mode or an acquisition first");
        }
        w.save(file);
        log.info("warm weights saved to " + file + " (fingerprint " + w.fingerprint() + ")");
    }

    /**
     * Loads weights: the running model installs them before its next frame, and the next model starts
     * from them. Fails with a clear message on a missing or foreign file or a channel-count mismatch.
     */
    public void loadWeights(Path file) throws Exception {
        WarmWeights w = WarmWeights.load(file);
        ModelView m = current;
        if (m != null && m.isWarmStart()) m.queueWeights(w);
        carried = w;
        carriedFile = m != null ? m.settings().weightsFile() : carriedFile;
        log.info("warm weights loaded from " + file + " (fingerprint " + w.fingerprint() + ")");
    }

    /** Stops the stream (its worker closes the model) (tests; Micro-Manager has no plugin shutdown hook). */
    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        closeStream(false);
        status = "closed";
    }

    /** Called by a new stream's worker for its denoiser: built here, on that thread, and warmed. */
    private FrameDenoiser buildModel(PluginSettings s, long generation) {
        long t0 = System.nanoTime();
        FrameDenoiser built;
        try {
            built = ContextLoader.call(() -> factory.create(profileFor(s), s, log()));
        } catch (Throwable e) {
            String msg = "the denoiser could not start (" + describe(s) + "): " + e;
            log.error("model-failed:" + s.modelKey(), e, msg + "; frames pass through unchanged");
            ModelView failed = new ModelView(new FailedModel(msg, e), s);
            if (generation == streamGeneration) current = failed;
            return failed;
        }
        ModelView view = new ModelView(built, s);
        log.info(String.format(Locale.ROOT, "model ready in %.1f s; %s", (System.nanoTime() - t0) / 1e9, describe(s)));
        if (view.isWarmStart()) warm(view, s);
        if (generation == streamGeneration) current = view;
        return view;
    }

    /** The last stream's weights if there are any (and the weights file setting did not change), else the file. */
    private void warm(ModelView view, PluginSettings s) {
        WarmWeights w = carried;
        if (w != null && s.weightsFile().equals(carriedFile)) {
            try {
                view.queueWeights(w);
                log.info("model starts warm from the previous stream's weights (" + w.fingerprint() + ")");
                return;
            } catch (RuntimeException e) {
                log.warn("carry:" + w.fingerprint(), "the previous weights do not fit this profile (" + e.getMessage()
                        + "); the model fits from scratch");
            }
        }
        if (!s.weightsFile().isEmpty()) {
            Path file = Paths.get(s.weightsFile());
            try {
                view.queueWeights(WarmWeights.load(file));
                log.info("model starts warm from " + file);
            } catch (Exception e) {
                log.error("weights:" + file, e, "could not load warm weights from " + file
                        + "; the model fits from scratch");
            }
        }
    }

    /** The profile with the plugin's overrides. */
    static Profile profileFor(PluginSettings s) throws Exception {
        return s.applyTo(Profile.resolve(s.profile()));
    }

    private static String describe(PluginSettings s) {
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
        long generation = ++streamGeneration;
        try {
            // The worker thread inherits the plugin's context class loader (DJL's ServiceLoader needs it).
            return ContextLoader.call(() -> new FrameStream(ss, () -> buildModel(s, generation)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the frame stream: " + e, e);
        }
    }

    /**
     * Closes the stream (its worker closes the model) and keeps the model's latest weights for the next one.
     * {@code async}: the caller does not wait for the worker to finish the frame it holds (it may be the Swing
     * event thread, and a frame may take seconds); the weights are taken as they are now (the worker publishes
     * them after every frame).
     */
    private void closeStream(boolean async) {
        if (stream == null) return;
        FrameStream s = stream;
        org.n2dlive.stream.StreamStats last = s.stats(); // as it is now: an async close may still finish a frame
        guardedBefore += last.guarded();
        if (firstGuardReason == null) firstGuardReason = last.firstGuardReason();
        stream = null;
        streamKey = null;
        producer = null;
        owner = null;
        streamGeneration++; // a model still being built for the old stream will not become current
        ModelView m = current;
        current = null;
        if (async) {
            keepWeights(m);
            Thread closer = new Thread(s::close, "n2d-stream-closer");
            closer.setDaemon(true);
            closer.start();
        } else {
            s.close();
            keepWeights(m);
        }
    }

    private void keepWeights(ModelView m) {
        WarmWeights w = m == null ? null : m.latestWeights();
        if (w != null) {
            carried = w;
            carriedFile = m.settings().weightsFile();
        }
    }
}
