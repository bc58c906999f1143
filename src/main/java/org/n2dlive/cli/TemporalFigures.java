package org.n2dlive.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.n2dlive.stream.DenoiseReport;

/**
 * The temporal denoiser's figures for the {@code n2d stream} summary, collected on the producer thread from each
 * output frame's report: drift per frame, the no-ground-truth PSNR estimate, and the temporal share of the
 * worker's time. Absent (no keys) when no frame carried temporal figures (temporal = off).
 */
final class TemporalFigures {
    private final List<Object> drift = new ArrayList<>();
    private final List<Double> estimated = new ArrayList<>();
    private double estimatedSum;
    private int estimatedCount;
    private long temporalNanos;
    private int frames;
    private boolean any;

    /** @param counted whether this frame is inside the PSNR mean (after the first frames) */
    void accept(DenoiseReport r, boolean counted) {
        frames++;
        temporalNanos += r.temporalNanos;
        boolean has = !Double.isNaN(r.driftX);
        any |= has;
        drift.add(has ? List.of(round(r.driftX, 3), round(r.driftY, 3)) : null);
        double e = r.estimatedPsnrDb;
        estimated.add(Double.isFinite(e) ? round(e, 2) : null);
        if (counted && Double.isFinite(e)) {
            estimatedSum += e;
            estimatedCount++;
        }
    }

    /**
     * Adds estimated_psnr_db (mean over the frames the PSNR mean uses, null if none could be estimated),
     * temporal_ms_per_frame, temporal_share (of the worker's time per frame), drift_px (the last frame's
     * [dx, dy]) and, with {@code perFrame}, drift_px_per_frame and estimated_psnr_per_frame_db.
     */
    void putSummary(Map<String, Object> m, boolean perFrame, double workerNanosPerFrame) {
        if (!any) return;
        m.put("estimated_psnr_db", estimatedCount == 0 ? null : estimatedSum / estimatedCount);
        double ms = frames == 0 ? Double.NaN : temporalNanos / 1e6 / frames;
        m.put("temporal_ms_per_frame", ms);
        m.put("temporal_share", workerNanosPerFrame > 0 ? ms * 1e6 / workerNanosPerFrame : Double.NaN);
        m.put("drift_px", drift.isEmpty() ? null : drift.get(drift.size() - 1));
        if (perFrame) {
            m.put("drift_px_per_frame", drift);
            m.put("estimated_psnr_per_frame_db", estimated);
        }
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
