// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

/** Only the members the n2d-live plugin calls. */
public interface Image {
   Image copyAtCoords(Coords coords);

   Image copyWithMetadata(Metadata metadata);

   Image copyWith(Coords coords, Metadata metadata);

   Metadata getMetadata();

   Coords getCoords();

   int getWidth();

   int getHeight();

   /** 1 = GRAY8 (byte[]), 2 = GRAY16 (short[], unsigned), 4 = RGB32 (byte[] BGRA). */
   int getBytesPerPixel();

   /** 1 for gray, 3 for RGB. */
   int getNumComponents();

   /** byte[] or short[]; must not be modified. */
   Object getRawPixels();

   Object getRawPixelsCopy();
}
