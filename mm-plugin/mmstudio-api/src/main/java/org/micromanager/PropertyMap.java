// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager;

public interface PropertyMap {
   java.util.Set<String> keySet();

   boolean containsKey(String key);

   boolean isEmpty();

   String getString(String key, String aDefault);

   int getInteger(String key, int aDefault);

   double getDouble(String key, double aDefault);

   boolean getBoolean(String key, boolean aDefault);

   Builder copyBuilder();

   /** In MMStudio this extends the older PropertyMapBuilder; the methods called here are the same. */
   interface Builder {
      Builder putString(String key, String value);

      Builder putInteger(String key, Integer value);

      Builder putDouble(String key, Double value);

      Builder putBoolean(String key, Boolean value);

      Builder remove(String key);

      PropertyMap build();
   }
}
