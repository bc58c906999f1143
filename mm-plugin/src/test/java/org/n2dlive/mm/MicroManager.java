package org.n2dlive.mm;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.micromanager.PropertyMap;
import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Image;
import org.micromanager.data.Metadata;
import org.micromanager.data.Processor;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.mm.contract.ModelCoords;
import org.n2dlive.mm.contract.ModelDataManager;
import org.n2dlive.mm.contract.ModelDatastore;
import org.n2dlive.mm.contract.ModelImage;
import org.n2dlive.mm.contract.ModelMetadata;
import org.n2dlive.mm.contract.ModelPipeline;
import org.n2dlive.mm.contract.ModelPropertyMap;
import org.n2dlive.mm.contract.ModelSummary;

/**
 * The Micro-Manager the plugin's pipeline drivers and tests run against, and the only file that names it: here our
 * contract model ({@code org.n2dlive.mm.contract}). mm-plugin/mm-real-tests compiles the same drivers and tests with
 * its own MicroManager.java, over a real installation's classes. Stateless.
 */
final class MicroManager {
    /** What reading a value with another type than it was stored with throws. */
    static final Class<? extends Throwable> TYPE_MISMATCH = ModelPropertyMap.WrongType.class;

    private MicroManager() {
    }

    static MmPipeline.Store acquisitionStore() {
        return new Store(ModelDatastore.acquisition());
    }

    static MmPipeline.Store liveStore() {
        return new Store(ModelDatastore.live());
    }

    static MmPipeline pipeline(List<Processor> processors, MmPipeline.Store store, boolean synchronous) {
        ModelPipeline p = new ModelPipeline(processors, ((Store) store).store, synchronous);
        return new MmPipeline() {
            @Override
            public void insertSummaryMetadata(SummaryMetadata summary) {
                p.insertSummaryMetadata(summary);
            }

            @Override
            public void insertImage(Image image) throws InterruptedException {
                p.insertImage(image);
            }

            @Override
            public List<Object> halt() throws InterruptedException {
                p.halt();
                List<Object> recorded = new ArrayList<>(p.getExceptions());
                recorded.addAll(p.violations());
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
        return ModelCoords.at(channel, t);
    }

    static Coords at(int t, int channel, int z, int position) {
        return ModelCoords.builder().t(t).channel(channel).z(z).stagePosition(position).build();
    }

    /** {@code c} at time point {@code t}. */
    static Coords atTime(Coords c, int t) {
        return ((ModelCoords) c).copyBuilder().t(t).build();
    }

    /** A camera image with new metadata (its own identity, no user data). */
    static Image image(Object pixels, int w, int h, int bytesPerPixel, int components, Coords at) {
        return new ModelImage(pixels, w, h, bytesPerPixel, components, at, ModelMetadata.builder().build());
    }

    /** An acquisition's summary: channel names, intended dimensions and its sequence settings. */
    static SummaryMetadata acquisitionSummary(Coords intended, String... channels) {
        return ModelSummary.builder().channelNames(channels).intendedDimensions(intended)
                .sequenceSettings(ModelSummary.newSequenceSettings()).prefix("acq").build();
    }

    /** Live mode's summary: no dimensions, no acquisition settings. */
    static SummaryMetadata liveSummary() {
        return ModelSummary.live();
    }

    /** A summary with intended dimensions only (no channel names). */
    static SummaryMetadata unnamedSummary(Coords intended) {
        return ModelSummary.builder().intendedDimensions(intended).build();
    }

    /** What a summary carries beyond channels and dimensions, which a processor must hand on (to compare). */
    static List<Object> rest(SummaryMetadata s) {
        return Arrays.asList(s.getSequenceSettings(), ((ModelSummary) s).getPrefix());
    }

    /** Camera metadata; a null argument is left unset. */
    static Metadata metadata(UUID uuid, Double exposureMs, PropertyMap userData) {
        ModelMetadata.Builder b = ModelMetadata.builder();
        if (uuid != null) b.uuid(uuid);
        if (exposureMs != null) b.exposureMs(exposureMs);
        if (userData != null) b.userData(userData);
        return b.build();
    }

    static UUID uuid(Metadata m) {
        return ((ModelMetadata) m).getUUID();
    }

    static Double exposureMs(Metadata m) {
        return ((ModelMetadata) m).getExposureMs();
    }

    /** The type a strictly typed property map stored {@code key} with. */
    static Class<?> valueType(PropertyMap map, String key) {
        return ((ModelPropertyMap) map).typeOf(key);
    }

    /** {@code studio.data()}. */
    static DataManager data() {
        return new ModelDataManager();
    }

    /** {@code studio.core()}: our model of the core (whether a camera sequence runs, which a test sets). */
    static mmcorej.CMMCore core() {
        return new mmcorej.CMMCore();
    }

    /**
     * Micro-Manager's own classes and libraries for the jar tests' "Micro-Manager" loader: our API declarations
     * (mmstudio-api, in place of Micro-Manager's API classes) and the very library jars Micro-Manager ships
     * (Guava 17.0, Gson 2.2.4, ImageJ 1.53c, scijava-common 2.83.3, commons-lang3 3.10; copied to n2d.mm.libs by
     * the build), which the plugin jar must not clash with.
     */
    static List<URL> classpath() throws IOException {
        String dir = System.getProperty("n2d.mm.libs");
        String api = System.getProperty("n2d.mmstudio.api.classes");
        if (dir == null || api == null) {
            throw new IllegalStateException("n2d.mm.libs / n2d.mmstudio.api.classes are not set: run through `mvn verify` (failsafe)");
        }
        List<URL> urls = new ArrayList<>();
        urls.add(Paths.get(api).toUri().toURL());
        try (Stream<Path> jars = Files.list(Paths.get(dir))) {
            for (Path j : (Iterable<Path>) jars.sorted()::iterator) urls.add(j.toUri().toURL());
        }
        if (urls.size() != 6) throw new IllegalStateException("expected Micro-Manager's five library jars in " + dir + ": " + urls);
        return urls;
    }

    private static final class Store implements MmPipeline.Store {
        final ModelDatastore store;

        Store(ModelDatastore store) {
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
        public Image getImage(Coords at) {
            return store.getImage(at);
        }

        @Override
        public int getNumImages() {
            return store.getNumImages();
        }

        @Override
        public void freeze() {
            store.freeze();
        }

        @Override
        public Image shown() {
            return store.newest();
        }
    }
}
