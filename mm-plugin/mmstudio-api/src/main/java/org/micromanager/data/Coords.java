// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

/** Only the members the n2d-live plugin calls. */
public interface Coords {
   int getChannel();

   int getTimePoint();

   int getZSlice();

   int getStagePosition();

   /** The axes this Coords has an index on; empty for live mode's intended dimensions. */
   java.util.List<String> getAxes();

   Builder copyBuilder();

   /** In MMStudio this extends the older CoordsBuilder; the methods called here are the same. */
   interface Builder {
      Coords build();

      Builder channel(int c);
   }
}
