package org.n2dlive.n2d;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * Routes each frame by its series (stage position, channel, z-slice). Only frames of one series are new noise draws
 * of the same scene. One warm model serves each channel, shared by its positions and z-slices: channels differ in
 * structure and noise, while the positions and slices of one channel share the sample, the dye, the camera and its
 * noise, and a shared model gets every series' training steps. Measured with {@code tools/bench/ZShare.java} (mean
 * PSNR, balanced, temporal on / off): 5 defocus slices made from FMD field 1, 45.63 / 41.07 dB shared against 45.00 /
 * 35.44 dB a model per slice; FMD fields 1, 2 and 3 as three positions, 24 frames 44.54 / 40.24 against 44.29 /
 * 34.94 dB, 100 frames 46.42 against 46.14 dB with temporal on, every position better shared.
 *
 * <p>The mapping and range guard are the model's: its weights work in the mapping's units, a widening rescales them
 * for every series, and one count must be one input value in every series (the noise follows the counts). Each
 * series keeps its own scene-change detector (a frame compared with another series' would look like a new scene on
 * every frame) and, with temporal denoising, its own temporal stage (history, learnt blend, readout: a frame is fused
 * only with earlier frames of its series), made by {@link TemporalDenoiser#sibling}; and its own clip log.
 *
 * <p>Memory is bounded: at most {@code maxLive} models are built (each holds nets, optimiser state, engine sessions
 * and frame buffers, the native part), and at most {@code maxLive} temporal stages are held (~3.4 MB of Java
 * buffers each at 256², as many as with one stage per model before series shared). When more series are in view
 * than stages (96 positions, say), the least recently used series' stage is parked: its history copied out within
 * the budget below, and the stage serves the next series. When an acquisition has more channels than models, the
 * least recently used model is parked: its whole state ({@link SeriesState}: weights, Adam's moments, mapping, ~0.26
 * MB at 48 channels and 256²) and its series' scene detectors (8 KB each at 256²) are copied out and its model serves
 * the new channel, so no model is built or closed beyond the cap and a parked model resumes exactly where it
 * stopped. Parked temporal state stays within {@link #PARKED_HISTORY_BYTES}: a multi-position
 * time-lapse keeps integrating frames at every position. Building a model for each returning series instead cost a
 * build per visit and lost its optimiser state and mapping. Parked states are bounded too ({@code maxParked}); beyond
 * that the oldest are dropped and the model inherits its channel's weights again. The policy is logged once. A model
 * that is not a warm-start one ({@link WarmStartDenoiser}, alone or behind a {@link TemporalDenoiser}) cannot be
 * recycled or shared: each series then has its own, closed when parked and a new one built, its weights parked.
 *
 * <p>The first frame of each series whose output clips (where the input was not saturated) is logged, with the
 * count and the mapping; later ones are only counted ({@code clipped_pixels}).
 *
 * <p>Threading: called only from the worker thread, like every {@link FrameDenoiser}.
 */
public final class SeriesDenoiser implements WarmModel {
    private final Supplier<? extends WarmModel> factory;
    private final int maxLive;
    private final int maxParked;
    /** Temporal stages held at most (in use by a member or spare in a live model). */
    private final int maxStages;
    /**
     * Parked temporal state at most: ~1.5 MB per 256² series (about 340 series), 24 MB per 1024² series (about 21);
     * beyond it the least recently used histories are dropped, logged once.
     */
    public static final long PARKED_HISTORY_BYTES = 512L << 20;
    private final Consumer<String> log;
    /** Live models by model key ((0, c, 0) when series share, else the series); access order, LRU first. */
    private final LinkedHashMap<SeriesKey, Model> live = new LinkedHashMap<>(16, 0.75f, true);
    /** The members of the live models, by series. */
    private final HashMap<SeriesKey, Member> liveMembers = new HashMap<>();
    /** Slices holding a temporal stage; access order, LRU first. */
    private final LinkedHashMap<SeriesKey, Member> staged = new LinkedHashMap<>(16, 0.75f, true);
    private int stagesHeld;
    private final LinkedHashMap<SeriesKey, Parked> parked = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Parked members' temporal state (history, precision, blend, readout: ~1.5 MB at 256², 96 MB at 2048²), within
     * {@link #PARKED_HISTORY_BYTES}; least recently used first.
     */
    private final LinkedHashMap<SeriesKey, TemporalDenoiser.History> parkedHistory = new LinkedHashMap<>(16, 0.75f, true);
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
    /** Series whose first clipped frame was logged (one line each, then only counted in clipped_pixels). */
    private final Set<SeriesKey> clipLogged = new HashSet<>();
    private long evictions;
    private int modelsBuilt;
    private Model lastModel;
    /** What served the last frame, and for which series: a rejection of that frame goes back to it. */
    private FrameDenoiser lastTarget;
    private SeriesKey lastSeries;

    /** One model: what the factory made, the warm-start model inside it, and the members it serves. */
    private static final class Model {
        final WarmModel owner;
        /** The warm-start model inside {@link #owner} when it can serve other series, else null. */
        final WarmStartDenoiser core;
        SeriesKey key;
        /** Slices in the order they were first seen. */
        final LinkedHashMap<SeriesKey, Member> members = new LinkedHashMap<>();
        /** Stages of this model no member is using (parked, as new), ready for the next member. */
        final ArrayDeque<TemporalDenoiser> spare = new ArrayDeque<>();

        Model(WarmModel owner) {
            this.owner = owner;
            this.core = owner.core();
        }
    }

    /** One series of a model: its own scene detector and, with temporal denoising, its own stage. */
    private static final class Member {
        final SeriesKey key;
        final Model model;
        /** Null for a model that keeps its own ({@link Model#core} null). */
        final SceneChangeDetector scenes;
        TemporalDenoiser stage;

        Member(SeriesKey key, Model model, SceneChangeDetector scenes) {
            this.key = key;
            this.model = model;
            this.scenes = scenes;
        }
    }

    /** A parked model: its state and its members' scene detectors (by series, in first-seen order). */
    private static final class Parked {
        final SeriesState state;
        final LinkedHashMap<SeriesKey, SceneChangeDetector> scenes;

        Parked(SeriesState state, LinkedHashMap<SeriesKey, SceneChangeDetector> scenes) {
            this.state = state;
            this.scenes = scenes;
        }
    }

    /**
     * @param factory   makes a fresh model (from the profile); called on the worker thread
     * @param maxLive   live models at most (≥ 1), and temporal stages at most
     * @param maxParked parked weight sets at most (≥ 0)
     * @param log       receives the one-time cap notice
     */
    public SeriesDenoiser(Supplier<? extends WarmModel> factory, int maxLive, int maxParked, Consumer<String> log) {
        this(factory, maxLive, maxParked, log, true);
    }

    /**
     * @param shareWithinChannel false: a model per series, each new one starting from its channel's weights and
     *                           warming up on its own scene (what every series had before they shared; for
     *                           {@code tools/bench/ZShare.java}, which measures one policy against the other)
     */
    public SeriesDenoiser(Supplier<? extends WarmModel> factory, int maxLive, int maxParked, Consumer<String> log,
                          boolean shareWithinChannel) {
        if (maxLive < 1) throw new IllegalArgumentException("at least one live model is needed, got " + maxLive);
        if (maxParked < 0) throw new IllegalArgumentException("parked weights cannot be negative, got " + maxParked);
        this.factory = factory;
        this.maxLive = maxLive;
        this.maxParked = maxParked;
        this.maxStages = maxLive;
        this.log = log == null ? s -> { } : log;
        this.shareWithinChannel = shareWithinChannel;
    }

    @Override
    public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
        denoise(SeriesKey.SINGLE, src, dst, report);
    }

    @Override
    public void denoise(SeriesKey series, Frame src, Frame dst, DenoiseReport report) throws Exception {
        WarmWeights load = pendingForLive;
        if (load != null) {
            pendingForLive = null;
            for (Model m : live.values()) m.owner.loadWeights(load);
            latestByChannel.clear();
            parked.clear();
            clearHistories();
        }
        Member member = liveMembers.get(series);
        if (member == null) member = open(series);
        else live.get(member.model.key); // access order: this model is now the most recently used
        Model model = member.model;
        lastModel = model;
        FrameDenoiser target = model.owner;
        if (model.core != null) {
            model.core.useScenes(member.scenes);
            target = model.owner instanceof TemporalDenoiser ? stage(member) : model.core;
        }
        lastTarget = target;
        lastSeries = series;
        target.denoise(series, src, dst, report);
        if (report.clippedPixels > 0 && clipLogged.add(series)) logClipping(series, model, report.clippedPixels);
        WarmWeights w = model.owner.latestWeights();
        if (w != null) {
            latestByChannel.put(series.channel(), w);
            latest = w;
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

    /** The member of a series not live yet: its model opened (or found live), the member restored or new. */
    private Member open(SeriesKey series) {
        WarmModel fresh = null;
        if (shares == null) {
            fresh = build();
            shares = shareWithinChannel && fresh.core() != null;
        }
        SeriesKey key = shares ? new SeriesKey(0, series.channel(), 0) : series;
        Model model = live.get(key);
        if (model == null) {
            model = openModel(key, series.channel(), fresh);
        } else if (!sharingLogged) {
            sharingLogged = true;
            log.accept("n2d: the positions and z-slices of a channel share one model (weights, optimiser state and "
                    + "mapping); each series keeps its own scene detector and temporal history");
        }
        Member member = liveMembers.get(series); // restored with its parked model
        if (member == null) member = addMember(model, series, model.core == null ? null
                : new SceneChangeDetector(model.core.settings().sceneChangeCorrelation()));
        return member;
    }

    private Member addMember(Model model, SeriesKey series, SceneChangeDetector scenes) {
        Member member = new Member(series, model, scenes);
        model.members.put(series, member);
        liveMembers.put(series, member);
        return member;
    }

    private Model openModel(SeriesKey key, int channel, WarmModel fresh) {
        Parked own = parked.remove(key); // before parking another: the bound must not drop this one
        Model model = fresh != null ? new Model(fresh) : live.size() < maxLive ? new Model(build()) : takeLeastRecentlyUsed();
        model.key = key;
        WarmStartDenoiser core = model.core;
        if (own != null && own.state.complete() && core != null) {
            core.resume(own.state); // exactly where this model stopped
            for (Map.Entry<SeriesKey, SceneChangeDetector> e : own.scenes.entrySet()) addMember(model, e.getKey(), e.getValue());
        } else {
            WarmModel warm = model.owner;
            WarmWeights start = latestByChannel.get(channel);
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
     * The temporal stage of a member: its own, a spare of its model, a new one within the cap, or the least recently
     * used member's (parked first). It resumes the member's parked history, if any.
     */
    private TemporalDenoiser stage(Member member) {
        if (member.stage != null) {
            staged.get(member.key); // access order
            return member.stage;
        }
        Model model = member.model;
        TemporalDenoiser stage = model.spare.poll();
        if (stage == null) {
            if (stagesHeld < maxStages) {
                stagesHeld++;
                stage = sibling(model);
            } else if (dropSpareOfAnotherModel(model)) {
                stage = sibling(model);
            } else {
                Iterator<Member> it = staged.values().iterator();
                Member lru = it.next();
                it.remove();
                TemporalDenoiser taken = parkStage(lru);
                stage = lru.model == model ? taken : sibling(model); // another model's stage: dropped (GC)
            }
        }
        stage.resume(takeHistory(member.key));
        member.stage = stage;
        staged.put(member.key, member);
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

    /** Parks a member's stage (its history into the parked budget) and hands back the stage, as new. */
    private TemporalDenoiser parkStage(Member member) {
        TemporalDenoiser stage = member.stage;
        member.stage = null;
        TemporalDenoiser.History h = stage.park(); // leaves the stage as new
        if (maxParked > 0) parkHistory(member.key, h);
        return stage;
    }

    /**
     * Parks the least recently used model and hands it back, ready for a new key (as if just built), or a newly
     * built model when that one cannot be recycled.
     */
    private Model takeLeastRecentlyUsed() {
        Iterator<Map.Entry<SeriesKey, Model>> it = live.entrySet().iterator();
        Model lru = it.next().getValue();
        it.remove();
        evictions++;
        if (!capLogged) {
            capLogged = true;
            log.accept("n2d: more models than " + maxLive + " live ones (one per channel, shared by its positions and "
                    + "z-slices; one per series for a model that cannot be shared); the least recently used model is "
                    + "parked (weights, optimiser state and mapping, up to " + maxParked + " models) and serves the new "
                    + "one, so no model is built beyond " + maxLive + " and a series resumes where it stopped when it "
                    + "returns, its temporal history too (up to " + (PARKED_HISTORY_BYTES >> 20) + " MB of histories)");
        }
        LinkedHashMap<SeriesKey, SceneChangeDetector> scenes = new LinkedHashMap<>();
        for (Member s : lru.members.values()) {
            liveMembers.remove(s.key);
            scenes.put(s.key, s.scenes);
            if (s.stage != null) {
                staged.remove(s.key);
                lru.spare.add(parkStage(s)); // stays with the model: a sibling of its core
            }
        }
        lru.members.clear();
        SeriesState state;
        Model next = lru;
        if (lru.core != null) {
            state = lru.core.suspend();
            lru.core.resume(null);
        } else {
            WarmWeights w = lru.owner.latestWeights();
            state = w == null ? null : new SeriesState(w);
            lru.owner.close();
            stagesHeld -= lru.spare.size();
            next = new Model(build());
        }
        if (state != null && maxParked > 0) {
            parked.put(lru.key, new Parked(state, scenes));
            if (parked.size() > maxParked) {
                Iterator<Parked> p = parked.values().iterator();
                for (SeriesKey member : p.next().scenes.keySet()) takeHistory(member);
                p.remove();
            }
        } else {
            for (SeriesKey member : scenes.keySet()) takeHistory(member);
        }
        return next;
    }

    private void parkHistory(SeriesKey series, TemporalDenoiser.History h) {
        if (h == null) return;
        parkedHistory.put(series, h);
        parkedHistoryBytes += h.bytes();
        while (parkedHistoryBytes > PARKED_HISTORY_BYTES && !parkedHistory.isEmpty()) {
            Iterator<Map.Entry<SeriesKey, TemporalDenoiser.History>> it = parkedHistory.entrySet().iterator();
            parkedHistoryBytes -= it.next().getValue().bytes();
            it.remove();
            if (!historyBudgetLogged) {
                historyBudgetLogged = true;
                log.accept("n2d: parked temporal histories exceed " + (PARKED_HISTORY_BYTES >> 20) + " MB; the least "
                        + "recently used series start their temporal history again when they return (their weights "
                        + "and optimiser state are kept)");
            }
        }
    }

    private TemporalDenoiser.History takeHistory(SeriesKey series) {
        TemporalDenoiser.History h = parkedHistory.remove(series);
        if (h != null) parkedHistoryBytes -= h.bytes();
        return h;
    }

    private void clearHistories() {
        parkedHistory.clear();
        parkedHistoryBytes = 0;
    }

    /** Bytes of parked temporal state (tests, logs). */
    long parkedHistoryBytes() {
        return parkedHistoryBytes;
    }

    private void logClipping(SeriesKey series, Model model, long clipped) {
        WarmStartDenoiser core = model.core;
        Object mapping = core == null || core.normalization() == null ? "not stated by this model" : core.normalization();
        log.accept("n2d: series " + series + ": " + clipped + " output pixels clipped where the input was not saturated"
                + " (mapping " + mapping + "); logged once per series, all of them are counted in clipped_pixels");
    }

    /**
     * The mapping a series' model works in (live or parked), or null before its first frame or for a model that keeps
     * none. Worker thread, or any thread once the stream has stopped.
     */
    public Normalization normalization(SeriesKey series) {
        Member m = liveMembers.get(series);
        if (m != null) return m.model.core == null ? null : m.model.core.normalization();
        SeriesState s = parkedState(series);
        return s == null ? null : s.normalization();
    }

    /** Series whose model is live: models least recently used first, each model's members in first-seen order. */
    public List<SeriesKey> liveSeries() {
        List<SeriesKey> keys = new ArrayList<>();
        for (Model m : live.values()) keys.addAll(m.members.keySet());
        return keys;
    }

    /**
     * What denoised the series' latest frame, or null when its model is not live (tests): its temporal stage when it
     * holds one, else its model.
     */
    FrameDenoiser model(SeriesKey series) {
        Member s = liveMembers.get(series);
        if (s == null) return null;
        return s.stage != null ? s.stage : s.model.owner;
    }

    /** The warm-start model serving a series, or null when its model is not live or is not one (tests). */
    WarmStartDenoiser core(SeriesKey series) {
        Member s = liveMembers.get(series);
        return s == null ? null : s.model.core;
    }

    /** Models whose state is parked (one per channel when series share). */
    public int parkedSeries() {
        return parked.size();
    }

    /** Models parked to respect the cap. */
    public long evictions() {
        return evictions;
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
    SeriesState parkedState(SeriesKey series) {
        for (Map.Entry<SeriesKey, Parked> e : parked.entrySet()) {
            if (e.getValue().scenes.containsKey(series) || e.getKey().equals(series)) return e.getValue().state;
        }
        return null;
    }

    @Override
    public boolean learns() {
        return lastModel != null && lastModel.owner.learns(); // asked about the frame it just gave
    }

    @Override
    public void outputRejected(SeriesKey series, String reason) {
        if (lastTarget == null || !series.equals(lastSeries)) return; // the stream rejects the frame it just got
        lastTarget.outputRejected(series, reason);
        WarmWeights w = lastModel.owner.latestWeights();
        if (w != null) {
            latestByChannel.put(series.channel(), w);
            latest = w;
        } else {
            latestByChannel.remove(series.channel());
        }
    }

    @Override
    public String weightsFingerprint() {
        return lastModel == null || !live.containsValue(lastModel) ? "" : lastModel.owner.weightsFingerprint();
    }

    @Override
    public void close() {
        for (Model m : live.values()) m.owner.close(); // the stages' siblings share its inner model: nothing else to close
        live.clear();
        liveMembers.clear();
        staged.clear();
        parked.clear();
        clearHistories();
        latestByChannel.clear();
    }
}
