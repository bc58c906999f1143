package org.n2dlive.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.micromanager.PropertyMap;
import org.n2dlive.profile.Profile;
import org.n2dlive.profile.ProfileKey;

/**
 * The plugin's settings, as Micro-Manager stores them in a {@link PropertyMap} (it persists the pipeline's maps in
 * the user profile). Immutable; thread-safe.
 *
 * <p>Most of them override keys of the chosen profile ({@link #OVERRIDES}): each is stored under the profile's key
 * name, as the profile's text, and checked by the profile's own rule ({@link ProfileKey#normalize}). The others are
 * the plugin's own: the profile, live mode's policy (the profile's {@code policy} is the acquisitions'), pipeline
 * detection and warm weights. Micro-Manager's PropertyMap getters are strictly typed, so every key is written and
 * read as a String. A key that cannot be read (another type, a value not allowed) falls back to the default and is
 * reported once through {@link #problems()} instead of throwing. Maps saved before the overrides took the profile's
 * names are read by their old names ({@link #OLD_NAMES}, typed as they were then) and written back under the new.
 */
public final class PluginSettings {
    /** A profile name the engine knows, or a path to a profile file. */
    public static final String KEY_PROFILE = "profile";
    /** live | record, the stream policy for live mode. */
    public static final String KEY_LIVE_POLICY = "livePolicy";
    /** auto | live | acquisition — how a pipeline is told apart (see {@link PipelineKind}). */
    public static final String KEY_MODE = "mode";
    /** Warm weights loaded when the model starts; empty for none. */
    public static final String KEY_WEIGHTS_FILE = "weightsFile";
    /** The profile keys the plugin overrides, stored under {@link ProfileKey#key()}. */
    public static final List<ProfileKey> OVERRIDES = List.of(ProfileKey.ENGINE, ProfileKey.DEVICE,
            ProfileKey.ADAPT_STEPS, ProfileKey.POLICY, ProfileKey.KEEP_RAW, ProfileKey.RING_MEMORY_MB);
    /** The names (and types) the overrides were saved under before; read where the profile's name is absent. */
    static final Map<ProfileKey, String> OLD_NAMES = Map.of(ProfileKey.ADAPT_STEPS, "adaptSteps",
            ProfileKey.POLICY, "acquisitionPolicy", ProfileKey.KEEP_RAW, "keepRaw", ProfileKey.RING_MEMORY_MB, "ringMemoryMb");

    public static final String DEFAULT_PROFILE = Profile.DEFAULTS;
    public static final List<String> MODES = List.of("auto", "live", "acquisition");
    /**
     * The plugin's own values where a microscope wants other than the profile's: RECORD acquisitions, raw frames
     * kept, a 256 MiB ring. {@code adapt_steps} is not overridden unless set (the profile's value).
     */
    private static final Map<ProfileKey, String> DEFAULT_OVERRIDES = Map.of(ProfileKey.ENGINE, "auto",
            ProfileKey.DEVICE, "auto", ProfileKey.POLICY, "record", ProfileKey.KEEP_RAW, "true",
            ProfileKey.RING_MEMORY_MB, "256");

    private final String profile;
    private final String livePolicy;
    private final String mode;
    private final String weightsFile;
    /** Canonical profile text by key; only keys of {@link #OVERRIDES}. */
    private final EnumMap<ProfileKey, String> overrides;
    private final List<String> problems;

    private PluginSettings(Builder b, List<String> problems) {
        this.profile = b.profile;
        this.livePolicy = b.livePolicy;
        this.mode = b.mode;
        this.weightsFile = b.weightsFile;
        this.overrides = new EnumMap<>(b.overrides);
        this.problems = Collections.unmodifiableList(problems);
    }

    public static PluginSettings defaults() {
        return new Builder().build();
    }

    /** Reads every key as it is written; missing or unusable keys keep their default. */
    public static PluginSettings from(PropertyMap map) {
        Builder b = new Builder();
        List<String> problems = new ArrayList<>();
        if (map == null) return new PluginSettings(b, problems);
        b.profile = read(map, KEY_PROFILE, problems, b.profile, v -> v);
        b.livePolicy = read(map, KEY_LIVE_POLICY, problems, b.livePolicy, ProfileKey.POLICY::normalize);
        b.mode = read(map, KEY_MODE, problems, b.mode, v -> oneOf(KEY_MODE, v, MODES));
        b.weightsFile = read(map, KEY_WEIGHTS_FILE, problems, b.weightsFile, v -> v);
        for (ProfileKey k : OVERRIDES) {
            String name = map.containsKey(k.key()) || !OLD_NAMES.containsKey(k) ? k.key() : OLD_NAMES.get(k);
            String v = read(map, name, problems, b.overrides.get(k), k::normalize);
            if (v == null || (k == ProfileKey.ADAPT_STEPS && v.equals("-1"))) b.overrides.remove(k); // -1: the profile's
            else b.overrides.put(k, v);
        }
        if (b.profile.isEmpty()) {
            problems.add("setting '" + KEY_PROFILE + "' is empty; using '" + DEFAULT_PROFILE + "'");
            b.profile = DEFAULT_PROFILE;
        }
        return new PluginSettings(b, problems);
    }

    /** The key's value as text (old names as the type they were saved with), checked; else the default. */
    private static String read(PropertyMap map, String key, List<String> problems, String def, Check check) {
        if (!map.containsKey(key)) return def;
        String v;
        try {
            if (key.equals("adaptSteps") || key.equals("ringMemoryMb")) v = Integer.toString(map.getInteger(key, 0));
            else if (key.equals("keepRaw")) v = Boolean.toString(map.getBoolean(key, false));
            else v = map.getString(key, def);
        } catch (RuntimeException e) {
            problems.add("setting '" + key + "' is not stored as the type it is written with (" + e + "); using " + def);
            return def;
        }
        try {
            return v == null ? def : check.apply(v.trim());
        } catch (IllegalArgumentException e) {
            problems.add("setting '" + key + "': " + e.getMessage() + "; using " + def);
            return def;
        }
    }

    private interface Check {
        String apply(String v);
    }

    /**
     * Writes every key (as Strings) into a builder, e.g. one from {@code map.copyBuilder()}, dropping the old names
     * of the overrides and an override no longer set.
     */
    public PropertyMap.Builder writeTo(PropertyMap.Builder b) {
        b.putString(KEY_PROFILE, profile).putString(KEY_LIVE_POLICY, livePolicy).putString(KEY_MODE, mode)
                .putString(KEY_WEIGHTS_FILE, weightsFile);
        for (String old : OLD_NAMES.values()) b.remove(old);
        for (ProfileKey k : OVERRIDES) {
            if (overrides.containsKey(k)) b.putString(k.key(), overrides.get(k));
            else b.remove(k.key());
        }
        return b;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.profile = profile;
        b.livePolicy = livePolicy;
        b.mode = mode;
        b.weightsFile = weightsFile;
        b.overrides.clear();
        b.overrides.putAll(overrides);
        return b;
    }

    /**
     * The profile with these overrides: the stream's and the model's settings. Engine and device "auto" leave the
     * profile's choice (a profile file may name an engine or a device; the window's default must not undo it).
     */
    public Profile applyTo(Profile p) {
        for (Map.Entry<ProfileKey, String> o : overrides.entrySet()) {
            boolean profileDecides = (o.getKey() == ProfileKey.ENGINE || o.getKey() == ProfileKey.DEVICE)
                    && o.getValue().equals("auto");
            if (!profileDecides) p = p.with(o.getKey().key(), o.getValue());
        }
        return p;
    }

    public String profile() {
        return profile;
    }

    public String engine() {
        return overrides.get(ProfileKey.ENGINE);
    }

    public String device() {
        return overrides.get(ProfileKey.DEVICE);
    }

    /** Adaptation steps per frame, or -1 for the profile's. */
    public int adaptSteps() {
        String v = overrides.get(ProfileKey.ADAPT_STEPS);
        return v == null ? -1 : Integer.parseInt(v);
    }

    /** LIVE or RECORD. */
    public String livePolicy() {
        return livePolicy.toUpperCase(Locale.ROOT);
    }

    /** LIVE or RECORD. */
    public String acquisitionPolicy() {
        return overrides.get(ProfileKey.POLICY).toUpperCase(Locale.ROOT);
    }

    /** The policy name ("LIVE" or "RECORD") for a pipeline of this kind. */
    public String policyFor(PipelineKind kind) {
        return kind == PipelineKind.LIVE ? livePolicy() : acquisitionPolicy();
    }

    public boolean keepRaw() {
        return Boolean.parseBoolean(overrides.get(ProfileKey.KEEP_RAW));
    }

    public int ringMemoryMb() {
        return Integer.parseInt(overrides.get(ProfileKey.RING_MEMORY_MB));
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
        return profile + '|' + engine() + '|' + device() + '|' + adaptSteps() + '|' + weightsFile;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PluginSettings)) return false;
        PluginSettings s = (PluginSettings) o;
        return profile.equals(s.profile) && livePolicy.equals(s.livePolicy) && mode.equals(s.mode)
                && weightsFile.equals(s.weightsFile) && overrides.equals(s.overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, livePolicy, mode, weightsFile, overrides);
    }

    @Override
    public String toString() {
        return "profile=" + profile + " " + overrides.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(" ")) + " livePolicy=" + livePolicy + " mode=" + mode
                + " weightsFile=" + (weightsFile.isEmpty() ? "(none)" : weightsFile);
    }

    /** Mutable builder with the defaults; each value is checked as it is set. */
    public static final class Builder {
        private String profile = DEFAULT_PROFILE;
        private String livePolicy = "live";
        private String mode = "auto";
        private String weightsFile = "";
        private final EnumMap<ProfileKey, String> overrides = new EnumMap<>(DEFAULT_OVERRIDES);

        public Builder profile(String v) {
            profile = Objects.requireNonNull(v, "profile").trim();
            return this;
        }

        /** Overrides a profile key of {@link #OVERRIDES} with a value its rule allows; null: the profile's. */
        public Builder override(ProfileKey k, String v) {
            if (!OVERRIDES.contains(k)) throw new IllegalArgumentException("the plugin does not override '" + k.key() + "'");
            if (v == null) overrides.remove(k);
            else overrides.put(k, k.normalize(v));
            return this;
        }

        public Builder engine(String v) {
            return override(ProfileKey.ENGINE, v);
        }

        public Builder device(String v) {
            return override(ProfileKey.DEVICE, v);
        }

        /** -1: the profile's. */
        public Builder adaptSteps(int v) {
            return override(ProfileKey.ADAPT_STEPS, v == -1 ? null : Integer.toString(v));
        }

        public Builder livePolicy(String v) {
            try {
                livePolicy = ProfileKey.POLICY.normalize(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting '" + KEY_LIVE_POLICY + "': " + e.getMessage(), e);
            }
            return this;
        }

        public Builder acquisitionPolicy(String v) {
            return override(ProfileKey.POLICY, v);
        }

        public Builder keepRaw(boolean v) {
            return override(ProfileKey.KEEP_RAW, Boolean.toString(v));
        }

        public Builder ringMemoryMb(int v) {
            return override(ProfileKey.RING_MEMORY_MB, Integer.toString(v));
        }

        public Builder mode(String v) {
            mode = oneOf(KEY_MODE, v, MODES);
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

    /** The allowed spelling of v (case-insensitive), or an exception naming the allowed ones. */
    private static String oneOf(String key, String v, List<String> allowed) {
        for (String a : allowed) if (v != null && a.equalsIgnoreCase(v.trim())) return a;
        throw new IllegalArgumentException("setting '" + key + "' must be one of " + allowed + ", got '" + v + "'");
    }
}
