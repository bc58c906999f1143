package org.n2dlive.mm.host;

import java.util.UUID;
import org.micromanager.PropertyMap;
import org.micromanager.data.Metadata;

/** Test Metadata: a UUID and user data. Immutable. */
public final class SimMetadata implements Metadata {
    private final UUID uuid;
    private final PropertyMap userData;

    public SimMetadata(UUID uuid, PropertyMap userData) {
        this.uuid = uuid;
        this.userData = userData;
    }

    public static SimMetadata fresh() {
        return new SimMetadata(UUID.randomUUID(), SimPropertyMap.empty());
    }

    public UUID uuid() {
        return uuid;
    }

    @Override
    public PropertyMap getUserData() {
        return userData;
    }

    @Override
    public Metadata.Builder copyBuilderPreservingUUID() {
        return new Builder(uuid, userData);
    }

    @Override
    public Metadata.Builder copyBuilderWithNewUUID() {
        return new Builder(UUID.randomUUID(), userData);
    }

    /** Builder over a copy. */
    public static final class Builder implements Metadata.Builder {
        private final UUID uuid;
        private PropertyMap userData;

        Builder(UUID uuid, PropertyMap userData) {
            this.uuid = uuid;
            this.userData = userData;
        }

        @Override
        public Metadata build() {
            return new SimMetadata(uuid, userData);
        }

        @Override
        public Builder userData(PropertyMap u) {
            userData = u;
            return this;
        }
    }
}
