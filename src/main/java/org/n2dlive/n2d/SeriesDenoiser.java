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
 * <p>Memory is bounded: at most {@code maxLive} models are live (each holds nets, optimiser state and frame
 * buffers); when an acquisition has more series (96 positions, say), the least recently used model is closed
 * and its weights (~170 KB at 48 channels) are parked, so the series resumes warm when it comes back. Parked
 * weights are bounded too ({@code maxParked}); beyond that the oldest are dropped and the series inherits its
 * channel's weights again. The policy is logged once.
 *
 * <p>Threading: called only from the worker thread, like every {@link FrameDenoiser}.
 */
public final class SeriesDenoiser implements WarmModel {
    private final Supplier<? extends FrameDenoiser> factory;
    private final int maxLive;
    private final int maxParked;
    private final Consumer<String> log;
    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<SeriesKey, FrameDenoiser> live = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<SeriesKey, WarmWeights> parked = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Integer, WarmWeights> latestByChannel = new HashMap<>();
    /** Weights every new channel starts from ({@link #loadWeights}), or null for a fit from scratch. */
    private volatile WarmWeights startWeights;
    private volatile WarmWeights latest;
    /** Weights loaded from another thread, for the live models to take on the worker thread. */
    private volatile WarmWeights pendingForLive;
    private boolean capLogged;
    private long evictions;
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
        }
        FrameDenoiser model = live.get(series);
        if (model == null) model = open(series);
        lastSeries = series;
        model.denoise(series, src, dst, report);
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
        if (live.size() >= maxLive) evictLeastRecentlyUsed();
        FrameDenoiser model = factory.get();
        if (model instanceof WarmModel) {
            WarmModel warm = (WarmModel) model;
            WarmWeights own = parked.remove(series);
            WarmWeights channel = latestByChannel.get(series.channel());
            if (own != null) {
                warm.loadWeights(own); // this series' own weights: already adapted to its scene
            } else if (channel != null) {
                warm.warmUpFrom(channel); // another position or slice of the channel: a head start, then a warm-up
            } else if (startWeights != null) {
                warm.loadWeights(startWeights);
            }
        }
        live.put(series, model);
        return model;
    }

    private void evictLeastRecentlyUsed() {
        Iterator<Map.Entry<SeriesKey, FrameDenoiser>> it = live.entrySet().iterator();
        Map.Entry<SeriesKey, FrameDenoiser> lru = it.next();
        it.remove();
        FrameDenoiser model = lru.getValue();
        WarmWeights w = model instanceof WarmModel ? ((WarmModel) model).latestWeights() : null;
        model.close();
        evictions++;
        if (!capLogged) {
            capLogged = true;
            log.accept("n2d: more series than " + maxLive + " live models (stage positions × channels × slices); the "
                    + "least recently used model is closed and its weights parked (up to " + maxParked + " series), "
                    + "so a series resumes warm when it returns");
        }
        if (w == null || maxParked == 0) return;
        parked.put(lru.getKey(), w);
        if (parked.size() > maxParked) {
            Iterator<SeriesKey> p = parked.keySet().iterator();
            p.next();
            p.remove();
        }
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

    /** Models closed to respect the cap. */
    public long evictions() {
        return evictions;
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
        latestByChannel.clear();
    }
}
