// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

import org.micromanager.PropertyMap;

public interface ProcessorPlugin extends org.micromanager.MMPlugin {
   /** A new configurator object each call. */
   ProcessorConfigurator createConfigurator(PropertyMap settings);

   /** The factory must depend only on the settings. */
   ProcessorFactory createFactory(PropertyMap settings);
}
