package org.n2dlive.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;

/**
 * The project's entry point for image files: reading (TIFF or PNG, recognised by their first bytes, not
 * by the name), listing a folder of frames, writing (TIFF or PNG, chosen by the name), and side-by-side
 * previews. Every problem with a file becomes an {@link ImageFormatException} that names the file and
 * says what is wrong. Input files are only ever opened read-only; outputs are written to a temporary
 * file and renamed into place. Stateless; safe from any thread.
 */
public final class ImageFiles {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Gray level of the gap between the two halves of a preview: white, visible against dark images. */
    static final int PREVIEW_GAP_VALUE = 255;
    static final int PREVIEW_GAP = 2;

    private ImageFiles() {
    }

    /**
     * Reads all planes of a TIFF (see {@link TiffReader}) or the single plane of a grayscale PNG.
     * Float planes must be finite: a NaN or infinite pixel is reported with its plane and position.
     */
    public static List<Frame> read(Path file) throws IOException {
        byte[] head = readHead(file);
        List<Frame> frames;
        if (TiffReader.isTiff(head)) {
            frames = TiffReader.read(file);
        } else if (startsWith(head, PNG_MAGIC)) {
            frames = Collections.singletonList(PngCodec.read(file));
        } else {
            throw new ImageFormatException(file, unknownFormat(head));
        }
        checkFinite(file, frames);
        return frames;
    }

    /**
     * Reads a file with its axes and calibration: a TIFF via {@link TiffReader#readStack} (ImageJ hyperstacks,
     * OME-TIFF, Micro-Manager plane metadata), a PNG as a one-plane stack. Float planes must be finite.
     */
    public static Hyperstack readStack(Path file) throws IOException {
        byte[] head = readHead(file);
        Hyperstack stack;
        if (TiffReader.isTiff(head)) {
            stack = TiffReader.readStack(file);
        } else if (startsWith(head, PNG_MAGIC)) {
            stack = Hyperstack.timeSeries(Collections.singletonList(PngCodec.read(file)));
        } else {
            throw new ImageFormatException(file, unknownFormat(head));
        }
        checkFinite(file, stack.planes());
        return stack;
    }

    /** Checks existence, kind and size, and returns up to the first 8 bytes. */
    private static byte[] readHead(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new ImageFormatException(file, "file not found");
        }
        if (Files.isDirectory(file)) {
            throw new ImageFormatException(file, "is a folder, not an image file (to process a folder of frames, "
                    + "give the folder where a folder is expected)");
        }
        if (!Files.isRegularFile(file)) {
            throw new ImageFormatException(file, "is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ImageFormatException(file, "cannot be read (permission denied)");
        }
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ)) {
            byte[] head = new byte[8];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) break;
                n += r;
            }
            if (n == 0) {
                throw new ImageFormatException(file, "file is empty (0 bytes); it may not have been saved or copied completely");
            }
            if (n < head.length) {
                byte[] shortHead = new byte[n];
                System.arraycopy(head, 0, shortHead, 0, n);
                return shortHead;
            }
            return head;
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) return false;
        }
        return true;
    }

    private static String unknownFormat(byte[] h) {
        String name = null;
        if (h.length >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF) name = "JPEG";
        else if (h.length >= 4 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8') name = "GIF";
        else if (h.length >= 2 && h[0] == 'B' && h[1] == 'M') name = "BMP";
        else if (h.length >= 4 && h[0] == 0x50 && h[1] == 0x4B && h[2] == 3 && h[3] == 4) name = "ZIP";
        if (name != null) {
            return "is a " + name + " file, which is not supported; use TIFF or PNG (grayscale)";
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : h) hex.append(String.format("%02X ", b & 0xFF));
        return "unknown file format (first bytes " + hex.toString().trim() + "); only TIFF and PNG are supported";
    }

    private static void checkFinite(Path file, List<Frame> frames) throws ImageFormatException {
        for (int k = 0; k < frames.size(); k++) {
            Frame f = frames.get(k);
            if (f.type() != PixelType.FLOAT32) continue;
            float[] p = f.floats();
            for (int i = 0, n = f.pixelCount(); i < n; i++) {
                if (!Float.isFinite(p[i])) {
                    throw new ImageFormatException(file, "plane " + (k + 1) + " of " + frames.size() + " has a "
                            + (Float.isNaN(p[i]) ? "NaN" : "infinite") + " value at pixel x=" + (i % f.width())
                            + ", y=" + (i / f.width()) + "; replace NaN/Inf pixels (e.g. with 0) before denoising");
                }
            }
        }
    }

    /**
     * The image files (.png, .tif, .tiff, any case) directly in folder, in natural name order (digit runs
     * compare by value, so frame2 comes before frame10; zero-padded names sort as usual). Hidden files
     * (name starting with a dot) are skipped.
     *
     * @throws ImageFormatException if folder is missing, not a folder, or holds no image files
     */
    public static List<Path> listFrames(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            throw new ImageFormatException(folder, "folder not found");
        }
        if (!Files.isDirectory(folder)) {
            throw new ImageFormatException(folder, "is not a folder");
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && isImageName(name) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        }
        if (out.isEmpty()) {
            throw new ImageFormatException(folder, "folder holds no image files (.tif, .tiff or .png)");
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString(), NaturalOrder.INSTANCE));
        return out;
    }

    private static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".tif") || n.endsWith(".tiff");
    }

    /**
     * Writes frames by the file name's extension: .tif/.tiff as a (multi-page) TIFF via {@link TiffWriter},
     * .png as a grayscale PNG (one GRAY8 or GRAY16 frame only). Written atomically.
     *
     * @throws IllegalArgumentException if frames is empty or its planes differ in type or size
     * @throws ImageFormatException     for an unsupported extension or frames PNG cannot hold
     */
    public static void write(Path file, List<Frame> frames) throws IOException {
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("nothing to write: no frames given");
        }
        write(file, Hyperstack.timeSeries(frames));
    }

    /**
     * Writes a stack by the file name's extension, keeping its axes and calibration in a TIFF; a PNG holds one
     * plane and no calibration. Written atomically.
     */
    public static void write(Path file, Hyperstack stack) throws IOException {
        List<Frame> frames = stack.planes();
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            TiffWriter.write(file, stack);
        } else if (name.endsWith(".png")) {
            if (frames.size() != 1) {
                throw new ImageFormatException(file, "PNG holds one image but " + frames.size()
                        + " planes were given; write a .tif to keep the stack");
            }
            Frame f = frames.get(0);
            if (f.type() == PixelType.FLOAT32) {
                throw new ImageFormatException(file, "PNG cannot hold 32-bit float pixels; write a .tif instead");
            }
            AtomicFiles.write(file, out -> PngCodec.write(out, f));
        } else {
            throw new ImageFormatException(file, "unknown output format: the file name must end in .tif, .tiff or .png");
        }
    }

    /**
     * Writes an 8-bit grayscale PNG showing left | right side by side, separated by a 2-pixel white gap,
     * both mapped with the same normalization ({@code unit * 255}, rounded, clamped to [0,255]; NaN shows
     * as 0), so brightness is comparable. A shorter half is padded with black below.
     */
    public static void writePreview(Path png, Frame left, Frame right, Normalization norm) throws IOException {
        if (left == null || right == null) throw new IllegalArgumentException("preview needs two frames and a normalization");
        writePreview(png, List.of(left, right), norm);
    }

    /** Panels side by side, left to right, each mapped to 8 bits by {@code norm}, with a gap between them. */
    public static void writePreview(Path png, List<Frame> panels, Normalization norm) throws IOException {
        if (panels == null || panels.isEmpty() || norm == null) throw new IllegalArgumentException("preview needs frames and a normalization");
        for (Frame f : panels) if (f == null) throw new IllegalArgumentException("preview needs frames and a normalization");
        String name = png.getFileName() == null ? "" : png.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png")) {
            throw new ImageFormatException(png, "a preview is written as PNG: the file name must end in .png");
        }
        int w = -PREVIEW_GAP;
        int h = 0;
        for (Frame f : panels) {
            w += f.width() + PREVIEW_GAP;
            h = Math.max(h, f.height());
        }
        byte[] px = new byte[w * h];
        int x0 = 0;
        for (Frame f : panels) {
            if (x0 > 0) {
                for (int y = 0; y < h; y++) {
                    for (int g = 0; g < PREVIEW_GAP; g++) px[y * w + x0 - PREVIEW_GAP + g] = (byte) PREVIEW_GAP_VALUE;
                }
            }
            paint(px, w, x0, f, norm);
            x0 += f.width() + PREVIEW_GAP;
        }
        Frame preview = Frame.wrap(w, h, px);
        AtomicFiles.write(png, out -> PngCodec.write(out, preview));
    }

    private static void paint(byte[] dst, int dstWidth, int x0, Frame f, Normalization norm) {
        float[] unit = new float[f.pixelCount()];
        norm.toUnit(f, unit);
        int fw = f.width();
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < fw; x++) {
                float u = unit[y * fw + x] * 255f;
                int v = u != u ? 0 : Math.round(Math.max(0f, Math.min(255f, u)));
                dst[y * dstWidth + x0 + x] = (byte) v;
            }
        }
    }

    /** Natural string order: runs of digits compare by numeric value, the rest character by character. */
    static final class NaturalOrder implements Comparator<String> {
        static final NaturalOrder INSTANCE = new NaturalOrder();

        @Override
        public int compare(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                char ca = a.charAt(i);
                char cb = b.charAt(j);
                if (isDigit(ca) && isDigit(cb)) {
                    int ie = i;
                    while (ie < a.length() && isDigit(a.charAt(ie))) ie++;
                    int je = j;
                    while (je < b.length() && isDigit(b.charAt(je))) je++;
                    String ra = stripZeros(a.substring(i, ie));
                    String rb = stripZeros(b.substring(j, je));
                    // Longer digit run (without leading zeros) is the larger number; same length: by digits.
                    int c = ra.length() != rb.length() ? Integer.compare(ra.length(), rb.length()) : ra.compareTo(rb);
                    if (c != 0) return c;
                    i = ie;
                    j = je;
                } else {
                    if (ca != cb) return Character.compare(ca, cb);
                    i++;
                    j++;
                }
            }
            int c = Integer.compare(a.length() - i, b.length() - j);
            // Equal by value (e.g. "f01" and "f1"): fall back to plain order so the sort is total.
            return c != 0 ? c : a.compareTo(b);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static String stripZeros(String s) {
            int k = 0;
            while (k < s.length() - 1 && s.charAt(k) == '0') k++;
            return s.substring(k);
        }
    }
}
