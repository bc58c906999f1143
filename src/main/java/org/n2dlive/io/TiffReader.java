// Own codec, not the JDK's ImageIO TIFF plugin: on our test files (JDK 17) ImageIO refuses 16-bit LZW with predictor 2 and fails on acsn-tirf-scmos/TIRF_9Hz.tif (a stray colour map on a grey image); neither reads BigTIFF.
package org.n2dlive.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Reads every page of a classic (non-Big) TIFF as one grayscale plane: a stack comes back as a list of
 * frames in file order. Own code, no ImageJ or ImageIO plug-ins.
 *
 * <p>Handles: II and MM byte order; strips and tiles; no compression, LZW, Deflate (8 and 32946) and
 * PackBits; horizontal predictor 2; 8- and 16-bit unsigned (GRAY8, GRAY16) and 32-bit IEEE float
 * (FLOAT32) samples, one sample per pixel. WhiteIsZero integer images are inverted so bright means more
 * signal. Reduced-resolution pages (thumbnails, NewSubfileType bit 0) are skipped. Everything else (RGB,
 * palette, 1-bit, signed or 32-bit integers, 64-bit, other compressions, pages that differ in size or
 * type, truncated or corrupt data) is refused with an {@link ImageFormatException} naming the file and
 * the problem. Float values are returned as stored: NaN/Inf checks are {@link ImageFiles#read}'s job.
 *
 * <p>The file is opened read-only and never modified. Stateless; safe to call from any thread.
 */
public final class TiffReader {
    private static final int NONE = 1;
    private static final int LZW = 5;
    private static final int DEFLATE = 8;
    private static final int DEFLATE_OLD = 32946;
    private static final int PACKBITS = 32773;

    private TiffReader() {
    }

    /** All full-resolution pages of the TIFF at file, in order. */
    public static List<Frame> read(Path file) throws IOException {
        return open(file, null);
    }

    /**
     * All full-resolution pages with their axes and calibration, from the file's OME-XML, Micro-Manager plane
     * metadata or ImageJ description ({@link StackLayout}); planes in {@link Hyperstack} order.
     */
    public static Hyperstack readStack(Path file) throws IOException {
        StackLayout.Clues clues = new StackLayout.Clues();
        List<Frame> pages = open(file, clues);
        StackLayout layout = StackLayout.of(file, pages.size(), clues);
        Frame[] ordered = new Frame[pages.size()];
        for (int i = 0; i < ordered.length; i++) ordered[layout.target[i]] = pages.get(i);
        return new Hyperstack(java.util.Arrays.asList(ordered), layout.positions, layout.channels, layout.slices,
                layout.frames, layout.calibration, layout.declared);
    }

    private static List<Frame> open(Path file, StackLayout.Clues clues) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ImageFormatException(file, "is a folder, not a TIFF file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new TiffSource(file, ch), clues);
        } catch (NoSuchFileException e) {
            throw new ImageFormatException(file, "file not found");
        } catch (AccessDeniedException e) {
            throw new ImageFormatException(file, "cannot be read (permission denied)");
        }
    }

    private static List<Frame> read(TiffSource src, StackLayout.Clues clues) throws IOException {
        if (src.size < 8) {
            throw new ImageFormatException(src.file, "file is too short to be a TIFF (" + src.size + " bytes)");
        }
        byte[] head = src.bytes(0, 8, "the TIFF header");
        if (head[0] == 'I' && head[1] == 'I') {
            src.order = ByteOrder.LITTLE_ENDIAN;
        } else if (head[0] == 'M' && head[1] == 'M') {
            src.order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new ImageFormatException(src.file, "not a TIFF file (it does not start with II or MM)");
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(src.order);
        int magic = h.getShort(2) & 0xFFFF;
        if (magic == 43) {
            throw new ImageFormatException(src.file, "is a BigTIFF, which is not supported; save it as a "
                    + "standard TIFF (under 4 GB) or split the stack");
        }
        if (magic != 42) {
            throw new ImageFormatException(src.file, "not a valid TIFF file (version " + magic + ", expected 42)");
        }
        long offset = h.getInt(4) & 0xFFFFFFFFL;
        List<Frame> frames = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        int page = 0;
        int firstPage = 0;
        while (offset != 0) {
            page++;
            if (!seen.add(offset)) {
                throw new ImageFormatException(src.file, "file is corrupt: its page directories form a loop at page " + page);
            }
            TiffIfd ifd = TiffIfd.parse(src, offset, page);
            offset = ifd.next;
            if ((ifd.single(TiffIfd.NEW_SUBFILE_TYPE, 0) & 1) != 0) {
                continue; // a reduced-resolution copy (thumbnail, pyramid level), not a plane of the stack
            }
            Frame f = readPage(src, ifd, page);
            if (clues != null) {
                if (frames.isEmpty()) collectClues(src, ifd, clues);
                clues.mmPlaneJson.add(ifd.utf8(TiffIfd.MM_PLANE_METADATA));
            }
            if (!frames.isEmpty()) {
                Frame first = frames.get(0);
                if (f.type() != first.type() || f.width() != first.width() || f.height() != first.height()) {
                    throw new ImageFormatException(src.file, "page " + page + " is " + describe(f) + " but page "
                            + firstPage + " is " + describe(first) + "; all planes of a stack must have the same size and type");
                }
            } else {
                firstPage = page;
            }
            frames.add(f);
        }
        if (frames.isEmpty()) {
            throw new ImageFormatException(src.file, "file holds no full-resolution image");
        }
        return frames;
    }

    /** The first page's calibration and axis hints (see {@link StackLayout}). */
    private static void collectClues(TiffSource src, TiffIfd ifd, StackLayout.Clues clues) throws IOException {
        clues.description = ifd.utf8(TiffIfd.IMAGE_DESCRIPTION);
        clues.xResolution = ifd.rational(TiffIfd.X_RESOLUTION);
        clues.yResolution = ifd.rational(TiffIfd.Y_RESOLUTION);
        clues.resolutionUnit = (int) ifd.single(TiffIfd.RESOLUTION_UNIT, 2); // TIFF's default is inch
        long[] counts = ifd.longs(TiffIfd.IJ_META_COUNTS);
        byte[] data = ifd.raw(TiffIfd.IJ_META_DATA);
        if (counts != null && data != null) {
            clues.sliceLabels = ImageJMetadata.labels(counts, data, src.order);
        }
    }

    private static String describe(Frame f) {
        return f.width() + "x" + f.height() + " " + f.type();
    }

    private static Frame readPage(TiffSource src, TiffIfd ifd, int page) throws IOException {
        Path file = src.file;
        String onPage = " (page " + page + ")";
        long w = ifd.required(TiffIfd.IMAGE_WIDTH, "ImageWidth");
        long h = ifd.required(TiffIfd.IMAGE_LENGTH, "ImageLength");
        if (w <= 0 || h <= 0) {
            throw new ImageFormatException(file, "file is corrupt: image size " + w + "x" + h + onPage);
        }
        if (w * h > Integer.MAX_VALUE / 4) {
            throw new ImageFormatException(file, "plane of " + w + "x" + h + " pixels is too large" + onPage);
        }
        int width = (int) w;
        int height = (int) h;

        long photometric = ifd.single(TiffIfd.PHOTOMETRIC, 1); // often omitted by grayscale writers
        checkPhotometric(file, photometric, onPage);
        long spp = ifd.single(TiffIfd.SAMPLES_PER_PIXEL, 1);
        if (spp != 1) {
            throw new ImageFormatException(file, "has " + spp + " samples per pixel (colour or multichannel)" + onPage
                    + "; only single-channel grayscale is supported: split the channels first (Fiji: Image > Color > Split Channels)");
        }
        long bits = ifd.single(TiffIfd.BITS_PER_SAMPLE, 1);
        long format = ifd.single(TiffIfd.SAMPLE_FORMAT, 1);
        PixelType type = pixelType(file, bits, format == 4 ? 1 : format, onPage);
        if (photometric == 0 && type == PixelType.FLOAT32) {
            throw new ImageFormatException(file, "is a WhiteIsZero float image" + onPage + ", which is not supported");
        }
        int compression = (int) ifd.single(TiffIfd.COMPRESSION, NONE);
        checkCompression(file, compression, onPage);
        long predictor = ifd.single(TiffIfd.PREDICTOR, 1);
        if (predictor == 3) {
            throw new ImageFormatException(file, "uses the floating-point predictor (3)" + onPage
                    + ", which is not supported; save without compression or with LZW/Deflate and no predictor");
        }
        if (predictor != 1 && predictor != 2) {
            throw new ImageFormatException(file, "file is corrupt: unknown predictor " + predictor + onPage);
        }
        // Like libtiff, only the codecs that define a predictor apply it.
        boolean horizontal = predictor == 2 && (compression == LZW || compression == DEFLATE || compression == DEFLATE_OLD);

        int bps = type.bytesPerPixel();
        byte[] raw = new byte[width * height * bps];
        Layout layout = new Layout(src, ifd, page, compression, horizontal, bps);
        if (ifd.has(TiffIfd.TILE_WIDTH) || ifd.has(TiffIfd.TILE_OFFSETS)) {
            layout.readTiles(raw, width, height);
        } else {
            layout.readStrips(raw, width, height);
        }
        Frame frame = toFrame(raw, type, width, height, src.order);
        if (photometric == 0) invert(frame);
        return frame;
    }

    private static void checkPhotometric(Path file, long photometric, String onPage) throws ImageFormatException {
        switch ((int) photometric) {
            case 0:
            case 1:
                return;
            case 2: throw new ImageFormatException(file, "is an RGB colour image" + onPage
                    + "; only single-channel grayscale is supported: convert to 8- or 16-bit grayscale or split the channels");
            case 3: throw new ImageFormatException(file, "is a palette (indexed colour) image" + onPage
                    + "; only grayscale is supported: convert it to 8- or 16-bit grayscale first");
            case 4: throw new ImageFormatException(file, "is a transparency mask" + onPage + ", not a grayscale image");
            case 5: throw new ImageFormatException(file, "is a CMYK colour image" + onPage + "; only grayscale is supported");
            case 6: throw new ImageFormatException(file, "is a YCbCr colour image" + onPage + "; only grayscale is supported");
            default: throw new ImageFormatException(file, "has photometric interpretation " + photometric + onPage
                    + "; only grayscale (0 or 1) is supported");
        }
    }

    private static PixelType pixelType(Path file, long bits, long format, String onPage) throws ImageFormatException {
        if (format == 2) {
            throw new ImageFormatException(file, "holds signed " + bits + "-bit integers" + onPage
                    + ", which are not supported; convert to unsigned 16-bit or 32-bit float first");
        }
        if (format == 5 || format == 6) {
            throw new ImageFormatException(file, "holds complex numbers" + onPage + ", which are not supported");
        }
        if (format != 1 && format != 3) {
            throw new ImageFormatException(file, "file is corrupt: unknown sample format " + format + onPage);
        }
        if (bits == 1) {
            throw new ImageFormatException(file, "is a 1-bit (black and white) image" + onPage
                    + "; only 8-bit, 16-bit and 32-bit float grayscale are supported");
        }
        if (bits == 64) {
            throw new ImageFormatException(file, "holds 64-bit samples" + onPage
                    + ", which are not supported; convert to 32-bit float first");
        }
        if (format == 1 && bits == 8) return PixelType.GRAY8;
        if (format == 1 && bits == 16) return PixelType.GRAY16;
        if (format == 3 && bits == 32) return PixelType.FLOAT32;
        if (format == 1 && bits == 32) {
            throw new ImageFormatException(file, "holds 32-bit unsigned integers" + onPage
                    + ", which are not supported; convert to 16-bit or 32-bit float first");
        }
        if (format == 3) {
            throw new ImageFormatException(file, "holds " + bits + "-bit floats" + onPage
                    + "; only 32-bit float is supported");
        }
        throw new ImageFormatException(file, "has " + bits + " bits per sample" + onPage
                + "; only 8-bit and 16-bit unsigned and 32-bit float are supported");
    }

    private static void checkCompression(Path file, int compression, String onPage) throws ImageFormatException {
        if (compression == NONE || compression == LZW || compression == DEFLATE || compression == DEFLATE_OLD
                || compression == PACKBITS) {
            return;
        }
        String name;
        switch (compression) {
            case 2: case 3: case 4: name = "CCITT fax"; break;
            case 6: case 7: name = "JPEG"; break;
            case 34712: case 33003: case 33005: name = "JPEG 2000"; break;
            case 34925: name = "LZMA"; break;
            case 50000: name = "Zstandard"; break;
            case 50001: case 34927: name = "WebP"; break;
            case 50002: name = "JPEG XL"; break;
            default: name = "code " + compression;
        }
        throw new ImageFormatException(file, "uses " + name + " compression" + onPage
                + ", which is not supported; save it uncompressed or with LZW, Deflate (ZIP) or PackBits");
    }

    /** Reads the strips or tiles of one page and decodes them into the page's raw bytes. */
    private static final class Layout {
        private final TiffSource src;
        private final TiffIfd ifd;
        private final int page;
        private final int compression;
        private final boolean horizontal;
        private final int bps;

        Layout(TiffSource src, TiffIfd ifd, int page, int compression, boolean horizontal, int bps) {
            this.src = src;
            this.ifd = ifd;
            this.page = page;
            this.compression = compression;
            this.horizontal = horizontal;
            this.bps = bps;
        }

        void readStrips(byte[] raw, int width, int height) throws IOException {
            long rps = ifd.single(TiffIfd.ROWS_PER_STRIP, height);
            if (rps <= 0 || rps > height) rps = height;
            int rowsPerStrip = (int) rps;
            int nStrips = (height + rowsPerStrip - 1) / rowsPerStrip;
            long[] offsets = ifd.longs(TiffIfd.STRIP_OFFSETS);
            if (offsets == null) throw ifd.corrupt("page " + page + " lacks StripOffsets (273)");
            if (offsets.length < nStrips) {
                throw ifd.corrupt("page " + page + " lists " + offsets.length + " strips but needs " + nStrips);
            }
            long[] counts = ifd.longs(TiffIfd.STRIP_BYTE_COUNTS);
            if (counts == null && compression != NONE) {
                throw ifd.corrupt("page " + page + " lacks StripByteCounts (279)");
            }
            if (counts != null && counts.length < nStrips) {
                throw ifd.corrupt("page " + page + " lists " + counts.length + " strip sizes but needs " + nStrips);
            }
            int rowBytes = width * bps;
            for (int s = 0; s < nStrips; s++) {
                int rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
                int expected = rows * rowBytes;
                String what = "strip " + (s + 1) + " of page " + page;
                byte[] chunk = decode(offsets[s], counts == null ? expected : counts[s], expected, what);
                if (horizontal) undoPredictor(chunk, rows, width, bps, src.order);
                System.arraycopy(chunk, 0, raw, s * rowsPerStrip * rowBytes, expected);
            }
        }

        void readTiles(byte[] raw, int width, int height) throws IOException {
            long tw = ifd.required(TiffIfd.TILE_WIDTH, "TileWidth");
            long th = ifd.required(TiffIfd.TILE_LENGTH, "TileLength");
            if (tw <= 0 || th <= 0 || tw * th > Integer.MAX_VALUE / 4) {
                throw ifd.corrupt("page " + page + " has tile size " + tw + "x" + th);
            }
            int tileW = (int) tw;
            int tileH = (int) th;
            int across = (width + tileW - 1) / tileW;
            int down = (height + tileH - 1) / tileH;
            int nTiles = across * down;
            long[] offsets = ifd.longs(TiffIfd.TILE_OFFSETS);
            long[] counts = ifd.longs(TiffIfd.TILE_BYTE_COUNTS);
            if (offsets == null || counts == null) {
                throw ifd.corrupt("page " + page + " is tiled but lacks TileOffsets or TileByteCounts");
            }
            if (offsets.length < nTiles || counts.length < nTiles) {
                throw ifd.corrupt("page " + page + " lists " + Math.min(offsets.length, counts.length)
                        + " tiles but needs " + nTiles);
            }
            int tileRowBytes = tileW * bps;
            int rowBytes = width * bps;
            for (int t = 0; t < nTiles; t++) {
                String what = "tile " + (t + 1) + " of page " + page;
                // Tiles are always stored whole, padded past the image's right and bottom edges.
                byte[] chunk = decode(offsets[t], counts[t], tileRowBytes * tileH, what);
                if (horizontal) undoPredictor(chunk, tileH, tileW, bps, src.order);
                int x0 = (t % across) * tileW;
                int y0 = (t / across) * tileH;
                int copyBytes = (Math.min(tileW, width - x0)) * bps;
                int rows = Math.min(tileH, height - y0);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(chunk, r * tileRowBytes, raw, (y0 + r) * rowBytes + x0 * bps, copyBytes);
                }
            }
        }

        /** Reads one strip or tile and decompresses it to exactly expected bytes. */
        private byte[] decode(long offset, long count, int expected, String what) throws IOException {
            if (compression == NONE) {
                // Read what the image needs, whatever the byte count says: some writers get it wrong.
                return src.bytes(offset, expected, what);
            }
            byte[] packed = src.bytes(offset, count, what);
            byte[] out = new byte[expected];
            int got;
            String codec;
            try {
                switch (compression) {
                    case LZW:
                        codec = "LZW";
                        got = TiffLzw.decode(packed, 0, packed.length, out);
                        break;
                    case PACKBITS:
                        codec = "PackBits";
                        got = TiffPackBits.decode(packed, 0, packed.length, out);
                        break;
                    default:
                        codec = "Deflate";
                        got = inflate(packed, out);
                }
            } catch (IllegalStateException | DataFormatException e) {
                throw new ImageFormatException(src.file, "file is corrupt: " + what + " is not valid compressed data ("
                        + e.getMessage() + ")", e);
            }
            if (got < expected) {
                throw new ImageFormatException(src.file, "file is truncated or corrupt: " + what + " decompresses ("
                        + codec + ") to " + got + " bytes but needs " + expected);
            }
            return out;
        }
    }

    private static int inflate(byte[] packed, byte[] out) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(packed);
            int got = 0;
            while (got < out.length) {
                int n = inf.inflate(out, got, out.length - got);
                got += n;
                if (n == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) break;
            }
            return got;
        } finally {
            inf.end();
        }
    }

    /** Undoes horizontal differencing (predictor 2) on rows of samples in the file's byte order. */
    static void undoPredictor(byte[] buf, int rows, int samplesPerRow, int bps, ByteOrder order) {
        int rowBytes = samplesPerRow * bps;
        if (bps == 1) {
            for (int r = 0; r < rows; r++) {
                int base = r * rowBytes;
                for (int i = 1; i < samplesPerRow; i++) {
                    buf[base + i] += buf[base + i - 1];
                }
            }
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(buf).order(order);
        for (int r = 0; r < rows; r++) {
            int base = r * rowBytes;
            if (bps == 2) {
                short prev = b.getShort(base);
                for (int i = 1; i < samplesPerRow; i++) {
                    prev = (short) (prev + b.getShort(base + 2 * i));
                    b.putShort(base + 2 * i, prev);
                }
            } else {
                // 32-bit samples are differenced as integers, as libtiff does.
                int prev = b.getInt(base);
                for (int i = 1; i < samplesPerRow; i++) {
                    prev += b.getInt(base + 4 * i);
                    b.putInt(base + 4 * i, prev);
                }
            }
        }
    }

    private static Frame toFrame(byte[] raw, PixelType type, int width, int height, ByteOrder order) {
        int n = width * height;
        switch (type) {
            case GRAY8:
                return Frame.wrap(width, height, raw);
            case GRAY16: {
                short[] px = new short[n];
                ByteBuffer.wrap(raw).order(order).asShortBuffer().get(px);
                return Frame.wrap(width, height, px);
            }
            default: {
                float[] px = new float[n];
                ByteBuffer.wrap(raw).order(order).asFloatBuffer().get(px);
                return Frame.wrap(width, height, px);
            }
        }
    }

    private static void invert(Frame f) {
        int n = f.pixelCount();
        if (f.type() == PixelType.GRAY8) {
            byte[] p = f.bytes();
            for (int i = 0; i < n; i++) p[i] = (byte) (255 - (p[i] & 0xFF));
        } else {
            short[] p = f.shorts();
            for (int i = 0; i < n; i++) p[i] = (short) (65535 - (p[i] & 0xFFFF));
        }
    }

    /** True when the file starts with a classic or Big TIFF header. */
    static boolean isTiff(byte[] head) {
        return head.length >= 4
                && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)));
    }
}
