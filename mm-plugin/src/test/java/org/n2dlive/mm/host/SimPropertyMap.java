package org.n2dlive.mm.host;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.micromanager.PropertyMap;

/**
 * Test PropertyMap with Micro-Manager's strict typing: a key read with another type than it was written
 * with throws, as MMStudio's PropertyMap.TypeMismatchException does. Immutable.
 */
public final class SimPropertyMap implements PropertyMap {
    /** Stands in for MMStudio's PropertyMap.TypeMismatchException. */
    public static final class TypeMismatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TypeMismatchException(String msg) {
            super(msg);
        }
    }

    private final Map<String, Object> values;

    private SimPropertyMap(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static SimPropertyMap empty() {
        return new SimPropertyMap(new LinkedHashMap<>());
    }

    public static Builder builder() {
        return new Builder(new LinkedHashMap<>());
    }

    /** The stored value (for assertions), or null. */
    public Object raw(String key) {
        return values.get(key);
    }

    @Override
    public Set<String> keySet() {
        return values.keySet();
    }

    @Override
    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    @Override
    public String getString(String key, String aDefault) {
        return typed(key, String.class, aDefault);
    }

    @Override
    public int getInteger(String key, int aDefault) {
        return typed(key, Integer.class, aDefault);
    }

    @Override
    public double getDouble(String key, double aDefault) {
        return typed(key, Double.class, aDefault);
    }

    @Override
    public boolean getBoolean(String key, boolean aDefault) {
        return typed(key, Boolean.class, aDefault);
    }

    private <T> T typed(String key, Class<T> type, T def) {
        if (!values.containsKey(key)) return def;
        Object v = values.get(key);
        if (!type.isInstance(v)) {
            throw new TypeMismatchException("key '" + key + "' holds " + (v == null ? "null" : v.getClass().getSimpleName())
                    + ", read as " + type.getSimpleName());
        }
        return type.cast(v);
    }

    @Override
    public PropertyMap.Builder copyBuilder() {
        return new Builder(new LinkedHashMap<>(values));
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Builder; puts overwrite (and may change a key's type, as in MMStudio). */
    public static final class Builder implements PropertyMap.Builder {
        private final Map<String, Object> values;

        Builder(Map<String, Object> values) {
            this.values = values;
        }

        @Override
        public Builder putString(String key, String value) {
            values.put(key, value);
            return this;
        }

        @Override
        public Builder putInteger(String key, Integer value) {
            values.put(key, value);
            return this;
        }

        @Override
        public Builder putDouble(String key, Double value) {
            values.put(key, value);
            return this;
        }

        @Override
        public Builder putBoolean(String key, Boolean value) {
            values.put(key, value);
            return this;
        }

        @Override
        public SimPropertyMap build() {
            return new SimPropertyMap(values);
        }
    }
}
