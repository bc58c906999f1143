package org.n2dlive.cli;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/**
 * The commands' JSON, written by Gson (strings escaped by the library, so a path with a quote cannot break it).
 * Summaries are maps of numbers, strings, booleans, null, nested maps and lists. Doubles keep six significant
 * digits (losses are ~1e-3, memory ~1e3) and non-finite ones become null. One line, {@code ", "} and
 * {@code ": "} between items, so it reads in a terminal too. Stateless.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .setFormattingStyle(FormattingStyle.COMPACT.withSpaceAfterSeparators(true)).create();

    private Json() {
    }

    /** One JSON object on one line. */
    public static String object(Map<String, ?> m) {
        return GSON.toJson(tree(m));
    }

    private static JsonElement tree(Object v) {
        if (v == null) return JsonNull.INSTANCE;
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) return JsonNull.INSTANCE;
            return new JsonPrimitive(new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros());
        }
        if (v instanceof Number) return new JsonPrimitive((Number) v);
        if (v instanceof Boolean) return new JsonPrimitive((Boolean) v);
        if (v instanceof Map) {
            JsonObject o = new JsonObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) o.add(String.valueOf(e.getKey()), tree(e.getValue()));
            return o;
        }
        if (v instanceof Iterable) {
            JsonArray a = new JsonArray();
            for (Object x : (Iterable<?>) v) a.add(tree(x));
            return a;
        }
        return new JsonPrimitive(v.toString());
    }
}
