package org.n2dlive.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.profile.KeyValueText;

/**
 * A test stream described in a small {@code key = value} file ({@code test-streams/*.stream}), so streams are
 * generated or referenced, never stored. Two kinds:
 * <ul>
 * <li>{@code kind = synthetic}: a {@link SyntheticCamera} on {@code scene = cells} (drawn by {@link CellScene},
 * no data needed) or {@code scene = <image or stack>} (e.g. a clean average), with motion and camera noise
 * keys; the ground truth is known. {@code bleach_min} and {@code bleach_max} (fraction of the fluorescence lost
 * per frame, together) fade the scene at per-pixel rates between them, {@code bleach_scale} px being the size of a
 * region that fades alike (default 32; see {@link Bleaching}); absent, nothing fades.</li>
 * <li>{@code kind = recorded}: real frames, {@code path = <TIFF stack or folder>} (+ {@code pattern} glob),
 * {@code clean = <reference image>} optional.</li>
 * <li>{@code kind = spliced}: {@code first} and {@code second} (descriptor files) cut together at frame
 * {@code switch_at}: a scene change at a known frame.</li>
 * </ul>
 * The first two kinds take {@code crop = N} or {@code crop = WxH}: the centre crop of every frame and of its ground truth
 * ({@link CroppedSource}).
 * Paths are relative to the descriptor's folder (data in {@code ../shared/test-data/} is referenced, not
 * copied). Unknown keys, keys of the other kind and bad values are rejected with file, line and the allowed
 * values. Immutable after parsing.
 */
public final class StreamDescriptor {
    private static final Set<String> COMMON = set("description", "kind", "fps", "frame_count", "crop");
    private static final Set<String> RECORDED = set("path", "pattern", "clean", "window_drift_x", "window_drift_y");
    private static final Set<String> SPLICED = set("first", "second", "switch_at");
    private static final Set<String> SYNTHETIC = set("scene", "scene_scale", "width", "height", "scene_seed", "bit_depth",
            "photons", "read_noise", "offset", "gain", "drift_x", "drift_y", "moving_objects", "object_speed", "object_sigma",
            "object_brightness", "noise_seed", "bleach_min", "bleach_max", "bleach_scale");

    /** Kind interleaved: several descriptors' streams frame by frame, as positions or channels. */
    private static final Set<String> INTERLEAVED = set("description", "kind", "series", "axis", "frame_count");

    private final String source;
    private final Path folder;
    private final Map<String, KeyValueText.Entry> entries;
    private final boolean synthetic;
    private final boolean spliced;

    private StreamDescriptor(String source, Path folder, Map<String, KeyValueText.Entry> entries, String kind) {
        this.source = source;
        this.folder = folder;
        this.entries = entries;
        this.synthetic = kind.equals("synthetic");
        this.spliced = kind.equals("spliced");
    }

    public static StreamDescriptor load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no stream descriptor " + file);
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /** Parses descriptor text; relative paths resolve against {@code folder}. */
    public static StreamDescriptor parse(String text, String source, Path folder) {
        Map<String, KeyValueText.Entry> map = new HashMap<>();
        for (KeyValueText.Entry e : KeyValueText.parse(text, source)) map.put(e.key, e);
        KeyValueText.Entry kind = map.get("kind");
        if (kind == null) throw new IllegalArgumentException(source + ": key 'kind' is missing; allowed: synthetic, recorded, spliced or interleaved");
        String k = kind.value.toLowerCase(Locale.ROOT);
        if (k.equals("interleaved")) return interleaved(map, source, folder);
        if (!k.equals("synthetic") && !k.equals("recorded") && !k.equals("spliced")) {
            throw new IllegalArgumentException(source + ":" + kind.line + ": key 'kind': '" + kind.value
                    + "' is not allowed; allowed: synthetic, recorded, spliced or interleaved");
        }
        Set<String> allowed = new LinkedHashSet<>(COMMON);
        allowed.addAll(k.equals("synthetic") ? SYNTHETIC : k.equals("recorded") ? RECORDED : SPLICED);
        for (KeyValueText.Entry e : map.values()) {
            if (!allowed.contains(e.key)) {
                String owner = SYNTHETIC.contains(e.key) ? "synthetic" : RECORDED.contains(e.key) ? "recorded"
                        : SPLICED.contains(e.key) ? "spliced" : null;
                String why = owner != null
                        ? "key '" + e.key + "' belongs to kind " + owner + " streams"
                        : "unknown key '" + e.key + "'";
                throw new IllegalArgumentException(source + ":" + e.line + ": " + why + "; allowed keys for kind " + k + ": "
                        + String.join(", ", allowed));
            }
        }
        StreamDescriptor d = new StreamDescriptor(source, folder, map, k);
        d.validate();
        return d;
    }

    private static StreamDescriptor interleaved(Map<String, KeyValueText.Entry> map, String source, Path folder) {
        for (KeyValueText.Entry e : map.values()) {
            if (!INTERLEAVED.contains(e.key)) {
                throw new IllegalArgumentException(source + ":" + e.line + ": unknown key '" + e.key
                        + "'; allowed keys for kind interleaved: " + String.join(", ", INTERLEAVED));
            }
        }
        StreamDescriptor d = new StreamDescriptor(source, folder, map, "interleaved");
        d.interleavedParts();
        d.interleavedAxis();
        d.frameCount(1);
        return d;
    }

    private boolean isInterleaved() {
        return entries.containsKey("series");
    }

    /** The part descriptors of an interleaved stream, parsed now so that a bad part fails first. */
    private List<StreamDescriptor> interleavedParts() {
        KeyValueText.Entry e = entries.get("series");
        if (e == null) throw new IllegalArgumentException(source + ": key 'series' is missing; allowed: two or more "
                + "descriptor files, comma-separated");
        List<StreamDescriptor> parts = new ArrayList<>();
        for (String name : e.value.split(",")) {
            String n = name.trim();
            if (n.isEmpty()) continue;
            Path p = Path.of(n);
            Path file = p.isAbsolute() || folder == null ? p : folder.resolve(p).normalize();
            try {
                parts.add(load(file));
            } catch (IOException ex) {
                throw new IllegalArgumentException(source + ":" + e.line + ": key 'series': " + ex.getMessage());
            }
        }
        if (parts.size() < 2) throw bad(e, "two or more descriptor files, comma-separated");
        return parts;
    }

    private InterleavedSource.Axis interleavedAxis() {
        KeyValueText.Entry e = entries.get("axis");
        if (e == null) return InterleavedSource.Axis.POSITION;
        switch (e.value.toLowerCase(Locale.ROOT)) {
            case "positions": return InterleavedSource.Axis.POSITION;
            case "channels": return InterleavedSource.Axis.CHANNEL;
            default: throw bad(e, "positions or channels");
        }
    }

    /** Checks every value now, so a bad descriptor fails before anything runs. */
    private void validate() {
        fps();
        frameCount(1);
        crop();
        if (spliced) {
            for (String key : new String[] {"first", "second", "switch_at"}) {
                if (!entries.containsKey(key)) {
                    throw new IllegalArgumentException(source + ": key '" + key + "' is missing; a spliced stream needs first, "
                            + "second (descriptor files) and switch_at (the frame where the second starts)");
                }
            }
            if (entries.containsKey("crop")) throw misplaced(entries.get("crop"), "applies to synthetic and recorded streams (crop the parts)");
            integer("switch_at", 1, 1, 10_000_000);
        } else if (synthetic) {
            if (!entries.containsKey("scene")) throw new IllegalArgumentException(source + ": key 'scene' is missing; allowed: cells or an image path");
            boolean cells = isCells();
            if (!cells) {
                for (String key : new String[] {"width", "height", "scene_seed"}) {
                    KeyValueText.Entry e = entries.get(key);
                    if (e != null) throw misplaced(e, "applies to scene = cells only");
                }
            } else if (entries.containsKey("scene_scale")) {
                throw misplaced(entries.get("scene_scale"), "applies to image scenes only (cells are drawn in unit range)");
            }
            integer("width", 256, 8, 8192);
            integer("height", 256, 8, 8192);
            longValue("scene_seed", 1);
            longValue("noise_seed", 7);
            sceneScale();
            camera();
            motion();
            bleachingRates();
        } else if ((entries.containsKey("window_drift_x") || entries.containsKey("window_drift_y")) && crop() == null) {
            KeyValueText.Entry e = entries.containsKey("window_drift_x") ? entries.get("window_drift_x") : entries.get("window_drift_y");
            throw misplaced(e, "needs crop (the size of the drifting window)");
        } else if (!entries.containsKey("path")) {
            throw new IllegalArgumentException(source + ": key 'path' is missing; allowed: a TIFF stack or a folder of images");
        }
    }

    public String source() {
        return source;
    }

    public boolean synthetic() {
        return synthetic;
    }

    public String description() {
        KeyValueText.Entry e = entries.get("description");
        return e == null ? source : e.value;
    }

    /** The stated frame rate (default 10). */
    public double fps() {
        return number("fps", 10, 0, false, 100_000);
    }

    /** The stated number of frames, or {@code fallback} when not given. */
    public int frameCount(int fallback) {
        return integer("frame_count", fallback, 1, 10_000_000);
    }

    private boolean isCells() {
        return entries.get("scene").value.equalsIgnoreCase("cells");
    }

    /**
     * The centre crop asked for by {@code crop = N} (square) or {@code crop = WxH}: {width, height}, or null when
     * the key is absent. Whether it fits the frames is checked by {@link #open}.
     */
    public int[] crop() {
        KeyValueText.Entry e = entries.get("crop");
        if (e == null) return null;
        String v = e.value.trim().toLowerCase(Locale.ROOT);
        String[] parts = v.split("\\s*x\\s*", -1);
        if (parts.length == 1 || parts.length == 2) {
            try {
                int w = Integer.parseInt(parts[0].trim());
                int h = parts.length == 1 ? w : Integer.parseInt(parts[1].trim());
                if (w > 0 && h > 0) return new int[] {w, h};
            } catch (NumberFormatException ex) {
                // reported below
            }
        }
        throw bad(e, "a positive integer N (N x N) or WxH (width x height), e.g. 256 or 256x192, no larger than the frames");
    }

    /** Opens the stream (draws or reads the scene, or reads the recorded frames), centre-cropped if asked. */
    public FrameSource open() throws IOException {
        if (isInterleaved()) {
            List<FrameSource> parts = new ArrayList<>();
            for (StreamDescriptor d : interleavedParts()) parts.add(d.open());
            return new InterleavedSource(parts, interleavedAxis());
        }
        FrameSource s = openUncropped();
        int[] crop = crop();
        if (crop == null) return s;
        Frame f = s.frame(0);
        if (crop[0] > f.width() || crop[1] > f.height()) {
            KeyValueText.Entry e = entries.get("crop");
            throw new IllegalArgumentException(source + ":" + e.line + ": key 'crop': '" + e.value + "' is larger than the frames ("
                    + f.width() + "x" + f.height() + "); allowed: at most " + f.width() + "x" + f.height());
        }
        if (!synthetic && (entries.containsKey("window_drift_x") || entries.containsKey("window_drift_y"))) {
            // stage drift on a real recording: the crop window moves across the field (DriftingWindowSource)
            return new DriftingWindowSource(s, crop[0], crop[1], number("window_drift_x", 0, -1000, true, 1000),
                    number("window_drift_y", 0, -1000, true, 1000), runLength(s));
        }
        return new CroppedSource(s, crop[0], crop[1]);
    }

    private FrameSource openUncropped() throws IOException {
        if (spliced) {
            FrameSource a = StreamDescriptor.load(resolve(entries.get("first"))).open();
            FrameSource b = StreamDescriptor.load(resolve(entries.get("second"))).open();
            try {
                return new SplicedSource(description(), a, b, integer("switch_at", 1, 1, 10_000_000));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
            }
        }
        if (!synthetic) {
            Path path = resolve(entries.get("path"));
            KeyValueText.Entry pattern = entries.get("pattern");
            KeyValueText.Entry clean = entries.get("clean");
            return RecordedSource.open(path, pattern == null ? null : pattern.value, clean == null ? null : resolve(clean), fps());
        }
        List<float[]> planes = new ArrayList<>();
        int w;
        int h;
        if (isCells()) {
            w = integer("width", 256, 8, 8192);
            h = integer("height", 256, 8, 8192);
            planes.add(CellScene.draw(w, h, longValue("scene_seed", 1)));
        } else {
            Path scene = resolve(entries.get("scene"));
            List<Frame> frames = ImageFiles.read(scene);
            w = frames.get(0).width();
            h = frames.get(0).height();
            double scale = sceneScale();
            if (Double.isNaN(scale)) {
                scale = 0;
                for (Frame f : frames) for (int i = 0; i < f.pixelCount(); i++) scale = Math.max(scale, f.get(i));
                if (!(scale > 0)) throw new IOException(source + ": the scene " + scene + " is all zero");
            }
            for (Frame f : frames) {
                if (f.width() != w || f.height() != h) throw new IOException(source + ": the planes of " + scene + " differ in size");
                float[] u = new float[w * h];
                for (int i = 0; i < u.length; i++) u[i] = (float) (f.get(i) / scale);
                planes.add(u);
            }
        }
        double[] rates = bleachingRates();
        Bleaching bleaching = rates == null ? null
                : new Bleaching(w, h, rates[0], rates[1], number("bleach_scale", 32, 0, false, 8192), longValue("scene_seed", 1));
        SyntheticCamera cam = new SyntheticCamera(planes, w, h, motion(), camera(), longValue("noise_seed", 7), fps(), bleaching);
        return new SyntheticSource(description(), cam, frameCount(100));
    }

    /**
     * How many frames a run takes by default: frame_count, else the recording's length (spliced: switch_at plus the
     * second stream's length), else 100.
     */
    public int runLength(FrameSource opened) {
        return frameCount(synthetic ? 100 : opened.length());
    }

    CameraModel camera() {
        int bits = integer("bit_depth", 8, 8, 16);
        if (bits != 8 && bits != 16) throw bad(entries.get("bit_depth"), "8 or 16");
        double photons = number("photons", 50, 0, false, 1e9);
        double read = number("read_noise", 2, 0, true, 1e6);
        double offset = number("offset", bits == 8 ? 8 : 100, 0, true, bits == 8 ? 127 : 32767);
        KeyValueText.Entry g = entries.get("gain");
        double gain = g == null || g.value.equalsIgnoreCase("auto") ? Double.NaN : number("gain", 1, 0, false, 1e6);
        try {
            return new CameraModel(bits, photons, read, offset, gain);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    SceneMotion motion() {
        return new SceneMotion(number("drift_x", 0, -1000, true, 1000), number("drift_y", 0, -1000, true, 1000),
                integer("moving_objects", 0, 0, 1000), number("object_speed", 1, 0, true, 1000),
                number("object_sigma", 2, 0, false, 100), number("object_brightness", 0.8, 0, true, 1),
                longValue("noise_seed", 7));
    }

    /**
     * {bleach_min, bleach_max}, or null when the scene does not fade. The two keys go together; bleach_scale needs
     * them.
     */
    double[] bleachingRates() {
        KeyValueText.Entry lo = entries.get("bleach_min");
        KeyValueText.Entry hi = entries.get("bleach_max");
        if (lo == null && hi == null) {
            if (entries.containsKey("bleach_scale")) throw misplaced(entries.get("bleach_scale"), "needs bleach_min and bleach_max");
            return null;
        }
        if (lo == null || hi == null) {
            KeyValueText.Entry given = lo == null ? hi : lo;
            throw misplaced(given, "needs " + (lo == null ? "bleach_min" : "bleach_max")
                    + " too (the per-frame loss ranges between the two; equal values fade uniformly)");
        }
        double min = number("bleach_min", 0, 0, true, 0.5);
        double max = number("bleach_max", 0, 0, true, 0.5);
        if (max < min) throw bad(hi, "a number ≥ bleach_min (" + lo.value + ") and ≤ 0.5");
        number("bleach_scale", 32, 0, false, 8192);
        return new double[] {min, max};
    }

    /** NaN for auto (the scene's brightest value maps to 1). */
    private double sceneScale() {
        KeyValueText.Entry e = entries.get("scene_scale");
        if (e == null || e.value.equalsIgnoreCase("auto")) return Double.NaN;
        return number("scene_scale", 1, 0, false, 1e12);
    }

    private Path resolve(KeyValueText.Entry e) {
        Path p = Path.of(e.value);
        return p.isAbsolute() || folder == null ? p : folder.resolve(p).normalize();
    }

    private int integer(String key, int fallback, int lo, int hi) {
        KeyValueText.Entry e = entries.get(key);
        if (e == null) return fallback;
        try {
            int v = Integer.parseInt(e.value);
            if (v >= lo && v <= hi) return v;
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw bad(e, "an integer " + lo + ".." + hi);
    }

    private long longValue(String key, long fallback) {
        KeyValueText.Entry e = entries.get(key);
        if (e == null) return fallback;
        try {
            return Long.parseLong(e.value);
        } catch (NumberFormatException ex) {
            throw bad(e, "an integer");
        }
    }

    private double number(String key, double fallback, double lo, boolean loInclusive, double hi) {
        KeyValueText.Entry e = entries.get(key);
        if (e == null) return fallback;
        try {
            double v = Double.parseDouble(e.value);
            if (Double.isFinite(v) && (loInclusive ? v >= lo : v > lo) && v <= hi) return v;
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw bad(e, "a number " + (loInclusive ? "≥ " : "> ") + lo + " and ≤ " + hi);
    }

    private IllegalArgumentException bad(KeyValueText.Entry e, String allowed) {
        return new IllegalArgumentException(source + ":" + e.line + ": key '" + e.key + "': '" + e.value
                + "' is not allowed; allowed: " + allowed);
    }

    private IllegalArgumentException misplaced(KeyValueText.Entry e, String why) {
        return new IllegalArgumentException(source + ":" + e.line + ": key '" + e.key + "' " + why);
    }

    private static Set<String> set(String... keys) {
        return new LinkedHashSet<>(Arrays.asList(keys));
    }
}
