package org.n2dlive.n2d;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * Routes each frame by its series (stage position, channel, z-slice): only frames of one series are new noise draws
 * of the same scene. One warm model serves each channel, shared by its positions and z-slices (they share the sample,
 * dye and camera noise, and a shared model gets every series' steps; measured in docs/design.md, "Multi-dimensional
 * data"). The mapping and range guard are the model's: one count must be one input value in every series.
 *
 * <p>Each series' state lives in one {@link Series}, held by reference whether its model is live or parked: its
 * scene detector (compared with another series' frame, every frame would look like a new scene), its temporal state
 * ({@link TemporalDenoiser.History}, worked on by a stage made with {@link TemporalDenoiser#sibling}: a frame is fused
 * only with earlier frames of its series) and its clip log. Nothing is copied on a series change but what lives in a
 * model's native tensors ({@link SeriesState}).
 *
 * <p>Memory is bounded by {@code maxLive}, not by the series in view: at most that many models (nets, optimiser,
 * engine sessions, frame buffers) and temporal stages (~3.4 MB of work buffers each at 256²). Beyond, the least
 * recently used one is parked and serves the new series: a model keeps its {@link SeriesState} (~0.26 MB at 48
 * channels and 256²) and resumes exactly where it stopped; a stage's series keeps its temporal state within
 * {@link #PARKED_HISTORY_BYTES}. At most {@code maxParked} models stay parked; beyond, the oldest are dropped with their
 * series, which start again from their channel's weights. A model with no warm-start core ({@link WarmModel#core})
 * cannot be recycled or shared: each series has its own, closed when parked, its weights kept.
 *
 * <p>The first clipped output of each series (where the input was not saturated) is logged with the mapping; later
 * ones are only counted ({@code clipped_pixels}). Threading: the worker's, like every {@link FrameDenoiser}.
 */
public final class SeriesDenoiser implements WarmModel {
    private final Supplier<? extends WarmModel> factory;
    /** Live models at most, and temporal stages at most. */
    private final int maxLive;
    private final int maxParked;
    /**
     * Parked temporal state at most: ~1.5 MB per 256² series (about 340 series), 24 MB per 1024² series (about 21);
     * beyond it the least recently used histories are dropped, logged once.
     */
    public static final long PARKED_HISTORY_BYTES = 512L << 20;
    private final Consumer<String> log;
    /** Every series whose state is held (its model live or parked), by key. */
    private final HashMap<SeriesKey, Series> series = new HashMap<>();
    /** Live models by model key ((0, c, 0) when series share, else the series); access order, LRU first. */
    private final LinkedHashMap<SeriesKey, Model> live = new LinkedHashMap<>(16, 0.75f, true);
    /** Parked models by model key, oldest first. */
    private final LinkedHashMap<SeriesKey, Parked> parked = new LinkedHashMap<>();
    /** Series holding a temporal stage; access order, LRU first. */
    private final LinkedHashMap<SeriesKey, Series> staged = new LinkedHashMap<>(16, 0.75f, true);
    private int stagesHeld;
    /** Series whose temporal state is parked, oldest first, within {@link #PARKED_HISTORY_BYTES}. */
    private final LinkedHashSet<Series> parkedHistories = new LinkedHashSet<>();
    private long parkedHistoryBytes;
    private boolean historyBudgetLogged;
    private final Map<Integer, WarmWeights> latestByChannel = new HashMap<>();
    /** Weights every new channel starts from ({@link #loadWeights}), or null for a fit from scratch. */
    private volatile WarmWeights startWeights;
    private volatile WarmWeights latest;
    /** Weights loaded from another thread, for the live models to take on the worker thread. */
    private volatile WarmWeights pendingForLive;
    private boolean capLogged;
    private boolean sharingLogged;
    private final boolean shareWithinChannel;
    /** Whether the factory's models are shared by series; decided by the first one built (null before). */
    private Boolean shares;
    private int modelsBuilt;
    private Model lastModel;
    /** What served the last frame, and for which series: a rejection of that frame goes back to it. */
    private FrameDenoiser lastTarget;
    private SeriesKey lastSeries;

    /** One model: what the factory made, the warm-start model inside it, and the series it serves. */
    private static final class Model {
        final WarmModel owner;
        /** The warm-start model inside {@link #owner} when it can serve other series, else null. */
        final WarmStartDenoiser core;
        /** Its series in the order they were first seen. */
        final List<Series> members = new ArrayList<>();
        /** Stages of this model no series is using (as new), ready for the next one. */
        final ArrayDeque<TemporalDenoiser> spare = new ArrayDeque<>();

        Model(WarmModel owner) {
            this.owner = owner;
            this.core = owner.core();
        }
    }

    /** One series' state, held by reference while its model is live and while it is parked. */
    private static final class Series {
        final SeriesKey key;
        /** Its own scene detector; null for a model that keeps its own ({@link Model#core} null). */
        final SceneChangeDetector scenes;
        /** The live model serving it; null while parked. */
        Model model;
        /** The temporal stage working on its state, while it holds one. */
        TemporalDenoiser stage;
        /** Its temporal state while it holds no stage; null when none is kept. */
        TemporalDenoiser.History history;
        /** Its first clipped frame was logged (then clipped pixels are only counted). */
        boolean clipLogged;

        Series(SeriesKey key, SceneChangeDetector scenes) {
            this.key = key;
            this.scenes = scenes;
        }
    }

    /** A parked model: its state and its series, in first-seen order. */
    private static final class Parked {
        final SeriesState state;
        final List<Series> members;

        Parked(SeriesState state, List<Series> members) {
            this.state = state;
            this.members = members;
        }
    }

    /**
     * @param factory            makes a fresh model (from the profile); called on the worker thread
     * @param maxLive            live models at most (≥ 1), and temporal stages at most
     * @param maxParked          parked models at most (≥ 0)
     * @param log                receives the one-time notices
     * @param shareWithinChannel false: a model per series, each new one warming up from its channel's weights (the
     *                           policy before series shared; {@code tools/bench/ZShare.java} measures one against the other)
     */
    public SeriesDenoiser(Supplier<? extends WarmModel> factory, int maxLive, int maxParked, Consumer<String> log,
                          boolean shareWithinChannel) {
        if (maxLive < 1) throw new IllegalArgumentException("at least one live model is needed, got " + maxLive);
        if (maxParked < 0) throw new IllegalArgumentException("parked weights cannot be negative, got " + maxParked);
        this.factory = factory;
        this.maxLive = maxLive;
        this.maxParked = maxParked;
        this.log = log == null ? s -> { } : log;
        this.shareWithinChannel = shareWithinChannel;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        denoise(SeriesKey.SINGLE, src, dst, report);
    }

    @Override
    public void denoise(SeriesKey key, Frame src, Frame dst, DenoiseReport report) throws Exception {
        WarmWeights load = pendingForLive;
        if (load != null) {
            pendingForLive = null;
            for (Model m : live.values()) m.owner.loadWeights(load);
            latestByChannel.clear();
            for (Parked p : parked.values()) forget(p.members);
            parked.clear();
            clearHistories();
        }
        Series s = series.get(key);
        if (s == null || s.model == null) s = open(key);
        else live.get(modelKey(key)); // access order: this model is now the most recently used
        Model model = s.model;
        lastModel = model;
        FrameDenoiser target = model.owner;
        if (model.core != null) {
            model.core.useScenes(s.scenes);
            target = model.owner instanceof TemporalDenoiser ? stage(s) : model.core;
        }
        lastTarget = target;
        lastSeries = key;
        target.denoise(key, src, dst, report);
        if (report.clippedPixels > 0 && !s.clipLogged) {
            s.clipLogged = true;
            logClipping(key, model, report.clippedPixels);
        }
        publishLatest(key.channel(), false);
    }

    /** The weights the last frame's model holds now go to its channel; none (a rollback to nothing) may drop its entry. */
    private void publishLatest(int channel, boolean dropIfNone) {
        WarmWeights w = lastModel.owner.latestWeights();
        if (w != null) {
            latestByChannel.put(channel, w);
            latest = w;
        } else if (dropIfNone) {
            latestByChannel.remove(channel);
        }
    }

    /** The weights after the latest frame of any series (any thread); null before the first. */
    @Override
    public WarmWeights latestWeights() {
        return latest;
    }

    /**
     * Weights for every series to start from (any thread): series that are not live yet start from them instead of
     * fitting from scratch. Live models pick them up when their series next comes ({@link WarmModel#loadWeights}).
     */
    @Override
    public void loadWeights(WarmWeights weights) {
        // A model of the profile checks them now, on the caller's thread, so a bad file fails here and not on a
        // later frame; it is built and closed without ever seeing a frame.
        WarmModel probe = factory.get();
        try {
            probe.loadWeights(weights);
        } finally {
            probe.close();
        }
        startWeights = weights;
        pendingForLive = weights;
    }

    /** A series whose model is not live: its model opened (or found live), the series restored with it or new. */
    private Series open(SeriesKey key) {
        WarmModel fresh = null;
        if (shares == null) {
            fresh = build();
            shares = shareWithinChannel && fresh.core() != null;
        }
        SeriesKey modelKey = modelKey(key);
        Model found = live.get(modelKey);
        if (found != null && !sharingLogged) {
            sharingLogged = true;
            log.accept("n2d: the positions and z-slices of a channel share one model (weights, optimiser state and "
                    + "mapping); each series keeps its own scene detector and temporal history");
        }
        Model model = found != null ? found : openModel(modelKey, fresh);
        Series s = series.computeIfAbsent(key, k -> new Series(k, model.core == null ? null
                : new SceneChangeDetector(model.core.settings().sceneChangeCorrelation())));
        if (s.model == null) join(model, s); // not restored with its parked model: a new series, or weights alone
        return s;
    }

    /** The key of the model serving a series: its channel's when series share, else its own. */
    private SeriesKey modelKey(SeriesKey key) {
        return shares ? new SeriesKey(0, key.channel(), 0) : key;
    }

    private static void join(Model model, Series s) {
        s.model = model;
        model.members.add(s);
    }

    private Model openModel(SeriesKey key, WarmModel fresh) {
        Parked own = parked.remove(key); // before parking another: the bound must not drop this one
        Model model = fresh != null ? new Model(fresh) : live.size() < maxLive ? new Model(build()) : takeLeastRecentlyUsed();
        WarmStartDenoiser core = model.core;
        if (own != null && own.state.complete() && core != null) {
            core.resume(own.state); // exactly where this model stopped
            for (Series s : own.members) join(model, s);
        } else {
            WarmModel warm = model.owner;
            WarmWeights start = latestByChannel.get(key.channel());
            if (own != null) {
                warm.loadWeights(own.state.weights); // this model's own weights: already adapted to its series
            } else if (start != null) {
                warm.warmUpFrom(start); // the channel's (a model that is not shared): a head start, then a warm-up
            } else if (startWeights != null) {
                warm.loadWeights(startWeights);
            }
        }
        live.put(key, model);
        return model;
    }

    private WarmModel build() {
        WarmModel model = factory.get();
        modelsBuilt++;
        return model;
    }

    /**
     * The temporal stage of a series: its own, a spare of its model, a new one within the cap, or the least recently
     * used series' (parked first). It works on the series' parked temporal state, if any.
     */
    private TemporalDenoiser stage(Series s) {
        if (s.stage != null) {
            staged.get(s.key); // access order
            return s.stage;
        }
        Model model = s.model;
        TemporalDenoiser stage = model.spare.poll();
        if (stage == null) {
            if (stagesHeld < maxLive) {
                stagesHeld++;
                stage = sibling(model);
            } else if (dropSpareOfAnotherModel(model)) {
                stage = sibling(model);
            } else {
                Iterator<Series> it = staged.values().iterator();
                Series lru = it.next();
                it.remove();
                TemporalDenoiser taken = parkStage(lru);
                stage = lru.model == model ? taken : sibling(model); // another model's stage: dropped (GC)
            }
        }
        stage.resume(takeHistory(s));
        s.stage = stage;
        staged.put(s.key, s);
        return stage;
    }

    private static TemporalDenoiser sibling(Model model) {
        return ((TemporalDenoiser) model.owner).sibling();
    }

    private boolean dropSpareOfAnotherModel(Model model) {
        for (Model m : live.values()) {
            if (m != model && m.spare.poll() != null) return true;
        }
        return false;
    }

    /** Takes a series' stage from it (the series keeps its temporal state, within the budget) and hands it back, as new. */
    private TemporalDenoiser parkStage(Series s) {
        TemporalDenoiser stage = s.stage;
        s.stage = null;
        TemporalDenoiser.History h = stage.park();
        if (maxParked > 0 && h != null) parkHistory(s, h);
        return stage;
    }

    /**
     * Parks the least recently used model and hands it back, ready for a new key (as if just built), or a newly
     * built model when that one cannot be recycled.
     */
    private Model takeLeastRecentlyUsed() {
        Iterator<Map.Entry<SeriesKey, Model>> it = live.entrySet().iterator();
        Map.Entry<SeriesKey, Model> oldest = it.next();
        Model lru = oldest.getValue();
        it.remove();
        if (!capLogged) {
            capLogged = true;
            log.accept("n2d: more models than " + maxLive + " live ones (one per channel, shared by its positions and "
                    + "z-slices; one per series for a model that cannot be shared); the least recently used model is "
                    + "parked (weights, optimiser state and mapping, up to " + maxParked + " models) and serves the new "
                    + "one, so no model is built beyond " + maxLive + " and a series resumes where it stopped when it "
                    + "returns, its temporal history too (up to " + (PARKED_HISTORY_BYTES >> 20) + " MB of histories)");
        }
        List<Series> members = new ArrayList<>(lru.members);
        lru.members.clear();
        for (Series s : members) {
            s.model = null;
            if (s.stage != null) {
                staged.remove(s.key);
                lru.spare.add(parkStage(s)); // stays with the model: a sibling of its core
            }
        }
        SeriesState state;
        Model next = lru;
        if (lru.core != null) {
            state = lru.core.suspend();
            lru.core.resume(null);
        } else {
            WarmWeights w = lru.owner.latestWeights();
            state = w == null ? null : new SeriesState(w);
            lru.owner.close(); // it held no stages: only a model with a core has them
            next = new Model(build());
        }
        if (state != null && maxParked > 0) {
            parked.put(oldest.getKey(), new Parked(state, members));
            if (parked.size() > maxParked) {
                Iterator<Parked> p = parked.values().iterator();
                forget(p.next().members);
                p.remove();
            }
        } else {
            forget(members);
        }
        return next;
    }

    /** Drops the state of parked series (they come back as new). */
    private void forget(List<Series> members) {
        for (Series s : members) {
            takeHistory(s);
            series.remove(s.key);
        }
    }

    private void parkHistory(Series s, TemporalDenoiser.History h) {
        s.history = h;
        parkedHistories.add(s);
        parkedHistoryBytes += h.bytes();
        while (parkedHistoryBytes > PARKED_HISTORY_BYTES && !parkedHistories.isEmpty()) {
            takeHistory(parkedHistories.iterator().next());
            if (!historyBudgetLogged) {
                historyBudgetLogged = true;
                log.accept("n2d: parked temporal histories exceed " + (PARKED_HISTORY_BYTES >> 20) + " MB; the least "
                        + "recently used series start their temporal history again when they return (their weights "
                        + "and optimiser state are kept)");
            }
        }
    }

    /** A series' parked temporal state, no longer held here (null: none kept). */
    private TemporalDenoiser.History takeHistory(Series s) {
        TemporalDenoiser.History h = s.history;
        if (h != null) {
            s.history = null;
            parkedHistories.remove(s);
            parkedHistoryBytes -= h.bytes();
        }
        return h;
    }

    private void clearHistories() {
        for (Series s : parkedHistories) s.history = null;
        parkedHistories.clear();
        parkedHistoryBytes = 0;
    }

    /** Bytes of parked temporal state (tests, logs). */
    long parkedHistoryBytes() {
        return parkedHistoryBytes;
    }

    private void logClipping(SeriesKey key, Model model, long clipped) {
        WarmStartDenoiser core = model.core;
        Object mapping = core == null || core.normalization() == null ? "not stated by this model" : core.normalization();
        log.accept("n2d: series " + key + ": " + clipped + " output pixels clipped where the input was not saturated"
                + " (mapping " + mapping + "); logged once per series, all of them are counted in clipped_pixels");
    }

    /**
     * The mapping a series' model works in (live or parked), or null before its first frame or for a model that keeps
     * none. Worker thread, or any thread once the stream has stopped.
     */
    public Normalization normalization(SeriesKey key) {
        Series s = series.get(key);
        if (s != null && s.model != null) return s.model.core == null ? null : s.model.core.normalization();
        SeriesState state = parkedState(key);
        return state == null ? null : state.normalization;
    }

    /**
     * What denoised the series' latest frame, or null when its model is not live (tests): its temporal stage when it
     * holds one, else its model; its {@link WarmModel#core} is the shared warm-start model.
     */
    WarmModel model(SeriesKey key) {
        Series s = series.get(key);
        if (s == null || s.model == null) return null;
        return s.stage != null ? s.stage : s.model.owner;
    }

    /** Models built (at most the cap when they can be recycled; the probe of {@link #loadWeights} aside). */
    public int modelsBuilt() {
        return modelsBuilt;
    }

    /** Temporal stages held (in use or spare), at most the live-model cap (tests). */
    int stagesHeld() {
        return stagesHeld;
    }

    /** The parked state of a series' model, or null (tests). */
    SeriesState parkedState(SeriesKey key) {
        Series s = series.get(key);
        if (s == null || s.model != null) return null;
        Parked p = parked.get(modelKey(key));
        return p == null ? null : p.state;
    }

    @Override
    public boolean learns() {
        return lastModel != null && lastModel.owner.learns(); // asked about the frame it just gave
    }

    @Override
    public void outputRejected(SeriesKey key, String reason) {
        if (lastTarget == null || !key.equals(lastSeries)) return; // the stream rejects the frame it just got
        lastTarget.outputRejected(key, reason);
        publishLatest(key.channel(), true);
    }

    @Override
    public String weightsFingerprint() {
        return lastModel == null || !live.containsValue(lastModel) ? "" : lastModel.owner.weightsFingerprint();
    }

    @Override
    public void close() {
        for (Model m : live.values()) m.owner.close(); // the stages' siblings share its inner model: nothing else to close
        live.clear();
        series.clear();
        staged.clear();
        parked.clear();
        clearHistories();
        latestByChannel.clear();
    }
}
