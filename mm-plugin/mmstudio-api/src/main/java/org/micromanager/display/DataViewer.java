// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type; only the members the plugin calls.
// Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.display;

public interface DataViewer {
   void setDisplaySettings(DisplaySettings settings);

   DisplaySettings getDisplaySettings();

   org.micromanager.data.DataProvider getDataProvider();
}
