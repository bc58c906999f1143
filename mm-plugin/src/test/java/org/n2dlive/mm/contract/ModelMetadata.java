package org.n2dlive.mm.contract;

import java.util.UUID;
import org.micromanager.PropertyMap;
import org.micromanager.data.Metadata;

/**
 * Our model of an image's metadata: an identity (UUID), the exposure as one example of the camera's own fields,
 * and the user data where the plugin writes its provenance. Copies keep or renew the identity as the README's
 * {@code copyBuilderPreservingUUID}/{@code copyBuilderWithNewUUID} say. Immutable.
 */
public final class ModelMetadata implements Metadata {
    private final UUID uuid;
    private final Double exposureMs;
    private final PropertyMap userData;

    private ModelMetadata(UUID uuid, Double exposureMs, PropertyMap userData) {
        this.uuid = uuid;
        this.exposureMs = exposureMs;
        this.userData = userData;
    }

    /** A camera image's metadata: a new identity, no user data. */
    public static Builder builder() {
        return new Builder(UUID.randomUUID(), null, ModelPropertyMap.empty());
    }

    public UUID getUUID() {
        return uuid;
    }

    public Double getExposureMs() {
        return exposureMs;
    }

    @Override
    public PropertyMap getUserData() {
        return userData;
    }

    @Override
    public Builder copyBuilderPreservingUUID() {
        return new Builder(uuid, exposureMs, userData);
    }

    @Override
    public Builder copyBuilderWithNewUUID() {
        return new Builder(UUID.randomUUID(), exposureMs, userData);
    }

    @Override
    public String toString() {
        return "Metadata{" + uuid + ", userData=" + userData + "}";
    }

    /** Not thread-safe. */
    public static final class Builder implements Metadata.Builder {
        private UUID uuid;
        private Double exposureMs;
        private PropertyMap userData;

        private Builder(UUID uuid, Double exposureMs, PropertyMap userData) {
            this.uuid = uuid;
            this.exposureMs = exposureMs;
            this.userData = userData;
        }

        public Builder uuid(UUID u) {
            uuid = u;
            return this;
        }

        public Builder exposureMs(double ms) {
            exposureMs = ms;
            return this;
        }

        @Override
        public Builder userData(PropertyMap u) {
            // The plugin must build user data only with Micro-Manager's builders (README): a foreign map fails here.
            if (u != null && !(u instanceof ModelPropertyMap)) {
                throw new ClassCastException("user data must come from PropertyMaps.builder(), got " + u.getClass());
            }
            userData = u == null ? ModelPropertyMap.empty() : u;
            return this;
        }

        @Override
        public ModelMetadata build() {
            return new ModelMetadata(uuid, exposureMs, userData);
        }
    }
}
