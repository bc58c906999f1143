package org.n2dlive.n2d;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;

/**
 * One warm model per series (stage position, channel, z-slice): only frames of one series are new noise draws
 * of the same scene, so each series keeps its own normalization, scene statistics, history and adaptation.
 * Channels differ in structure and noise; positions and slices of one channel look alike, so a series seen
 * for the first time starts from the weights its channel last had and warms up on its own scene from there.
 *
 * <p>Memory is bounded: at most {@code maxLive} models are built (each holds nets, optimiser state, engine sessions
 * and frame buffers, the native part). When an acquisition has more series (96 positions, say), the least recently
 * used series is parked: its whole state ({@link SeriesState}: weights, Adam's moments, mapping, scene reference,
 * ~0.26 MB at 48 channels and 256²) is copied out and its model serves the new series, so no model is built or
 * closed beyond the cap and a parked series resumes exactly where it stopped, temporal history included (within
 * {@link #PARKED_HISTORY_BYTES}: a multi-position time-lapse keeps integrating frames at every position). Building
 * a model for each returning series instead cost a build per visit and lost the series' optimiser state and mapping. Parked states are bounded too ({@code maxParked}); beyond that the oldest are
 * dropped and the series inherits its channel's weights again. The policy is logged once. A model that is not a
 * warm-start one ({@link WarmStartDenoiser}, alone or behind a {@link TemporalDenoiser}) cannot be recycled: it is
 * closed and a new one built, its weights parked.
 *
 * <p>The first frame of each series whose output clips (where the input was not saturated) is logged, with the
 * count and the mapping; later ones are only counted ({@code clipped_pixels}).
 *
 * <p>Threading: called only from the worker thread, like every {@link FrameDenoiser}.
 */
public final class SeriesDenoiser implements WarmModel {
    private final Supplier<? extends FrameDenoiser> factory;
    private final int maxLive;
    private final int maxParked;
    /**
     * Parked temporal state at most: ~1.5 MB per 256² series (about 340 series), 24 MB per 1024² series (about 21);
     * beyond it the least recently used histories are dropped, logged once.
     */
    public static final long PARKED_HISTORY_BYTES = 512L << 20;
    private final Consumer<String> log;
    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<SeriesKey, FrameDenoiser> live = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<SeriesKey, SeriesState> parked = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Parked series' temporal state (history, precision, blend, readout: ~1.5 MB at 256², 96 MB at 2048²), within
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
    /** Series whose first clipped frame was logged (one line each, then only counted in clipped_pixels). */
    private final java.util.Set<SeriesKey> clipLogged = new java.util.HashSet<>();
    private long evictions;
    private int modelsBuilt;
    private SeriesKey lastSeries;

    /**
     * @param factory   makes a fresh model (from the profile); called on the worker thread. Weights are parked and
     *                  inherited only for {@link WarmModel}s
     * @param maxLive   live models at most (≥ 1)
     * @param maxParked parked weight sets at most (≥ 0)
     * @param log       receives the one-time cap notice
     */
    public SeriesDenoiser(Supplier<? extends FrameDenoiser> factory, int maxLive, int maxParked, Consumer<String> log) {
        if (maxLive < 1) throw new IllegalArgumentException("at least one live model is needed, got " + maxLive);
        if (maxParked < 0) throw new IllegalArgumentException("parked weights cannot be negative, got " + maxParked);
        this.factory = factory;
        this.maxLive = maxLive;
        this.maxParked = maxParked;
        this.log = log == null ? s -> { } : log;
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
            for (FrameDenoiser m : live.values()) if (m instanceof WarmModel) ((WarmModel) m).loadWeights(load);
            latestByChannel.clear();
            parked.clear();
            clearHistories();
        }
        FrameDenoiser model = live.get(series);
        if (model == null) model = open(series);
        lastSeries = series;
        model.denoise(series, src, dst, report);
        if (report.clippedPixels > 0 && clipLogged.add(series)) logClipping(series, model, report.clippedPixels);
        WarmWeights w = model instanceof WarmModel ? ((WarmModel) model).latestWeights() : null;
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
        FrameDenoiser probe = factory.get();
        try {
            if (!(probe instanceof WarmModel)) throw new IllegalArgumentException("this model takes no warm weights");
            ((WarmModel) probe).loadWeights(weights);
        } finally {
            probe.close();
        }
        startWeights = weights;
        pendingForLive = weights;
    }

    private FrameDenoiser open(SeriesKey series) {
        SeriesState own = parked.remove(series); // before parking another: the bound must not drop this one
        TemporalDenoiser.History history = takeHistory(series);
        FrameDenoiser model = live.size() < maxLive ? build() : takeLeastRecentlyUsed();
        WarmStartDenoiser core = recyclable(model);
        if (own != null && own.complete() && core != null) {
            core.resume(own); // exactly where this series stopped
            if (model instanceof TemporalDenoiser) ((TemporalDenoiser) model).resume(history); // its frames so far too
        } else if (model instanceof WarmModel) {
            WarmModel warm = (WarmModel) model;
            WarmWeights channel = latestByChannel.get(series.channel());
            if (own != null) {
                warm.loadWeights(own.weights); // this series' own weights: already adapted to its scene
            } else if (channel != null) {
                warm.warmUpFrom(channel); // another position or slice of the channel: a head start, then a warm-up
            } else if (startWeights != null) {
                warm.loadWeights(startWeights);
            }
        }
        live.put(series, model);
        return model;
    }

    private FrameDenoiser build() {
        FrameDenoiser model = factory.get();
        modelsBuilt++;
        return model;
    }

    /**
     * Parks the least recently used series and hands back its model, ready for a new series (as if just built), or a
     * newly built model when that one cannot be recycled.
     */
    private FrameDenoiser takeLeastRecentlyUsed() {
        Iterator<Map.Entry<SeriesKey, FrameDenoiser>> it = live.entrySet().iterator();
        Map.Entry<SeriesKey, FrameDenoiser> lru = it.next();
        it.remove();
        FrameDenoiser model = lru.getValue();
        WarmStartDenoiser core = recyclable(model);
        evictions++;
        if (!capLogged) {
            capLogged = true;
            log.accept("n2d: more series than " + maxLive + " live models (stage positions × channels × slices); the "
                    + "least recently used series is parked (weights, optimiser state and mapping, up to " + maxParked
                    + " series) and its model serves the new one, so no model is built beyond " + maxLive
                    + " and a series resumes where it stopped when it returns, its temporal history too (up to "
                    + (PARKED_HISTORY_BYTES >> 20) + " MB of histories)");
        }
        SeriesState state;
        if (core != null) {
            state = core.suspend();
            if (model instanceof TemporalDenoiser) {
                TemporalDenoiser.History h = ((TemporalDenoiser) model).park(); // leaves the stage as new
                if (maxParked > 0) parkHistory(lru.getKey(), h);
            }
            core.resume(null);
        } else {
            WarmWeights w = model instanceof WarmModel ? ((WarmModel) model).latestWeights() : null;
            state = w == null ? null : SeriesState.weightsOnly(w);
            model.close();
            model = build();
        }
        if (state != null && maxParked > 0) {
            parked.put(lru.getKey(), state);
            if (parked.size() > maxParked) {
                Iterator<SeriesKey> p = parked.keySet().iterator();
                takeHistory(p.next());
                p.remove();
            }
        }
        return model;
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

    /** The warm-start model inside {@code model} when it can serve another series, else null. */
    private static WarmStartDenoiser recyclable(FrameDenoiser model) {
        FrameDenoiser m = model instanceof TemporalDenoiser ? ((TemporalDenoiser) model).inner() : model;
        return m instanceof WarmStartDenoiser ? (WarmStartDenoiser) m : null;
    }

    private void logClipping(SeriesKey series, FrameDenoiser model, long clipped) {
        WarmStartDenoiser core = recyclable(model);
        Object mapping = core == null || core.normalization() == null ? "not stated by this model" : core.normalization();
        log.accept("n2d: series " + series + ": " + clipped + " output pixels clipped where the input was not saturated"
                + " (mapping " + mapping + "); logged once per series, all of them are counted in clipped_pixels");
    }

    /** Series with a live model, least recently used first. */
    public List<SeriesKey> liveSeries() {
        return new ArrayList<>(live.keySet());
    }

    /** The live model of a series, or null (tests). */
    FrameDenoiser model(SeriesKey series) {
        for (Map.Entry<SeriesKey, FrameDenoiser> e : live.entrySet()) if (e.getKey().equals(series)) return e.getValue();
        return null;
    }

    /** Series whose weights are parked. */
    public int parkedSeries() {
        return parked.size();
    }

    /** Series parked to respect the cap. */
    public long evictions() {
        return evictions;
    }

    /** Models built for series (at most the cap when they can be recycled; the probe of {@link #loadWeights} aside). */
    public int modelsBuilt() {
        return modelsBuilt;
    }

    /** The parked state of a series, or null (tests). */
    SeriesState parkedState(SeriesKey series) {
        for (Map.Entry<SeriesKey, SeriesState> e : parked.entrySet()) if (e.getKey().equals(series)) return e.getValue();
        return null;
    }

    @Override
    public String weightsFingerprint() {
        FrameDenoiser m = lastSeries == null ? null : model(lastSeries);
        return m == null ? "" : m.weightsFingerprint();
    }

    @Override
    public void close() {
        for (FrameDenoiser m : live.values()) m.close();
        live.clear();
        parked.clear();
        clearHistories();
        latestByChannel.clear();
    }
}
