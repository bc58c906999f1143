// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type. Never packaged: Micro-Manager supplies the
// real type at run time (a final class; the plugin only tests SummaryMetadata.getSequenceSettings() for null).
package org.micromanager.acquisition;

/** The settings of a multi-dimensional acquisition; no member is used by the plugin. */
public final class SequenceSettings {
   private SequenceSettings() {
   }
}
