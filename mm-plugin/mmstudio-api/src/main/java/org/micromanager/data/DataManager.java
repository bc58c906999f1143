// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

/** From Studio.data(); only the members the n2d-live plugin calls. */
public interface DataManager {
   Image createImage(Object pixels, int width, int height, int bytesPerPixel, int numComponents,
                     Coords coords, Metadata metadata);

   Coords.Builder coordsBuilder();

   Metadata.Builder metadataBuilder();
}
