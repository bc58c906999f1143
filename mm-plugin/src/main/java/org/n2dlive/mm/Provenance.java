package org.n2dlive.mm;

import org.n2dlive.stream.DenoiseReport;

import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.micromanager.data.Metadata;

/**
 * Stamps a denoised image's metadata with where it came from, in the image's user data: the n2d-live
 * version, profile, adaptation steps on this frame, fingerprint of the weights that produced it, its series, and,
 * when the engine could not denoise it, that the raw pixels were passed through and why. Everything else
 * in the metadata (and the coordinates) is the input image's. Stateless; thread-safe.
 */
public final class Provenance {
    public static final String VERSION = "n2d-live.version";
    public static final String PROFILE = "n2d-live.profile";
    public static final String ADAPT_STEPS = "n2d-live.adaptationSteps";
    public static final String WEIGHTS = "n2d-live.weightsFingerprint";
    public static final String PASSED_THROUGH = "n2d-live.passedThrough";
    public static final String ERROR = "n2d-live.error";
    public static final String LATENCY_MS = "n2d-live.latencyMs";
    /** The series the image was denoised in: "p&lt;position&gt; c&lt;channel&gt; z&lt;slice&gt;" of its raw coordinates. */
    public static final String SERIES = "n2d-live.series";
    /** Stage drift from the previous frame of the series, pixels (phase correlation); absent when unknown. */
    public static final String DRIFT_X_PX = "n2d-live.driftXPx";
    public static final String DRIFT_Y_PX = "n2d-live.driftYPx";
    /** PSNR estimated without ground truth from consecutive frames' independent noise; absent when unknown. */
    public static final String ESTIMATED_PSNR_DB = "n2d-live.estimatedPsnrDb";

    private Provenance() {
    }

    /**
     * The input's metadata with provenance added. {@code newUuid} gives the image its own identity (when
     * the raw image is recorded too, the two are different images).
     */
    static Metadata stamp(Metadata input, boolean newUuid, String profile, int adaptSteps, String fingerprint,
                          boolean passedThrough, String error, double latencyMs, String series,
                          DenoiseReport temporal) {
        PropertyMap user = input.getUserData();
        PropertyMap.Builder b = user != null ? user.copyBuilder() : PropertyMaps.builder();
        b.putString(VERSION, PluginInfo.VERSION)
                .putString(PROFILE, profile)
                .putInteger(ADAPT_STEPS, adaptSteps)
                .putString(WEIGHTS, fingerprint == null ? "" : fingerprint)
                .putBoolean(PASSED_THROUGH, passedThrough);
        if (error != null) b.putString(ERROR, error);
        if (latencyMs >= 0) b.putDouble(LATENCY_MS, latencyMs);
        if (series != null) b.putString(SERIES, series);
        if (temporal != null) {
            if (Double.isFinite(temporal.driftX)) b.putDouble(DRIFT_X_PX, temporal.driftX);
            if (Double.isFinite(temporal.driftY)) b.putDouble(DRIFT_Y_PX, temporal.driftY);
            if (Double.isFinite(temporal.estimatedPsnrDb)) b.putDouble(ESTIMATED_PSNR_DB, temporal.estimatedPsnrDb);
        }
        Metadata.Builder mb = newUuid ? input.copyBuilderWithNewUUID() : input.copyBuilderPreservingUUID();
        return mb.userData(b.build()).build();
    }
}
