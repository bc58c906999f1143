// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager;

public interface LogManager {
   void logMessage(String msg);

   void logError(Exception e, String msg);

   void logError(String msg);

   void showError(String msg);
}
