// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

/** Only the members the n2d-live plugin calls. */
public interface Metadata {
   org.micromanager.PropertyMap getUserData();

   Builder copyBuilderPreservingUUID();

   Builder copyBuilderWithNewUUID();

   /** In MMStudio this extends the older MetadataBuilder; the methods called here are the same. */
   interface Builder {
      Metadata build();

      Builder userData(org.micromanager.PropertyMap u);
   }
}
