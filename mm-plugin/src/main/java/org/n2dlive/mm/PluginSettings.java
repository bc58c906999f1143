package org.n2dlive.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.micromanager.PropertyMap;

/**
 * The plugin's settings, as Micro-Manager stores them in a {@link PropertyMap} (it persists the
 * pipeline's maps in the user profile). Immutable; thread-safe.
 *
 * <p>Micro-Manager's PropertyMap getters are strictly typed, so every key is written and read with one
 * fixed type (listed on its constant). A key stored with another type (an older or hand-edited profile)
 * falls back to the default and is reported once through {@link #problems()} instead of throwing.
 */
public final class PluginSettings {
    /** String: a profile name the engine knows, or a path to a profile file. */
    public static final String KEY_PROFILE = "profile";
    /** String: auto | pytorch | onnx. */
    public static final String KEY_ENGINE = "engine";
    /** String: auto | gpu | cpu. */
    public static final String KEY_DEVICE = "device";
    /** Integer: adaptation (training) steps per frame; -1 keeps the profile's value. */
    public static final String KEY_ADAPT_STEPS = "adaptSteps";
    /** String: LIVE | RECORD, the stream policy for live mode. */
    public static final String KEY_LIVE_POLICY = "livePolicy";
    /** String: LIVE | RECORD, the stream policy for acquisitions. */
    public static final String KEY_ACQ_POLICY = "acquisitionPolicy";
    /** Boolean: acquisitions record the raw and the denoised frame as two channels. */
    public static final String KEY_KEEP_RAW = "keepRaw";
    /** Integer: memory budget of the acquisition ring, MiB. */
    public static final String KEY_RING_MB = "ringMemoryMb";
    /** String: auto | live | acquisition — how a pipeline is told apart (see {@link PipelineKind}). */
    public static final String KEY_MODE = "mode";
    /** String: warm weights loaded when the model starts; empty for none. */
    public static final String KEY_WEIGHTS_FILE = "weightsFile";

    public static final String DEFAULT_PROFILE = org.n2dlive.profile.Profile.DEFAULTS;
    public static final List<String> ENGINES = Collections.unmodifiableList(java.util.Arrays.asList("auto", "pytorch", "onnx"));
    public static final List<String> DEVICES = Collections.unmodifiableList(java.util.Arrays.asList("auto", "gpu", "cpu"));
    public static final List<String> POLICIES = Collections.unmodifiableList(java.util.Arrays.asList("LIVE", "RECORD"));
    public static final List<String> MODES = Collections.unmodifiableList(java.util.Arrays.asList("auto", "live", "acquisition"));
    public static final int MIN_RING_MB = org.n2dlive.profile.ProfileKey.Ranges.MIN_RING_MEMORY_MB;
    public static final int MAX_RING_MB = org.n2dlive.profile.ProfileKey.Ranges.MAX_RING_MEMORY_MB;
    public static final int MAX_ADAPT_STEPS = org.n2dlive.profile.ProfileKey.Ranges.MAX_ADAPT_STEPS;

    private final String profile;
    private final String engine;
    private final String device;
    private final int adaptSteps;
    private final String livePolicy;
    private final String acquisitionPolicy;
    private final boolean keepRaw;
    private final int ringMemoryMb;
    private final String mode;
    private final String weightsFile;
    private final List<String> problems;

    private PluginSettings(Builder b, List<String> problems) {
        this.profile = b.profile;
        this.engine = b.engine;
        this.device = b.device;
        this.adaptSteps = b.adaptSteps;
        this.livePolicy = b.livePolicy;
        this.acquisitionPolicy = b.acquisitionPolicy;
        this.keepRaw = b.keepRaw;
        this.ringMemoryMb = b.ringMemoryMb;
        this.mode = b.mode;
        this.weightsFile = b.weightsFile;
        this.problems = Collections.unmodifiableList(problems);
    }

    public static PluginSettings defaults() {
        return new Builder().build();
    }

    /** Reads every key with the type it is written with; missing or unusable keys keep their default. */
    public static PluginSettings from(PropertyMap map) {
        Builder b = new Builder();
        List<String> problems = new ArrayList<>();
        if (map == null) {
            return new PluginSettings(b, problems);
        }
        Reader r = new Reader(map, problems);
        b.profile = r.string(KEY_PROFILE, b.profile);
        b.engine = r.choice(KEY_ENGINE, b.engine, ENGINES);
        b.device = r.choice(KEY_DEVICE, b.device, DEVICES);
        b.adaptSteps = r.integer(KEY_ADAPT_STEPS, b.adaptSteps, -1, MAX_ADAPT_STEPS);
        b.livePolicy = r.choice(KEY_LIVE_POLICY, b.livePolicy, POLICIES);
        b.acquisitionPolicy = r.choice(KEY_ACQ_POLICY, b.acquisitionPolicy, POLICIES);
        b.keepRaw = r.bool(KEY_KEEP_RAW, b.keepRaw);
        b.ringMemoryMb = r.integer(KEY_RING_MB, b.ringMemoryMb, MIN_RING_MB, MAX_RING_MB);
        b.mode = r.choice(KEY_MODE, b.mode, MODES);
        b.weightsFile = r.string(KEY_WEIGHTS_FILE, b.weightsFile);
        if (b.profile.trim().isEmpty()) {
            problems.add("setting '" + KEY_PROFILE + "' is empty; using '" + DEFAULT_PROFILE + "'");
            b.profile = DEFAULT_PROFILE;
        }
        return new PluginSettings(b, problems);
    }

    /** Writes every key (one fixed type each) into a builder, e.g. one from {@code map.copyBuilder()}. */
    public PropertyMap.Builder writeTo(PropertyMap.Builder b) {
        return b.putString(KEY_PROFILE, profile)
                .putString(KEY_ENGINE, engine)
                .putString(KEY_DEVICE, device)
                .putInteger(KEY_ADAPT_STEPS, adaptSteps)
                .putString(KEY_LIVE_POLICY, livePolicy)
                .putString(KEY_ACQ_POLICY, acquisitionPolicy)
                .putBoolean(KEY_KEEP_RAW, keepRaw)
                .putInteger(KEY_RING_MB, ringMemoryMb)
                .putString(KEY_MODE, mode)
                .putString(KEY_WEIGHTS_FILE, weightsFile);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.profile = profile;
        b.engine = engine;
        b.device = device;
        b.adaptSteps = adaptSteps;
        b.livePolicy = livePolicy;
        b.acquisitionPolicy = acquisitionPolicy;
        b.keepRaw = keepRaw;
        b.ringMemoryMb = ringMemoryMb;
        b.mode = mode;
        b.weightsFile = weightsFile;
        return b;
    }

    public String profile() {
        return profile;
    }

    public String engine() {
        return engine;
    }

    public String device() {
        return device;
    }

    public int adaptSteps() {
        return adaptSteps;
    }

    public String livePolicy() {
        return livePolicy;
    }

    public String acquisitionPolicy() {
        return acquisitionPolicy;
    }

    /** The policy name ("LIVE" or "RECORD") for a pipeline of this kind. */
    public String policyFor(PipelineKind kind) {
        return kind == PipelineKind.LIVE ? livePolicy : acquisitionPolicy;
    }

    public boolean keepRaw() {
        return keepRaw;
    }

    public int ringMemoryMb() {
        return ringMemoryMb;
    }

    public String mode() {
        return mode;
    }

    public String weightsFile() {
        return weightsFile;
    }

    /** What could not be read from the map (each already replaced by its default). */
    public List<String> problems() {
        return problems;
    }

    /**
     * The settings that decide which model is built; a change means a new model (the warm state is
     * lost), any other change only rebuilds the stream around the same model.
     */
    public String modelKey() {
        return profile + '|' + engine + '|' + device + '|' + adaptSteps + '|' + weightsFile;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PluginSettings)) return false;
        PluginSettings s = (PluginSettings) o;
        return profile.equals(s.profile) && engine.equals(s.engine) && device.equals(s.device)
                && adaptSteps == s.adaptSteps && livePolicy.equals(s.livePolicy)
                && acquisitionPolicy.equals(s.acquisitionPolicy) && keepRaw == s.keepRaw
                && ringMemoryMb == s.ringMemoryMb && mode.equals(s.mode) && weightsFile.equals(s.weightsFile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, engine, device, adaptSteps, livePolicy, acquisitionPolicy, keepRaw,
                ringMemoryMb, mode, weightsFile);
    }

    @Override
    public String toString() {
        return "profile=" + profile + " engine=" + engine + " device=" + device + " adaptSteps=" + adaptSteps
                + " livePolicy=" + livePolicy + " acquisitionPolicy=" + acquisitionPolicy + " keepRaw=" + keepRaw
                + " ringMemoryMb=" + ringMemoryMb + " mode=" + mode
                + " weightsFile=" + (weightsFile.isEmpty() ? "(none)" : weightsFile);
    }

    /** Mutable builder with the defaults; values are checked in {@link #build()}. */
    public static final class Builder {
        private String profile = DEFAULT_PROFILE;
        private String engine = "auto";
        private String device = "auto";
        private int adaptSteps = -1;
        private String livePolicy = "LIVE";
        private String acquisitionPolicy = "RECORD";
        private boolean keepRaw = true;
        private int ringMemoryMb = 256;
        private String mode = "auto";
        private String weightsFile = "";

        public Builder profile(String v) {
            profile = Objects.requireNonNull(v, "profile").trim();
            return this;
        }

        public Builder engine(String v) {
            engine = checkChoice(KEY_ENGINE, v, ENGINES);
            return this;
        }

        public Builder device(String v) {
            device = checkChoice(KEY_DEVICE, v, DEVICES);
            return this;
        }

        public Builder adaptSteps(int v) {
            adaptSteps = checkRange(KEY_ADAPT_STEPS, v, -1, MAX_ADAPT_STEPS);
            return this;
        }

        public Builder livePolicy(String v) {
            livePolicy = checkChoice(KEY_LIVE_POLICY, v, POLICIES);
            return this;
        }

        public Builder acquisitionPolicy(String v) {
            acquisitionPolicy = checkChoice(KEY_ACQ_POLICY, v, POLICIES);
            return this;
        }

        public Builder keepRaw(boolean v) {
            keepRaw = v;
            return this;
        }

        public Builder ringMemoryMb(int v) {
            ringMemoryMb = checkRange(KEY_RING_MB, v, MIN_RING_MB, MAX_RING_MB);
            return this;
        }

        public Builder mode(String v) {
            mode = checkChoice(KEY_MODE, v, MODES);
            return this;
        }

        public Builder weightsFile(String v) {
            weightsFile = v == null ? "" : v.trim();
            return this;
        }

        public PluginSettings build() {
            if (profile.isEmpty()) {
                throw new IllegalArgumentException("setting '" + KEY_PROFILE + "' must name a profile or a profile file");
            }
            return new PluginSettings(this, new ArrayList<>());
        }
    }

    private static String checkChoice(String key, String v, List<String> allowed) {
        String norm = normalize(v, allowed);
        if (norm == null) {
            throw new IllegalArgumentException("setting '" + key + "' must be one of " + allowed + ", got '" + v + "'");
        }
        return norm;
    }

    private static int checkRange(String key, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException("setting '" + key + "' must be in [" + lo + ", " + hi + "], got " + v);
        }
        return v;
    }

    /** The allowed spelling of v (case-insensitive match), or null. */
    private static String normalize(String v, List<String> allowed) {
        if (v == null) return null;
        String t = v.trim();
        for (String a : allowed) {
            if (a.equalsIgnoreCase(t)) return a;
        }
        return null;
    }

    /** Typed, forgiving reads: a wrong type or value becomes a problem line and the default. */
    private static final class Reader {
        private final PropertyMap map;
        private final List<String> problems;

        Reader(PropertyMap map, List<String> problems) {
            this.map = map;
            this.problems = problems;
        }

        String string(String key, String def) {
            if (!map.containsKey(key)) return def;
            try {
                String v = map.getString(key, def);
                return v == null ? def : v.trim();
            } catch (RuntimeException e) {
                return bad(key, "a string", def, e);
            }
        }

        String choice(String key, String def, List<String> allowed) {
            String v = string(key, def);
            String norm = normalize(v, allowed);
            if (norm == null) {
                problems.add("setting '" + key + "' = '" + v + "' is not one of " + allowed + "; using '" + def + "'");
                return def;
            }
            return norm;
        }

        int integer(String key, int def, int lo, int hi) {
            if (!map.containsKey(key)) return def;
            int v;
            try {
                v = map.getInteger(key, def);
            } catch (RuntimeException e) {
                return bad(key, "an integer", def, e);
            }
            if (v < lo || v > hi) {
                problems.add(String.format(Locale.ROOT, "setting '%s' = %d is outside [%d, %d]; using %d", key, v, lo, hi, def));
                return def;
            }
            return v;
        }

        boolean bool(String key, boolean def) {
            if (!map.containsKey(key)) return def;
            try {
                return map.getBoolean(key, def);
            } catch (RuntimeException e) {
                return bad(key, "a boolean", def, e);
            }
        }

        private <T> T bad(String key, String type, T def, RuntimeException e) {
            problems.add("setting '" + key + "' is not stored as " + type + " (" + e + "); using " + def);
            return def;
        }
    }
}
