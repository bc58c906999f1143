package org.n2dlive.profile;

import java.util.List;
import java.util.Locale;
import org.n2dlive.frame.Normalization;

/**
 * The keys of a {@link Profile}, each with its rule. {@link #normalize} checks a value and returns its
 * canonical text (lower-case words, trimmed numbers) or throws with the allowed values. Immutable.
 */
public enum ProfileKey {
    DESCRIPTION("description", "any text") {
        @Override
        String check(String v) {
            return v;
        }
    },
    POLICY("policy", "live or record", "live", "record"),
    KEEP_RAW("keep_raw", "true or false", "true", "false"),
    RING_MEMORY_MB("ring_memory_mb", "an integer " + Ranges.MIN_RING_MEMORY_MB + ".." + Ranges.MAX_RING_MEMORY_MB
            + " (MiB of frame buffers a RECORD ring may hold)") {
        @Override
        String check(String v) {
            return integer(v, Ranges.MIN_RING_MEMORY_MB, Ranges.MAX_RING_MEMORY_MB);
        }
    },
    PIPELINE("pipeline", "stage1, ensemble or full", "stage1", "ensemble", "full"),
    CHANNELS("channels", "an integer " + Ranges.MIN_CHANNELS + ".." + Ranges.MAX_CHANNELS) {
        @Override
        String check(String v) {
            return integer(v, Ranges.MIN_CHANNELS, Ranges.MAX_CHANNELS);
        }
    },
    INITIAL_STEPS("initial_steps", "an integer 0..1000000 (steps per net)") {
        @Override
        String check(String v) {
            return integer(v, 0, 1_000_000);
        }
    },
    INITIAL_CROP("initial_crop", "a multiple of 4, at least 16") {
        @Override
        String check(String v) {
            return crop(v);
        }
    },
    ADAPT_STEPS("adapt_steps", "an integer 0.." + Ranges.MAX_ADAPT_STEPS + " (steps per net per frame)") {
        @Override
        String check(String v) {
            return integer(v, 0, Ranges.MAX_ADAPT_STEPS);
        }
    },
    ADAPT_CROP("adapt_crop", "a multiple of 4, at least 16") {
        @Override
        String check(String v) {
            return crop(v);
        }
    },
    FRAME_BUDGET_MS("frame_budget_ms", "a number > 0 (milliseconds)") {
        @Override
        String check(String v) {
            return number(v, 0, false, Double.POSITIVE_INFINITY);
        }
    },
    WARMUP_BUDGET_MS("warmup_budget_ms", "a number > 0 (milliseconds)") {
        @Override
        String check(String v) {
            return number(v, 0, false, Double.POSITIVE_INFINITY);
        }
    },
    LEARNING_RATE("learning_rate", "a number > 0") {
        @Override
        String check(String v) {
            return number(v, 0, false, Double.POSITIVE_INFINITY);
        }
    },
    LR_HALVING_STEPS("lr_halving_steps", "an integer > 0") {
        @Override
        String check(String v) {
            return integer(v, 1, Integer.MAX_VALUE);
        }
    },
    SCENE_CHANGE_CORRELATION("scene_change_correlation", "a number > 0 and < 1") {
        @Override
        String check(String v) {
            String s = number(v, 0, false, 1);
            if (Double.parseDouble(s) >= 1) throw new IllegalArgumentException("out of range");
            return s;
        }
    },
    SEED("seed", "an integer (64-bit)") {
        @Override
        String check(String v) {
            try {
                return Long.toString(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer");
            }
        }
    },
    ENGINE("engine", "auto, pytorch or onnx", "auto", "pytorch", "onnx"),
    DEVICE("device", "auto, cpu or gpu", "auto", "cpu", "gpu"),
    NORMALIZATION("normalization", "auto, full-range, or <offset>,<scale> (scale > 0)") {
        @Override
        String check(String v) {
            return Normalization.Rule.parse(v).toString();
        }
    },
    TEMPORAL("temporal", "on or off (fuse each frame with its motion-gated, drift-aligned history before N2D)", "on", "off"),
    TEMPORAL_MAX_FRAMES("temporal_max_frames", "an integer 1..4096 (frames a static pixel averages at most)") {
        @Override
        String check(String v) {
            return integer(v, 1, 4096);
        }
    },
    TEMPORAL_LOSS_WEIGHT("temporal_loss_weight", "a number >= 0 (weight of the temporal Noise2Noise training term; 0 = off)") {
        @Override
        String check(String v) {
            return number(v, 0, true, 1e6);
        }
    },
    TEMPORAL_INPUT("temporal_input", "fused or raw (what N2D adapts to and denoises: the fused frame, or the raw frame)", "fused", "raw"),
    TEMPORAL_RAW_STEPS("temporal_raw_steps", "a number 0..1 (share of N2D's training steps on the raw frame while it denoises the fused one)") {
        @Override
        String check(String v) {
            return number(v, 0, true, 1);
        }
    },
    TEMPORAL_FRESH_PASS("temporal_fresh_pass", "off, stage1 or ensemble (the pipeline that denoises the raw frame again where the fused frame is fresh; ensemble runs stage 1 away from changes proven this frame)", "off", "stage1", "ensemble");

    /**
     * Allowed ranges of the numeric settings, one definition for profiles, the model's own checks and the
     * Micro-Manager plugin's settings.
     */
    public static final class Ranges {
        /** Feature channels per net (the paper uses 48; 256 already costs ~28× its compute per pixel). */
        public static final int MIN_CHANNELS = 1;
        public static final int MAX_CHANNELS = 256;
        /**
         * Adaptation steps per net per frame. 1,000 steps take minutes per 256² frame on a CPU (a training step
         * is ~115 ms there), well past any stream; the frame budget stops adaptation long before.
         */
        public static final int MAX_ADAPT_STEPS = 1_000;
        /** MiB of frame buffers a RECORD ring may hold: at least one 2048² 16-bit frame pair, at most 64 GiB. */
        public static final int MIN_RING_MEMORY_MB = 16;
        public static final int MAX_RING_MEMORY_MB = 65_536;

        private Ranges() {
        }
    }

    private final String key;
    private final String allowed;
    private final List<String> options;

    /** @param options the allowed values of a key that takes one of a list (checked case-insensitively) */
    ProfileKey(String key, String allowed, String... options) {
        this.key = key;
        this.allowed = allowed;
        this.options = List.of(options);
    }

    /** The name used in files, e.g. "adapt_steps". */
    public String key() {
        return key;
    }

    /** The allowed values, in words. */
    public String allowed() {
        return allowed;
    }

    /** The allowed values of a key that takes one of a list (e.g. for a choice in a window), else empty. */
    public List<String> options() {
        return options;
    }

    /** The key with this file name, or null. */
    public static ProfileKey of(String name) {
        for (ProfileKey k : values()) if (k.key.equals(name)) return k;
        return null;
    }

    /** All key names, comma-separated, in file order. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (ProfileKey k : values()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(k.key);
        }
        return sb.toString();
    }

    /**
     * @return the canonical form of the value
     * @throws IllegalArgumentException "key 'k': 'v' is not allowed; allowed: ..." (the caller adds file and line)
     */
    public String normalize(String value) {
        String v = value == null ? "" : value.trim();
        try {
            if (v.isEmpty() && this != DESCRIPTION) throw new IllegalArgumentException("empty");
            return check(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key '" + key + "': '" + v + "' is not allowed; allowed: " + allowed);
        }
    }

    /** The canonical form of a trimmed, non-empty value, or IllegalArgumentException; by default one of the options. */
    String check(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        for (String o : options) if (o.equals(s)) return o;
        throw new IllegalArgumentException("not one of the options");
    }

    private static String integer(String v, long lo, long hi) {
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
        if (x < lo || x > hi) throw new IllegalArgumentException("out of range");
        return Long.toString(x);
    }

    private static String crop(String v) {
        String s = integer(v, 16, 1 << 16);
        if (Integer.parseInt(s) % 4 != 0) throw new IllegalArgumentException("not a multiple of 4");
        return s;
    }

    private static String number(String v, double lo, boolean loInclusive, double hi) {
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (!Double.isFinite(x) || (loInclusive ? x < lo : x <= lo) || x > hi) throw new IllegalArgumentException("out of range");
        return v;
    }
}
