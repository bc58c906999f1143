package org.n2dlive.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The human-readable {@code key = value} format of profiles and stream descriptors: one entry per line,
 * {@code #} starts a comment (whole line, or after whitespace at the end of a line), blank lines ignored, keys
 * are lower-case letters, digits and underscores. Syntax errors and repeated keys are rejected with the
 * source name and line. Stateless, thread-safe.
 */
public final class KeyValueText {
    private KeyValueText() {
    }

    /** One {@code key = value} line. */
    public static final class Entry {
        public final String key;
        public final String value;
        public final int line;

        Entry(String key, String value, int line) {
            this.key = key;
            this.value = value;
            this.line = line;
        }
    }

    /**
     * @param source a name for messages, e.g. the file path
     * @throws IllegalArgumentException "source:line: ..." on a malformed line or a key given twice
     */
    public static List<Entry> parse(String text, String source) {
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (!key.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": '" + key
                        + "' is not a key (keys are lower-case letters, digits and '_')");
            }
            Integer first = seen.put(key, lineNo);
            if (first != null) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": key '" + key + "' is given twice (first on line "
                        + first + ")");
            }
            out.add(new Entry(key, value, lineNo));
        }
        return Collections.unmodifiableList(out);
    }

    /** Drops a comment: a line starting with '#', or " #..." at its end (so values may contain '#' without a space). */
    private static String stripComment(String line) {
        String t = line.trim();
        if (t.startsWith("#")) return "";
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == '#' && Character.isWhitespace(line.charAt(i - 1))) return line.substring(0, i);
        }
        return line;
    }
}
