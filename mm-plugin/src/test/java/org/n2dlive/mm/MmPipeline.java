package org.n2dlive.mm;

import java.io.IOException;
import java.util.List;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.SummaryMetadata;

/**
 * A Micro-Manager processing pipeline, as the drivers ({@link Acquisition}, {@link LiveMode}) use it; made by
 * {@link MicroManager} over our contract model here and over Micro-Manager's real classes in mm-real-tests.
 */
interface MmPipeline {
    void insertSummaryMetadata(SummaryMetadata summary) throws Exception;

    void insertImage(Image image) throws Exception;

    /**
     * halt() (each processor's cleanup), then what the pipeline recorded: the exceptions processors threw and,
     * where the pipeline checks it, every breach of its threading contract.
     */
    List<Object> halt() throws Exception;

    boolean isHalted();

    /** The datastore a pipeline writes into, as the drivers read it. */
    interface Store {
        SummaryMetadata getSummaryMetadata() throws IOException;

        Iterable<Coords> getUnorderedImageCoords() throws IOException;

        Image getImage(Coords at) throws IOException;

        int getNumImages() throws IOException;

        void freeze() throws IOException;

        /** The image live mode's display shows (the newest one), or null. */
        Image shown() throws IOException;
    }
}
