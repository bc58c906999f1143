package org.n2dlive.synth;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;

/**
 * Recorded frames as a {@link FrameSource}: a TIFF stack, or a folder of frame images in name order, read
 * into memory once (the test recordings are small) and looped. An optional clean reference gives ground
 * truth: one image for a static scene, or one plane per frame. Immutable after loading; frames returned are
 * the loaded ones (do not modify).
 */
public final class RecordedSource implements FrameSource {
    private final String description;
    private final List<Frame> frames;
    private final List<Frame> clean;
    private final double fps;

    public RecordedSource(String description, List<Frame> frames, List<Frame> clean, double fps) {
        if (frames.isEmpty()) throw new IllegalArgumentException(description + ": no frames");
        this.description = description;
        this.frames = Collections.unmodifiableList(new ArrayList<>(frames));
        this.clean = clean == null ? Collections.emptyList() : Collections.unmodifiableList(new ArrayList<>(clean));
        if (!this.clean.isEmpty() && this.clean.size() != 1 && this.clean.size() != frames.size()) {
            throw new IllegalArgumentException(description + ": the clean reference has " + this.clean.size()
                    + " planes; give one (static scene) or one per frame (" + frames.size() + ")");
        }
        for (int i = 0; i < this.clean.size(); i++) {
            Frame c = this.clean.get(i);
            Frame f = frames.get(i);
            if (c.width() != f.width() || c.height() != f.height()) {
                throw new IllegalArgumentException(description + ": the clean reference is " + c.width() + "x" + c.height()
                        + ", the frames " + f.width() + "x" + f.height());
            }
        }
        this.fps = fps;
    }

    /**
     * Reads a stream from a TIFF stack (or single image) or a folder of images.
     *
     * @param pattern a glob on file names for folders ("HV110_*.png"), or null for every image file
     * @param clean   the clean reference, or null; inside the folder it is not taken as a frame
     */
    public static RecordedSource open(Path path, String pattern, Path clean, double fps) throws IOException {
        List<Frame> frames = new ArrayList<>();
        String what;
        if (Files.isDirectory(path)) {
            PathMatcher m = pattern == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            List<Path> files = new ArrayList<>();
            for (Path p : ImageFiles.listFrames(path)) {
                if (m != null && !m.matches(p.getFileName())) continue;
                if (clean != null && Files.exists(clean) && Files.isSameFile(p, clean)) continue;
                files.add(p);
            }
            if (files.isEmpty()) {
                throw new IOException("no frame images in " + path + (pattern == null ? "" : " matching '" + pattern + "'"));
            }
            for (Path p : files) frames.addAll(ImageFiles.read(p));
            what = path + " (" + files.size() + " files)";
        } else if (Files.isRegularFile(path)) {
            frames.addAll(ImageFiles.read(path));
            what = path.toString();
        } else {
            throw new IOException("no such stream file or folder: " + path);
        }
        List<Frame> reference = null;
        if (clean != null) {
            if (Files.isDirectory(clean)) {
                // one clean image per frame, in name order (streams that drift or change scene)
                reference = new ArrayList<>();
                for (Path p : ImageFiles.listFrames(clean)) reference.addAll(ImageFiles.read(p));
                if (reference.isEmpty()) throw new IOException("no clean reference images in the folder " + clean);
            } else {
                if (!Files.isRegularFile(clean)) throw new IOException("no clean reference file or folder " + clean);
                reference = ImageFiles.read(clean);
            }
        }
        return new RecordedSource(what + (clean == null ? "" : ", clean " + clean.getFileName()), frames, reference, fps);
    }

    @Override
    public String describe() {
        Frame f = frames.get(0);
        return description + " [recorded, " + frames.size() + " frames " + f.width() + "x" + f.height() + " " + f.type() + "]";
    }

    @Override
    public int length() {
        return frames.size();
    }

    @Override
    public double fps() {
        return fps;
    }

    @Override
    public Frame frame(int i) {
        return frames.get(Math.floorMod(i, frames.size()));
    }

    @Override
    public boolean hasGroundTruth() {
        return !clean.isEmpty();
    }

    @Override
    public Frame groundTruth(int i) {
        if (clean.isEmpty()) return null;
        return clean.size() == 1 ? clean.get(0) : clean.get(Math.floorMod(i, clean.size()));
    }
}
