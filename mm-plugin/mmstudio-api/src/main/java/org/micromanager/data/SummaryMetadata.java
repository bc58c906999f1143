// Compile-only declaration of a Micro-Manager 2.0 (MMStudio) type, signatures as listed in
// shared/mm-api/README.md. Never packaged: Micro-Manager supplies the real type at run time.
package org.micromanager.data;

/** Only the members the n2d-live plugin calls. */
public interface SummaryMetadata {
   java.util.List<String> getChannelNameList();

   String[] getChannelNames();

   Coords getIntendedDimensions();

   /** Null for live mode's summary: only acquisitions carry sequence settings. */
   org.micromanager.acquisition.SequenceSettings getSequenceSettings();

   Builder copyBuilder();

   /** In MMStudio this extends the older SummaryMetadataBuilder; the methods called here are the same. */
   interface Builder {
      SummaryMetadata build();

      Builder channelNames(String... names);

      Builder intendedDimensions(Coords dims);
   }
}
