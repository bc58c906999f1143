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
     * The input's metadata with provenance added, for a one-off image (a flagged pass-through). {@code newUuid}
     * gives the image its own identity (when the raw image is recorded too, the two are different images).
     */
    static Metadata stamp(Metadata input, boolean newUuid, String profile, int adaptSteps, String fingerprint,
                          boolean passedThrough, String error, double latencyMs, String series,
                          DenoiseReport temporal) {
        return new Stamper(profile).stamp(input, newUuid, adaptSteps, fingerprint, passedThrough, error, latencyMs,
                series, temporal);
    }

    /**
     * One processor's stamper, for every denoised image it emits on the pipeline thread, where each call counts
     * (live mode: the Swing thread). Camera images carry no user data, so their provenance is built in one reused
     * builder that holds the constant keys (version, profile) once; per image only the keys that change are put
     * or removed, and {@code build()} copies it (Micro-Manager's {@code DefaultPropertyMap} copies the builder's
     * map), so each image still gets its own map. An input that has user data of its own gets a copy of it, as
     * before. What stays per image is Micro-Manager's: the input's metadata copied with the new user data.
     * Measured with Micro-Manager's real classes, interpreted as in a 100-frame live run (the emit path runs ~30
     * times, never compiled), on the loaded 2-core box: the user-data part ~6 µs of the 50-130 µs a stamp costs;
     * the rest is {@code DefaultMetadata}'s copy and its validating constructor.
     *
     * <p>Threading: one thread at a time (the pipeline's).
     */
    static final class Stamper {
        private final String profile;
        private final PropertyMap.Builder reused;

        Stamper(String profile) {
            this.profile = profile;
            this.reused = withConstants(PropertyMaps.builder());
        }

        private PropertyMap.Builder withConstants(PropertyMap.Builder b) {
            return b.putString(VERSION, PluginInfo.VERSION).putString(PROFILE, profile);
        }

        /** See {@link Provenance#stamp}; {@code series} null and NaN figures leave their keys out. */
        Metadata stamp(Metadata input, boolean newUuid, int adaptSteps, String fingerprint, boolean passedThrough,
                       String error, double latencyMs, String series, DenoiseReport temporal) {
            PropertyMap user = input.getUserData();
            PropertyMap.Builder b = user == null || user.isEmpty() ? reused : withConstants(user.copyBuilder());
            b.putInteger(ADAPT_STEPS, adaptSteps)
                    .putString(WEIGHTS, fingerprint == null ? "" : fingerprint)
                    .putBoolean(PASSED_THROUGH, passedThrough);
            putOrRemove(b, ERROR, error);
            putOrRemove(b, LATENCY_MS, latencyMs >= 0 ? latencyMs : Double.NaN);
            putOrRemove(b, SERIES, series);
            putOrRemove(b, DRIFT_X_PX, temporal != null ? temporal.driftX : Double.NaN);
            putOrRemove(b, DRIFT_Y_PX, temporal != null ? temporal.driftY : Double.NaN);
            putOrRemove(b, ESTIMATED_PSNR_DB, temporal != null ? temporal.estimatedPsnrDb : Double.NaN);
            Metadata.Builder mb = newUuid ? input.copyBuilderWithNewUUID() : input.copyBuilderPreservingUUID();
            return mb.userData(b.build()).build();
        }

        private static void putOrRemove(PropertyMap.Builder b, String key, String value) {
            if (value != null) {
                b.putString(key, value);
            } else {
                b.remove(key);
            }
        }

        private static void putOrRemove(PropertyMap.Builder b, String key, double value) {
            if (Double.isFinite(value)) {
                b.putDouble(key, value);
            } else {
                b.remove(key);
            }
        }
    }
}
