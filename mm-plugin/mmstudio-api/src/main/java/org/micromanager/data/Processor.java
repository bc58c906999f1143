// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

public interface Processor {
   default SummaryMetadata processSummaryMetadata(SummaryMetadata source) {
      return source;
   }

   void processImage(Image image, ProcessorContext context);

   default void cleanup(ProcessorContext context) {
   }
}
