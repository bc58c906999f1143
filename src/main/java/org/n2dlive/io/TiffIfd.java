package org.n2dlive.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One Image File Directory of a classic TIFF: its entries, with values read from the file only when
 * asked for (most tags are never needed). Not thread-safe; used by one reader while it reads one page.
 */
final class TiffIfd {
    static final int NEW_SUBFILE_TYPE = 254;
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int IMAGE_DESCRIPTION = 270;
    static final int STRIP_OFFSETS = 273;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int ROWS_PER_STRIP = 278;
    static final int STRIP_BYTE_COUNTS = 279;
    static final int PREDICTOR = 317;
    static final int TILE_WIDTH = 322;
    static final int TILE_LENGTH = 323;
    static final int TILE_OFFSETS = 324;
    static final int TILE_BYTE_COUNTS = 325;
    static final int SAMPLE_FORMAT = 339;
    static final int X_RESOLUTION = 282;
    static final int Y_RESOLUTION = 283;
    static final int RESOLUTION_UNIT = 296;
    /** ImageJ's metadata: byte counts of its header and entries, then the bytes (slice labels, ranges, ...). */
    static final int IJ_META_COUNTS = 50838;
    static final int IJ_META_DATA = 50839;
    /** Micro-Manager's per-plane JSON. */
    static final int MM_PLANE_METADATA = 51123;

    /** Bytes per value of each TIFF field type (index = type code); 0 = unknown type. */
    private static final int[] TYPE_SIZE = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};

    private static final class Entry {
        final int type;
        final long count;
        final long fieldPos; // file position of the 4-byte value/offset field

        Entry(int type, long count, long fieldPos) {
            this.type = type;
            this.count = count;
            this.fieldPos = fieldPos;
        }
    }

    private final TiffSource src;
    private final int page;
    private final Map<Integer, Entry> entries = new HashMap<>();
    /** Offset of the next IFD, 0 at the end of the chain. */
    final long next;

    private TiffIfd(TiffSource src, int page, long next) {
        this.src = src;
        this.page = page;
        this.next = next;
    }

    /** Parses the IFD at offset; page is 1-based, for messages. */
    static TiffIfd parse(TiffSource src, long offset, int page) throws IOException {
        String where = "the directory of page " + page;
        int count = src.buffer(offset, 2, where).getShort() & 0xFFFF;
        if (count == 0) {
            throw new ImageFormatException(src.file, "file is corrupt: " + where + " has no entries");
        }
        ByteBuffer b = src.buffer(offset + 2, 12L * count + 4, where);
        long next = b.getInt(12 * count) & 0xFFFFFFFFL;
        TiffIfd ifd = new TiffIfd(src, page, next);
        for (int i = 0; i < count; i++) {
            int tag = b.getShort(12 * i) & 0xFFFF;
            int type = b.getShort(12 * i + 2) & 0xFFFF;
            long n = b.getInt(12 * i + 4) & 0xFFFFFFFFL;
            // Entries of unknown type are skipped, as TIFF 6.0 tells readers to do.
            if (type < TYPE_SIZE.length && TYPE_SIZE[type] != 0) {
                ifd.entries.put(tag, new Entry(type, n, offset + 2 + 12L * i + 8));
            }
        }
        return ifd;
    }

    boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** All values of an integer tag (unsigned), or null when absent. */
    long[] longs(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null) return null;
        int size = TYPE_SIZE[e.type];
        if (e.type != 1 && e.type != 3 && e.type != 4 && e.type != 13) {
            throw corrupt("tag " + tag + " should hold integers but has field type " + e.type);
        }
        ByteBuffer b = values(e, size, tag);
        long[] out = new long[(int) e.count];
        for (int i = 0; i < out.length; i++) {
            switch (size) {
                case 1: out[i] = b.get(i) & 0xFF; break;
                case 2: out[i] = b.getShort(2 * i) & 0xFFFF; break;
                default: out[i] = b.getInt(4 * i) & 0xFFFFFFFFL;
            }
        }
        return out;
    }

    /** The first value of an integer tag, or dflt when absent. */
    long single(int tag, long dflt) throws IOException {
        long[] v = longs(tag);
        if (v == null) return dflt;
        if (v.length == 0) throw corrupt("tag " + tag + " has no value");
        return v[0];
    }

    /** A required integer tag. */
    long required(int tag, String name) throws IOException {
        long[] v = longs(tag);
        if (v == null || v.length == 0) throw corrupt("page " + page + " lacks the required " + name + " tag (" + tag + ")");
        return v[0];
    }

    /** An ASCII tag's text without its trailing NUL, or null when absent or not text. */
    String ascii(int tag) throws IOException {
        return text(tag, StandardCharsets.ISO_8859_1);
    }

    private String text(int tag, java.nio.charset.Charset charset) throws IOException {
        Entry e = entries.get(tag);
        if (e == null || e.type != 2) return null;
        ByteBuffer b = values(e, 1, tag);
        int n = (int) e.count;
        while (n > 0 && b.get(n - 1) == 0) n--;
        byte[] s = new byte[n];
        b.get(s, 0, n);
        return new String(s, charset);
    }

    /** An unsigned RATIONAL tag's first value, or 0 when absent, not a rational, or with a zero denominator. */
    double rational(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null || e.type != 5 || e.count < 1) return 0;
        ByteBuffer b = values(e, 8, tag);
        long num = b.getInt(0) & 0xFFFFFFFFL;
        long den = b.getInt(4) & 0xFFFFFFFFL;
        return den == 0 ? 0 : (double) num / den;
    }

    /** A BYTE or UNDEFINED tag's bytes, or null when absent or of another type. */
    byte[] raw(int tag) throws IOException {
        Entry e = entries.get(tag);
        if (e == null || (e.type != 1 && e.type != 7)) return null;
        ByteBuffer b = values(e, 1, tag);
        byte[] out = new byte[(int) e.count];
        b.get(out);
        return out;
    }

    /** An ASCII tag's text decoded as UTF-8 (Micro-Manager's JSON, OME-XML), or null. */
    String utf8(int tag) throws IOException {
        return text(tag, StandardCharsets.UTF_8);
    }

    private ByteBuffer values(Entry e, int size, int tag) throws IOException {
        long total = e.count * size;
        if (total > src.size) {
            throw corrupt("tag " + tag + " claims " + e.count + " values, more than the file holds");
        }
        if (total <= 4) {
            return src.buffer(e.fieldPos, 4, "tag " + tag);
        }
        long at = src.buffer(e.fieldPos, 4, "tag " + tag).getInt() & 0xFFFFFFFFL;
        return src.buffer(at, total, "the values of tag " + tag + " on page " + page);
    }

    ImageFormatException corrupt(String what) {
        return new ImageFormatException(src.file, "file is corrupt: " + what);
    }
}
