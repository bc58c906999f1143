// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager;

public interface MMPlugin extends MMGenericPlugin {
   void setContext(Studio studio);

   String getName();

   String getHelpText();

   String getVersion();

   String getCopyright();
}
