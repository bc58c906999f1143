// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager;

/** Static factory in MMStudio. The shim has no behaviour: calling it outside Micro-Manager fails. */
public final class PropertyMaps {
   private PropertyMaps() {
   }

   public static PropertyMap.Builder builder() {
      throw new UnsupportedOperationException("compile-only shim: PropertyMaps comes from Micro-Manager");
   }

   public static PropertyMap emptyPropertyMap() {
      throw new UnsupportedOperationException("compile-only shim: PropertyMaps comes from Micro-Manager");
   }
}
