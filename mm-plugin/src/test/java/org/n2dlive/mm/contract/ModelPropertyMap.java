package org.n2dlive.mm.contract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.micromanager.PropertyMap;

/**
 * Our model of Micro-Manager's property map, as ../shared/mm-api/README.md states it: immutable, built by a
 * builder whose {@code build()} copies, and strictly typed: a key read with another type than it was written with
 * throws ({@link WrongType}, where Micro-Manager throws its {@code TypeMismatchException}). Immutable; thread-safe.
 */
public final class ModelPropertyMap implements PropertyMap {
    /** A key read with another type than it was written with. */
    public static final class WrongType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongType(String key, Class<?> stored, Class<?> asked) {
            super("property '" + key + "' is stored as " + stored.getSimpleName() + ", read as " + asked.getSimpleName());
        }
    }

    private static final ModelPropertyMap EMPTY = new ModelPropertyMap(new LinkedHashMap<>());
    private final Map<String, Object> values;

    private ModelPropertyMap(Map<String, Object> values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder(new LinkedHashMap<>());
    }

    public static ModelPropertyMap empty() {
        return EMPTY;
    }

    /** The type a key was written with (Integer, Double, Boolean, String), or null when absent. */
    public Class<?> typeOf(String key) {
        Object v = values.get(key);
        return v == null ? null : v.getClass();
    }

    private <T> T get(String key, Class<T> type, T aDefault) {
        Object v = values.get(key);
        if (v == null) return aDefault;
        if (!type.isInstance(v)) throw new WrongType(key, v.getClass(), type);
        return type.cast(v);
    }

    @Override
    public Set<String> keySet() {
        return Collections.unmodifiableSet(values.keySet());
    }

    @Override
    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    @Override
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String getString(String key, String aDefault) {
        return get(key, String.class, aDefault);
    }

    @Override
    public int getInteger(String key, int aDefault) {
        return get(key, Integer.class, aDefault);
    }

    @Override
    public double getDouble(String key, double aDefault) {
        return get(key, Double.class, aDefault);
    }

    @Override
    public boolean getBoolean(String key, boolean aDefault) {
        return get(key, Boolean.class, aDefault);
    }

    @Override
    public Builder copyBuilder() {
        return new Builder(new LinkedHashMap<>(values));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelPropertyMap && values.equals(((ModelPropertyMap) o).values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Not thread-safe (a builder belongs to one thread). */
    public static final class Builder implements PropertyMap.Builder {
        private final Map<String, Object> values;

        private Builder(Map<String, Object> values) {
            this.values = values;
        }

        private Builder put(String key, Object value) {
            if (key == null) throw new NullPointerException("property key");
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            return this;
        }

        @Override
        public Builder putString(String key, String value) {
            return put(key, value);
        }

        @Override
        public Builder putInteger(String key, Integer value) {
            return put(key, value);
        }

        @Override
        public Builder putDouble(String key, Double value) {
            return put(key, value);
        }

        @Override
        public Builder putBoolean(String key, Boolean value) {
            return put(key, value);
        }

        @Override
        public Builder remove(String key) {
            values.remove(key);
            return this;
        }

        /** A copy: later changes to this builder do not reach the map built. */
        @Override
        public ModelPropertyMap build() {
            return new ModelPropertyMap(new LinkedHashMap<>(values));
        }
    }
}
