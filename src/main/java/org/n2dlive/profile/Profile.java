package org.n2dlive.profile;

import org.n2dlive.stream.StreamSettings;
import org.n2dlive.stream.StreamPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.n2dlive.engine.Pipeline;

/**
 * A named preset for a stream: its policy and how the N2D model fits and adapts. Stored as human-readable
 * {@code key = value} files ({@link KeyValueText}); the built-ins ship in the jar under {@code /profiles/}
 * (source: the repository's {@code profiles/} folder) and must set every key. A user file may omit keys:
 * they inherit the defaults, which are the built-in {@code balanced} profile's values. Unknown keys and bad
 * values are rejected with file, line, key and the allowed values.
 *
 * <p>Immutable and thread-safe; {@link #with} returns a changed copy.
 */
public final class Profile {
    /** The built-in profiles, in order of increasing latency. */
    public static final List<String> BUILT_INS = Collections.unmodifiableList(Arrays.asList("live-fast", "balanced", "quality", "record"));
    /** The built-in whose values a user file inherits for keys it does not set. */
    public static final String DEFAULTS = "balanced";

    private final String name;
    private final EnumMap<ProfileKey, String> values;

    private Profile(String name, EnumMap<ProfileKey, String> values) {
        this.name = name;
        this.values = values;
    }

    /** Loads a profile file; keys it does not set come from {@value #DEFAULTS}. */
    public static Profile load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no profile file " + file);
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return parse(text, file.toString(), baseName(file.getFileName().toString()), false);
    }

    /**
     * A built-in profile by name (from the classpath {@code /profiles/<name>.profile}), else a profile file.
     *
     * @throws IllegalArgumentException when it is neither, naming the built-ins
     */
    public static Profile resolve(String nameOrPath) throws IOException {
        if (nameOrPath == null || nameOrPath.trim().isEmpty()) {
            throw new IllegalArgumentException("no profile given; built-ins: " + String.join(", ", BUILT_INS));
        }
        String s = nameOrPath.trim();
        if (s.matches("[A-Za-z0-9_-]+")) {
            Profile p = builtIn(s.toLowerCase(Locale.ROOT));
            if (p != null) return p;
        }
        Path file = Path.of(s);
        if (Files.isRegularFile(file)) return load(file);
        throw new IllegalArgumentException("no profile '" + s + "': not a built-in (" + String.join(", ", BUILT_INS)
                + ") and no such file");
    }

    /** A built-in profile, or null if the classpath has none of that name. */
    public static Profile builtIn(String name) throws IOException {
        String resource = "/profiles/" + name + ".profile";
        try (InputStream in = Profile.class.getResourceAsStream(resource)) {
            if (in == null) return null;
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(text, "profiles/" + name + ".profile", name, true);
        }
    }

    /**
     * Parses profile text.
     *
     * @param source   for messages (file path)
     * @param complete true for built-ins: every key must be set
     */
    public static Profile parse(String text, String source, String name, boolean complete) {
        EnumMap<ProfileKey, String> v = new EnumMap<>(ProfileKey.class);
        for (KeyValueText.Entry e : KeyValueText.parse(text, source)) {
            ProfileKey k = ProfileKey.of(e.key);
            if (k == null) {
                throw new IllegalArgumentException(source + ":" + e.line + ": unknown key '" + e.key + "'; allowed keys: "
                        + ProfileKey.names());
            }
            try {
                v.put(k, k.normalize(e.value));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(source + ":" + e.line + ": " + ex.getMessage(), ex);
            }
        }
        if (complete) {
            for (ProfileKey k : ProfileKey.values()) {
                if (!v.containsKey(k)) {
                    throw new IllegalArgumentException(source + ": key '" + k.key() + "' is missing; a built-in profile sets "
                            + "every key (" + k.key() + ": " + k.allowed() + ")");
                }
            }
        } else {
            for (Map.Entry<ProfileKey, String> d : defaults().values.entrySet()) v.putIfAbsent(d.getKey(), d.getValue());
        }
        return new Profile(name, v);
    }

    private static volatile Profile defaults;

    /** The {@value #DEFAULTS} built-in, whose values fill keys a user file leaves out. */
    public static Profile defaults() {
        Profile d = defaults;
        if (d == null) {
            try {
                d = builtIn(DEFAULTS);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the built-in profile '" + DEFAULTS + "': " + e.getMessage(), e);
            }
            if (d == null) throw new IllegalStateException("the built-in profile '" + DEFAULTS + "' is missing from the classpath");
            defaults = d;
        }
        return d;
    }

    /**
     * This profile with one value changed (CLI flags, plugin settings), validated like a file line.
     *
     * @throws IllegalArgumentException "profile NAME: key 'k': ..." for an unknown key or a bad value
     */
    public Profile with(String key, String value) {
        ProfileKey k = ProfileKey.of(key == null ? "" : key.trim());
        if (k == null) {
            throw new IllegalArgumentException("profile " + name + ": unknown key '" + key + "'; allowed keys: " + ProfileKey.names());
        }
        String normalized;
        try {
            normalized = k.normalize(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile " + name + ": " + e.getMessage(), e);
        }
        EnumMap<ProfileKey, String> v = new EnumMap<>(values);
        v.put(k, normalized);
        return new Profile(name, v);
    }

    public String name() {
        return name;
    }

    /** Every key with its canonical value, in file order (for saving). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<ProfileKey, String> e : values.entrySet()) m.put(e.getKey().key(), e.getValue());
        return Collections.unmodifiableMap(m);
    }

    /** The profile as file text, loadable with {@link #parse} or {@link #load}. */
    public String toText() {
        StringBuilder sb = new StringBuilder("# n2d-live profile '").append(name).append("'\n");
        for (Map.Entry<String, String> e : asMap().entrySet()) sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        return sb.toString();
    }

    /** The stream settings this profile implies (policy, RECORD budget, keep_raw); other settings at their defaults. */
    public StreamSettings.Builder streamSettings() {
        return StreamSettings.builder().policy(policy()).ringMemoryBytes(ringMemoryBytes()).keepRaw(keepRaw());
    }

    public String get(ProfileKey k) {
        return values.get(k);
    }

    public String description() {
        return get(ProfileKey.DESCRIPTION);
    }

    public StreamPolicy policy() {
        return StreamPolicy.valueOf(get(ProfileKey.POLICY).toUpperCase(Locale.ROOT));
    }

    public boolean keepRaw() {
        return Boolean.parseBoolean(get(ProfileKey.KEEP_RAW));
    }

    public int ringMemoryMb() {
        return Integer.parseInt(get(ProfileKey.RING_MEMORY_MB));
    }

    public long ringMemoryBytes() {
        return (long) ringMemoryMb() << 20;
    }

    public Pipeline pipeline() {
        return Pipeline.valueOf(get(ProfileKey.PIPELINE).toUpperCase(Locale.ROOT));
    }

    public int channels() {
        return Integer.parseInt(get(ProfileKey.CHANNELS));
    }

    public int initialSteps() {
        return Integer.parseInt(get(ProfileKey.INITIAL_STEPS));
    }

    public int initialCrop() {
        return Integer.parseInt(get(ProfileKey.INITIAL_CROP));
    }

    public int adaptSteps() {
        return Integer.parseInt(get(ProfileKey.ADAPT_STEPS));
    }

    public int adaptCrop() {
        return Integer.parseInt(get(ProfileKey.ADAPT_CROP));
    }

    public double frameBudgetMs() {
        return Double.parseDouble(get(ProfileKey.FRAME_BUDGET_MS));
    }

    public double learningRate() {
        return Double.parseDouble(get(ProfileKey.LEARNING_RATE));
    }

    public int lrHalvingSteps() {
        return Integer.parseInt(get(ProfileKey.LR_HALVING_STEPS));
    }

    public double warmupBudgetMs() {
        return Double.parseDouble(get(ProfileKey.WARMUP_BUDGET_MS));
    }

    public double sceneChangeCorrelation() {
        return Double.parseDouble(get(ProfileKey.SCENE_CHANGE_CORRELATION));
    }

    public long seed() {
        return Long.parseLong(get(ProfileKey.SEED));
    }

    /** auto, pytorch or onnx. */
    public String engine() {
        return get(ProfileKey.ENGINE);
    }

    /** auto, cpu or gpu. */
    public String device() {
        return get(ProfileKey.DEVICE);
    }

    /** auto, full-range or "offset,scale". */
    public String normalization() {
        return get(ProfileKey.NORMALIZATION);
    }

    /** Whether the temporal stage runs in front of N2D. */
    public boolean temporal() {
        return "on".equals(get(ProfileKey.TEMPORAL));
    }

    public int temporalMaxFrames() {
        return Integer.parseInt(get(ProfileKey.TEMPORAL_MAX_FRAMES));
    }

    public double temporalLossWeight() {
        return Double.parseDouble(get(ProfileKey.TEMPORAL_LOSS_WEIGHT));
    }

    /** Whether N2D adapts to and denoises the raw frame instead of the fused one. */
    public boolean temporalRawInput() {
        return "raw".equals(get(ProfileKey.TEMPORAL_INPUT));
    }

    public double temporalRawSteps() {
        return Double.parseDouble(get(ProfileKey.TEMPORAL_RAW_STEPS));
    }

    /** The fresh-pixel pass's pipeline, or null when it is off. */
    public Pipeline temporalFreshPass() {
        String v = get(ProfileKey.TEMPORAL_FRESH_PASS);
        return "off".equals(v) ? null : Pipeline.valueOf(v.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "Profile[" + name + " " + asMap() + "]";
    }

    private static String baseName(String fileName) {
        return fileName.endsWith(".profile") ? fileName.substring(0, fileName.length() - ".profile".length()) : fileName;
    }
}
