package org.n2dlive.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Writes planes as an uncompressed, little-endian, multi-page classic TIFF that Fiji/ImageJ opens as a
 * stack: the first page carries an ImageJ-style ImageDescription ({@code ImageJ=1.11a}, {@code images=N},
 * {@code slices=N}, and {@code min=}/{@code max=} for float data so the display range is sensible).
 *
 * <p>Layout: header, all page directories, then all pixel data back to back. ImageJ reads a stack whose
 * description says images=N from the first page's data offset onwards as one contiguous block, so the data
 * must be contiguous; every page also has its own directory, so other readers see N pages too.
 *
 * <p>The file is written to a temporary file in the same folder and renamed into place, so a failure never
 * leaves a half-written file or clobbers an existing one. Stateless; safe from any thread.
 */
public final class TiffWriter {
    private static final int TAGS_FIRST = 12;  // page 0 also has ImageDescription
    private static final int TAGS_OTHER = 11;
    private static final long CLASSIC_LIMIT = 0xFFFFFFFFL;

    private TiffWriter() {
    }

    /**
     * Writes frames (one page each) to file.
     *
     * @throws IllegalArgumentException if frames is empty or the planes differ in type or size
     * @throws IOException              if the file cannot be written (the target is then left as it was)
     */
    public static void write(Path file, List<Frame> frames) throws IOException {
        checkFrames(frames);
        Frame first = frames.get(0);
        int n = frames.size();
        byte[] description = description(frames);
        long planeBytes = (long) first.pixelCount() * first.type().bytesPerPixel();
        long descPos = 8 + ifdSize(TAGS_FIRST);
        long afterDesc = descPos + even(description.length);
        long dataStart = afterDesc + (long) (n - 1) * ifdSize(TAGS_OTHER);
        long total = dataStart + planeBytes * n;
        if (total > CLASSIC_LIMIT) {
            throw new ImageFormatException(file, "stack of " + n + " planes needs " + total
                    + " bytes, over the 4 GB limit of a standard TIFF; write fewer planes per file");
        }
        AtomicFiles.write(file, out -> {
            ByteBuffer head = le(8);
            head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
            out.write(head.array());
            for (int i = 0; i < n; i++) {
                boolean isFirst = i == 0;
                // Page i > 0 has its directory at afterDesc + (i-1) * size; each points to the next.
                long nextPos = i == n - 1 ? 0 : afterDesc + (long) i * ifdSize(TAGS_OTHER);
                writeIfd(out, first, isFirst ? description : null, descPos, dataStart + planeBytes * i, nextPos);
                if (isFirst) {
                    out.write(description);
                    if ((description.length & 1) != 0) out.write(0); // directories start on even offsets
                }
            }
            for (Frame f : frames) {
                writePixels(out, f);
            }
        });
    }

    private static void checkFrames(List<Frame> frames) {
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("nothing to write: no frames given");
        }
        Frame first = frames.get(0);
        for (int i = 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.type() != first.type() || f.width() != first.width() || f.height() != first.height()) {
                throw new IllegalArgumentException("all planes must share type and size: plane " + (i + 1) + " is "
                        + f.width() + "x" + f.height() + " " + f.type() + ", plane 1 is "
                        + first.width() + "x" + first.height() + " " + first.type());
            }
        }
    }

    private static byte[] description(List<Frame> frames) {
        int n = frames.size();
        StringBuilder sb = new StringBuilder("ImageJ=1.11a\nimages=").append(n).append("\nslices=").append(n).append('\n');
        if (frames.get(0).type() == PixelType.FLOAT32) {
            // ImageJ shows float stacks with this display range; without it, it scans only the first plane.
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Frame f : frames) {
                float[] p = f.floats();
                for (int i = 0, m = f.pixelCount(); i < m; i++) {
                    float v = p[i];
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
            }
            if (min <= max) {
                sb.append("min=").append(min).append("\nmax=").append(max).append('\n');
            }
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] withNul = new byte[text.length + 1];
        System.arraycopy(text, 0, withNul, 0, text.length);
        return withNul;
    }

    private static long ifdSize(int tags) {
        return 2 + 12L * tags + 4;
    }

    private static long even(long n) {
        return (n + 1) & ~1L;
    }

    private static void writeIfd(OutputStream out, Frame f, byte[] description, long descPos, long dataPos, long next)
            throws IOException {
        int tags = description != null ? TAGS_FIRST : TAGS_OTHER;
        ByteBuffer b = le((int) ifdSize(tags));
        b.putShort((short) tags);
        PixelType t = f.type();
        long planeBytes = (long) f.pixelCount() * t.bytesPerPixel();
        // Entries in ascending tag order, as TIFF requires.
        entry(b, TiffIfd.NEW_SUBFILE_TYPE, 4, 1, 0);
        entry(b, TiffIfd.IMAGE_WIDTH, 4, 1, f.width());
        entry(b, TiffIfd.IMAGE_LENGTH, 4, 1, f.height());
        entry(b, TiffIfd.BITS_PER_SAMPLE, 3, 1, t.bytesPerPixel() * 8);
        entry(b, TiffIfd.COMPRESSION, 3, 1, 1);
        entry(b, TiffIfd.PHOTOMETRIC, 3, 1, 1); // BlackIsZero
        if (description != null) {
            entry(b, TiffIfd.IMAGE_DESCRIPTION, 2, description.length, descPos);
        }
        entry(b, TiffIfd.STRIP_OFFSETS, 4, 1, dataPos);
        entry(b, TiffIfd.SAMPLES_PER_PIXEL, 3, 1, 1);
        entry(b, TiffIfd.ROWS_PER_STRIP, 4, 1, f.height());
        entry(b, TiffIfd.STRIP_BYTE_COUNTS, 4, 1, planeBytes);
        entry(b, TiffIfd.SAMPLE_FORMAT, 3, 1, t == PixelType.FLOAT32 ? 3 : 1);
        b.putInt((int) next);
        out.write(b.array());
    }

    /** One 12-byte entry; a single SHORT sits in the first two bytes of the value field. */
    private static void entry(ByteBuffer b, int tag, int type, long count, long value) {
        b.putShort((short) tag).putShort((short) type).putInt((int) count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt((int) value);
        }
    }

    private static void writePixels(OutputStream out, Frame f) throws IOException {
        int n = f.pixelCount();
        if (f.type() == PixelType.GRAY8) {
            out.write(f.bytes(), 0, n);
            return;
        }
        // Converted in chunks so a large plane needs no second full-size buffer.
        int bpp = f.type().bytesPerPixel();
        int chunk = 1 << 14;
        ByteBuffer buf = le(chunk * bpp);
        for (int start = 0; start < n; start += chunk) {
            int len = Math.min(chunk, n - start);
            buf.clear();
            if (f.type() == PixelType.GRAY16) {
                buf.asShortBuffer().put(f.shorts(), start, len);
            } else {
                buf.asFloatBuffer().put(f.floats(), start, len);
            }
            out.write(buf.array(), 0, len * bpp);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
