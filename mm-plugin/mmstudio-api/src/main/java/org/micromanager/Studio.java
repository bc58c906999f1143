// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager;

/** Only the members the n2d-live plugin calls; the real interface has many more. */
public interface Studio {
   org.micromanager.data.DataManager data();

   LogManager logs();

   org.micromanager.display.DisplayManager displays();

   mmcorej.CMMCore core();
}
