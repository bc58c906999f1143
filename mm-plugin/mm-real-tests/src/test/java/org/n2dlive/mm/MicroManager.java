package org.n2dlive.mm;

import java.io.IOException;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.micromanager.PropertyMap;
import org.micromanager.acquisition.SequenceSettings;
import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Datastore;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;
import org.micromanager.data.Processor;
import org.micromanager.data.SummaryMetadata;
import org.micromanager.data.internal.DefaultCoords;
import org.micromanager.data.internal.DefaultDatastore;
import org.micromanager.data.internal.DefaultImage;
import org.micromanager.data.internal.DefaultMetadata;
import org.micromanager.data.internal.DefaultRewritableDatastore;
import org.micromanager.data.internal.DefaultSummaryMetadata;
import org.micromanager.data.internal.StorageRAM;
import org.micromanager.data.internal.pipeline.DefaultPipeline;

/**
 * The Micro-Manager the plugin's pipeline drivers and tests run against, and the only file that names it: here a
 * real installation's classes (-Dmm.home), as MMStudio's {@code MMAcquisition}, {@code SnapLiveManager} and
 * {@code DefaultDataManager} use them. The drivers and tests are mm-plugin's, compiled with this file in place of
 * mm-plugin's MicroManager.java (our contract model). Stateless.
 */
final class MicroManager {
    /** What reading a value with another type than it was stored with throws. */
    static final Class<? extends Throwable> TYPE_MISMATCH = PropertyMap.TypeMismatchException.class;

    private MicroManager() {
    }

    /** An acquisition's RAM datastore. */
    static MmPipeline.Store acquisitionStore() {
        DefaultDatastore d = new DefaultDatastore(null);
        d.setStorage(new StorageRAM(d));
        return new Store(d);
    }

    /** Live mode's rewritable RAM datastore. */
    static MmPipeline.Store liveStore() {
        DefaultRewritableDatastore d = new DefaultRewritableDatastore(null);
        d.setStorage(new StorageRAM(d));
        return new Store(d);
    }

    static MmPipeline pipeline(List<Processor> processors, MmPipeline.Store store, boolean synchronous) {
        DefaultPipeline p = new DefaultPipeline(processors, ((Store) store).store, synchronous);
        return new MmPipeline() {
            @Override
            public void insertSummaryMetadata(SummaryMetadata summary) throws Exception {
                p.insertSummaryMetadata(summary);
            }

            @Override
            public void insertImage(Image image) throws Exception {
                p.insertImage(image);
            }

            @Override
            public List<Object> halt() {
                List<Object> recorded = new ArrayList<>(p.getExceptions()); // halt() clears them
                p.halt();
                return recorded;
            }

            @Override
            public boolean isHalted() {
                return p.isHalted();
            }
        };
    }

    /** Coordinates at channel c and time point t. */
    static Coords at(int channel, int t) {
        return new DefaultCoords.Builder().c(channel).t(t).build();
    }

    static Coords at(int t, int channel, int z, int position) {
        return new DefaultCoords.Builder().t(t).c(channel).z(z).stagePosition(position).build();
    }

    /** {@code c} at time point {@code t}. */
    static Coords atTime(Coords c, int t) {
        return c.copyBuilder().timePoint(t).build();
    }

    /** A camera image with new metadata (its own identity, no user data). */
    static Image image(Object pixels, int w, int h, int bytesPerPixel, int components, Coords at) {
        return new DefaultImage(pixels, w, h, bytesPerPixel, components, at, new DefaultMetadata.Builder().build());
    }

    /** An acquisition's summary: channel names, intended dimensions and its sequence settings. */
    static SummaryMetadata acquisitionSummary(Coords intended, String... channels) {
        SequenceSettings seq = new SequenceSettings.Builder().numFrames(intended.getTimePoint()).build();
        return new DefaultSummaryMetadata.Builder().channelNames(channels).intendedDimensions(intended)
                .sequenceSettings(seq).build();
    }

    /** Live mode's summary, as SnapLiveManager.createDisplay() inserts it: no dimensions, no acquisition settings. */
    static SummaryMetadata liveSummary() {
        return new DefaultSummaryMetadata.Builder().channelNames("Default").build();
    }

    /** A summary with intended dimensions only (no channel names). */
    static SummaryMetadata unnamedSummary(Coords intended) {
        return new DefaultSummaryMetadata.Builder().intendedDimensions(intended).build();
    }

    /** What a summary carries beyond channels and dimensions, which a processor must hand on (to compare). */
    static List<Object> rest(SummaryMetadata s) {
        return Arrays.asList(s.getSequenceSettings().numFrames());
    }

    /** Camera metadata; a null argument is left unset. */
    static Metadata metadata(UUID uuid, Double exposureMs, PropertyMap userData) {
        DefaultMetadata.Builder b = new DefaultMetadata.Builder();
        if (uuid != null) b.uuid(uuid);
        if (exposureMs != null) b.exposureMs(exposureMs);
        if (userData != null) b.userData(userData);
        return b.build();
    }

    static UUID uuid(Metadata m) {
        return m.getUUID();
    }

    static Double exposureMs(Metadata m) {
        return m.getExposureMs();
    }

    /** The type a strictly typed property map stored {@code key} with (boxed, as the model's map gives it). */
    static Class<?> valueType(PropertyMap map, String key) {
        return MethodType.methodType(map.getValueTypeForKey(key)).wrap().returnType();
    }

    /** {@code studio.data()}, as MMStudio's DefaultDataManager: Micro-Manager's real image, coords and metadata. */
    static DataManager data() {
        return StudioStandIn.proxy(DataManager.class, (p, m, a) -> {
            switch (m.getName()) {
                case "createImage":
                    return new DefaultImage(a[0], (Integer) a[1], (Integer) a[2], (Integer) a[3], (Integer) a[4],
                            (Coords) a[5], (Metadata) a[6]);
                case "coordsBuilder":
                case "getCoordsBuilder":
                    return new DefaultCoords.Builder();
                case "metadataBuilder":
                case "getMetadataBuilder":
                    return new DefaultMetadata.Builder();
                case "summaryMetadataBuilder":
                case "getSummaryMetadataBuilder":
                    return new DefaultSummaryMetadata.Builder();
                default:
                    return StudioStandIn.unsupported(m);
            }
        });
    }

    /** {@code studio.core()}: none here; the plugin then treats every acquisition as able to wait. */
    static mmcorej.CMMCore core() {
        return null;
    }

    /**
     * Micro-Manager's own classes and libraries for the jar tests' "Micro-Manager" loader, as its launcher loads
     * them: the installation's jars (its classes and the very library jars it ships, Gson 2.2.4 and Guava among
     * them; the build passes them as n2d.mm.jars).
     */
    static List<URL> classpath() throws IOException {
        String jars = System.getProperty("n2d.mm.jars");
        if (jars == null || jars.isEmpty()) {
            throw new IllegalStateException("n2d.mm.jars is not set: run through `mvn verify -Dmm.home=...` (failsafe)");
        }
        List<URL> urls = new ArrayList<>();
        for (String j : jars.split(",")) urls.add(Paths.get(j.trim()).toUri().toURL());
        return urls;
    }

    private static final class Store implements MmPipeline.Store {
        final Datastore store;

        Store(Datastore store) {
            this.store = store;
        }

        @Override
        public SummaryMetadata getSummaryMetadata() {
            return store.getSummaryMetadata();
        }

        @Override
        public Iterable<Coords> getUnorderedImageCoords() {
            return store.getUnorderedImageCoords();
        }

        @Override
        public Image getImage(Coords at) throws IOException {
            return store.getImage(at);
        }

        @Override
        public int getNumImages() {
            return store.getNumImages();
        }

        @Override
        public void freeze() throws IOException {
            store.freeze();
        }

        @Override
        public Image shown() throws IOException {
            return store.getAnyImage();
        }
    }
}
