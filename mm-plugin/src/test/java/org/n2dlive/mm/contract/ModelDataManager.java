package org.n2dlive.mm.contract;

import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;

/** {@code studio.data()} in our model: images, coordinates and metadata from the model's own classes. Stateless. */
public final class ModelDataManager implements DataManager {
    @Override
    public Image createImage(Object pixels, int width, int height, int bytesPerPixel, int numComponents, Coords coords,
                             Metadata metadata) {
        return new ModelImage(pixels, width, height, bytesPerPixel, numComponents, coords, metadata);
    }

    @Override
    public ModelCoords.Builder coordsBuilder() {
        return ModelCoords.builder();
    }

    @Override
    public ModelMetadata.Builder metadataBuilder() {
        return ModelMetadata.builder();
    }
}
