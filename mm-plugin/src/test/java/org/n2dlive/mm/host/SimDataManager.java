package org.n2dlive.mm.host;

import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;

/** Test DataManager: builds SimImages (checked like MMStudio's createImage). Thread-safe. */
public final class SimDataManager implements DataManager {
    @Override
    public Image createImage(Object pixels, int width, int height, int bytesPerPixel, int numComponents,
                             Coords coords, Metadata metadata) {
        if (!(metadata instanceof SimMetadata)) {
            // MMStudio's image casts metadata to its own class; catch foreign metadata here too.
            throw new ClassCastException("metadata must come from the host's builders, got " + metadata.getClass());
        }
        return new SimImage(pixels, width, height, bytesPerPixel, numComponents, coords, metadata);
    }

    @Override
    public Coords.Builder coordsBuilder() {
        return new SimCoords(0, 0, 0, 0).copyBuilder();
    }

    @Override
    public Metadata.Builder metadataBuilder() {
        return SimMetadata.fresh().copyBuilderWithNewUUID();
    }
}
