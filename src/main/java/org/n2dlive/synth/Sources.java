package org.n2dlive.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.n2dlive.io.Hyperstack;
import org.n2dlive.io.ImageFiles;

/**
 * Opens what {@code n2d stream --source} names: a stream descriptor ({@code *.stream}, or a bare name found
 * as {@code test-streams/<name>.stream}), a TIFF stack / single image, or a folder of frame images. Stateless.
 */
public final class Sources {
    /** Where bare stream names are looked up, relative to the working directory. */
    public static final Path STREAMS_FOLDER = Path.of("test-streams");

    private Sources() {
    }

    /** An opened source and its default run length. */
    public static final class Opened {
        public final FrameSource source;
        public final int defaultFrames;

        Opened(FrameSource source, int defaultFrames) {
            this.source = source;
            this.defaultFrames = defaultFrames;
        }
    }

    /**
     * @param clean a clean reference for a recorded stream (file or folder source), or null; rejected for
     *              descriptors, which state their own
     * @param fps   the frame rate to state for file/folder sources (descriptors state their own)
     */
    public static Opened open(String spec, Path clean, double fps) throws IOException {
        if (spec == null || spec.trim().isEmpty()) throw new IllegalArgumentException("no stream source given");
        Path p = Path.of(spec.trim());
        Path descriptor = null;
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".stream")) {
            descriptor = p;
        } else if (!Files.exists(p) && spec.matches("[A-Za-z0-9_.-]+")) {
            descriptor = named(spec.endsWith(".stream") ? spec : spec + ".stream");
        }
        if (descriptor != null) {
            StreamDescriptor d = StreamDescriptor.load(descriptor);
            if (clean != null) {
                throw new IllegalArgumentException("--clean applies to TIFF or folder sources; the descriptor " + descriptor
                        + " states its own ground truth");
            }
            FrameSource s = d.open();
            return new Opened(s, d.runLength(s));
        }
        if (Files.isRegularFile(p) && !p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            // A hyperstack or OME-TIFF with several series (channels, z, positions) streams in acquisition order.
            Hyperstack h = ImageFiles.readStack(p);
            if (h.seriesCount() > 1) {
                if (clean != null) {
                    throw new IllegalArgumentException("--clean is not supported for a stack of " + h.seriesCount()
                            + " series (" + p + "); give each series' frames as a file of their own");
                }
                return new Opened(new StackSource(h, p.toString(), fps), h.planes().size());
            }
        }
        if (Files.isDirectory(p) || Files.isRegularFile(p)) {
            RecordedSource r = RecordedSource.open(p, null, clean, fps);
            return new Opened(r, r.length());
        }
        throw new IllegalArgumentException("no stream '" + spec + "': give a descriptor (" + STREAMS_FOLDER
                + "/<name>.stream or its name), a TIFF stack, or a folder of frame images");
    }

    /**
     * A descriptor by file name: in ./test-streams, else in the test-streams folder of the repository this code
     * was built in (target/engine/{classes,*.jar} lie three levels below it), so names work from any directory.
     */
    private static Path named(String fileName) {
        Path local = STREAMS_FOLDER.resolve(fileName);
        if (Files.isRegularFile(local)) return local;
        try {
            java.security.CodeSource cs = Sources.class.getProtectionDomain().getCodeSource();
            if (cs == null) return null;
            Path code = Path.of(cs.getLocation().toURI());
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            root = root == null ? null : root.getParent();
            Path inRepo = root == null ? null : root.resolve(STREAMS_FOLDER).resolve(fileName);
            return inRepo != null && Files.isRegularFile(inRepo) ? inRepo : null;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null; // an unusual class loader: only ./test-streams is searched
        }
    }
}
