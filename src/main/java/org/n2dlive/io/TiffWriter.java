package org.n2dlive.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * Writes planes as an uncompressed, little-endian, multi-page classic TIFF that Fiji/ImageJ opens as a
 * stack or hyperstack with the input's calibration. The first page carries the description: ImageJ's
 * ({@code ImageJ=}, {@code images}, {@code channels}/{@code slices}/{@code frames}, {@code hyperstack},
 * {@code unit}, {@code spacing}, {@code finterval}, and {@code min}/{@code max} for float data so the display
 * range is sensible) or, for several stage positions, which ImageJ hyperstacks cannot hold, OME-XML with one
 * Image per position. Pixel size goes in X/YResolution; channel names in ImageJ's slice labels.
 *
 * <p>Layout: header, page 0's directory, its description and metadata, the other directories, then all pixel
 * data back to back. ImageJ reads a stack whose
 * description says images=N from the first page's data offset onwards as one contiguous block, so the data
 * must be contiguous; every page also has its own directory, so other readers see N pages too.
 *
 * <p>The file is written to a temporary file in the same folder and renamed into place, so a failure never
 * leaves a half-written file or clobbers an existing one. Stateless; safe from any thread.
 */
public final class TiffWriter {
    private static final int TAGS_OTHER = 11;
    private static final long CLASSIC_LIMIT = 0xFFFFFFFFL;

    private TiffWriter() {
    }

    /**
     * Writes frames (one page each) as a plain stack.
     *
     * @throws IllegalArgumentException if frames is empty or the planes differ in type or size
     * @throws IOException              if the file cannot be written (the target is then left as it was)
     */
    public static void write(Path file, List<Frame> frames) throws IOException {
        checkFrames(frames);
        write(file, Hyperstack.timeSeries(frames));
    }

    /**
     * Writes a stack with its axes and calibration, planes in {@link Hyperstack} order.
     *
     * @throws IllegalArgumentException if the planes differ in type or size
     * @throws IOException              if the file cannot be written (the target is then left as it was)
     */
    public static void write(Path file, Hyperstack stack) throws IOException {
        List<Frame> frames = stack.planes();
        checkFrames(frames);
        Frame first = frames.get(0);
        int n = frames.size();
        Calibration cal = stack.calibration();
        byte[] description = stack.positions() > 1 ? omeXml(file, stack) : imagejDescription(stack);
        boolean resolution = cal.hasPixelSize() && cal.unit() != null;
        ImageJMetadata.Encoded labels = null;
        if (!cal.channelNames().isEmpty() && stack.positions() == 1) {
            List<String> perPlane = new ArrayList<>(n);
            for (int i = 0; i < n; i++) perPlane.add(cal.channelNames().get(i % stack.channels()));
            labels = ImageJMetadata.encodeLabels(perPlane);
        }
        int tagsFirst = TAGS_OTHER + 1 + (resolution ? 3 : 0) + (labels != null ? 2 : 0);
        long planeBytes = (long) first.pixelCount() * first.type().bytesPerPixel();
        long descPos = 8 + ifdSize(tagsFirst);
        long resPos = descPos + even(description.length);
        long countsPos = resPos + (resolution ? 16 : 0);
        long labelsPos = countsPos + (labels != null ? 4L * labels.counts.length : 0);
        long afterFirst = even(labelsPos + (labels != null ? labels.data.length : 0));
        long dataStart = afterFirst + (long) (n - 1) * ifdSize(TAGS_OTHER);
        long total = dataStart + planeBytes * n;
        if (total > CLASSIC_LIMIT) {
            throw new ImageFormatException(file, "stack of " + n + " planes needs " + total
                    + " bytes, over the 4 GB limit of a standard TIFF; write fewer planes per file");
        }
        final ImageJMetadata.Encoded ij = labels;
        AtomicFiles.write(file, out -> {
            ByteBuffer head = le(8);
            head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
            out.write(head.array());
            FirstPage fp = new FirstPage(description, descPos, resolution ? cal : null, resPos, ij, countsPos, labelsPos);
            for (int i = 0; i < n; i++) {
                // Page i > 0 has its directory at afterFirst + (i-1) * size; each points to the next.
                long nextPos = i == n - 1 ? 0 : afterFirst + (long) i * ifdSize(TAGS_OTHER);
                writeIfd(out, first, i == 0 ? fp : null, tagsFirst, dataStart + planeBytes * i, nextPos);
                if (i == 0) {
                    writeFirstPageData(out, fp, afterFirst);
                }
            }
            for (Frame f : frames) {
                writePixels(out, f);
            }
        });
    }

    /** Page 0's extra fields and where they go in the file. */
    private static final class FirstPage {
        final byte[] description;
        final long descPos;
        final Calibration resolution;
        final long resPos;
        final ImageJMetadata.Encoded labels;
        final long countsPos;
        final long labelsPos;

        FirstPage(byte[] description, long descPos, Calibration resolution, long resPos, ImageJMetadata.Encoded labels,
                long countsPos, long labelsPos) {
            this.description = description;
            this.descPos = descPos;
            this.resolution = resolution;
            this.resPos = resPos;
            this.labels = labels;
            this.countsPos = countsPos;
            this.labelsPos = labelsPos;
        }
    }

    private static void writeFirstPageData(OutputStream out, FirstPage fp, long end) throws IOException {
        long pos = fp.descPos;
        out.write(fp.description);
        pos += fp.description.length;
        if ((fp.description.length & 1) != 0) {
            out.write(0); // directories and values start on even offsets
            pos++;
        }
        if (fp.resolution != null) {
            ByteBuffer r = le(16);
            putRational(r, 1 / fp.resolution.pixelWidth());
            putRational(r, 1 / fp.resolution.pixelHeight());
            out.write(r.array());
            pos += 16;
        }
        if (fp.labels != null) {
            ByteBuffer c = le(4 * fp.labels.counts.length);
            for (long v : fp.labels.counts) c.putInt((int) v);
            out.write(c.array());
            out.write(fp.labels.data);
            pos += 4L * fp.labels.counts.length + fp.labels.data.length;
        }
        while (pos < end) {
            out.write(0);
            pos++;
        }
    }

    /** An unsigned rational close to v (pixels per unit): the largest denominator that keeps both in 32 bits. */
    private static void putRational(ByteBuffer b, double v) {
        long den = (long) Math.min(1_000_000_000L, Math.floor(4_000_000_000.0 / Math.max(1, v)));
        long num = Math.round(v * den);
        b.putInt((int) num).putInt((int) Math.max(1, den));
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

    private static byte[] imagejDescription(Hyperstack stack) {
        List<Frame> frames = stack.planes();
        int n = frames.size();
        StringBuilder sb = new StringBuilder("ImageJ=1.11a\nimages=").append(n).append('\n');
        if (stack.axesDeclared()) {
            if (stack.channels() > 1) sb.append("channels=").append(stack.channels()).append('\n');
            if (stack.slices() > 1) sb.append("slices=").append(stack.slices()).append('\n');
            if (stack.frames() > 1) sb.append("frames=").append(stack.frames()).append('\n');
            sb.append("hyperstack=true\nmode=grayscale\n");
        } else {
            sb.append("slices=").append(n).append('\n');
        }
        appendCalibration(sb, stack.calibration());
        appendFloatRange(sb, frames);
        return nulTerminated(sb.toString());
    }

    private static void appendCalibration(StringBuilder sb, Calibration cal) {
        if (cal.unit() != null) sb.append("unit=").append(ascii(cal.unit())).append('\n');
        if (cal.zStep() > 0) sb.append("spacing=").append(cal.zStep()).append('\n');
        if (cal.frameIntervalSeconds() > 0) sb.append("finterval=").append(cal.frameIntervalSeconds()).append('\n');
    }

    /** ImageJ's description is ASCII; it spells µ as the escape \\u00B5. */
    private static String ascii(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch >= 32 && ch < 127 && ch != '\n' && ch != '=') b.append(ch);
            else b.append(String.format(Locale.ROOT, "\\u%04X", (int) ch));
        }
        return b.toString();
    }

    private static void appendFloatRange(StringBuilder sb, List<Frame> frames) {
        if (frames.get(0).type() != PixelType.FLOAT32) return;
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

    /** OME-XML for several positions: one Image each, planes in this writer's order (XYCZT, positions outermost). */
    private static byte[] omeXml(Path file, Hyperstack stack) {
        Frame f = stack.planes().get(0);
        Calibration cal = stack.calibration();
        String type = f.type() == PixelType.GRAY8 ? "uint8" : f.type() == PixelType.GRAY16 ? "uint16" : "float";
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\" Creator=\"n2d-live\">");
        int perPosition = stack.channels() * stack.slices() * stack.frames();
        String name = file.getFileName() == null ? "" : xml(file.getFileName().toString());
        for (int p = 0; p < stack.positions(); p++) {
            x.append("<Image ID=\"Image:").append(p).append("\" Name=\"").append(name).append(" Pos").append(p)
                    .append("\"><Pixels ID=\"Pixels:").append(p).append("\" DimensionOrder=\"XYCZT\" Type=\"")
                    .append(type).append("\" SizeX=\"").append(f.width()).append("\" SizeY=\"").append(f.height())
                    .append("\" SizeC=\"").append(stack.channels()).append("\" SizeZ=\"").append(stack.slices())
                    .append("\" SizeT=\"").append(stack.frames()).append('"');
            if (cal.hasPixelSize() && "micron".equals(cal.unit())) {
                x.append(" PhysicalSizeX=\"").append(cal.pixelWidth()).append("\" PhysicalSizeY=\"")
                        .append(cal.pixelHeight()).append('"');
                if (cal.zStep() > 0) x.append(" PhysicalSizeZ=\"").append(cal.zStep()).append('"');
            }
            if (cal.frameIntervalSeconds() > 0) {
                x.append(" TimeIncrement=\"").append(cal.frameIntervalSeconds()).append("\" TimeIncrementUnit=\"s\"");
            }
            x.append('>');
            for (int c = 0; c < stack.channels(); c++) {
                x.append("<Channel ID=\"Channel:").append(p).append(':').append(c).append("\" SamplesPerPixel=\"1\"");
                if (!cal.channelNames().isEmpty()) x.append(" Name=\"").append(xml(cal.channelNames().get(c))).append('"');
                x.append("/>");
            }
            x.append("<TiffData IFD=\"").append(p * perPosition).append("\" PlaneCount=\"").append(perPosition)
                    .append("\"/></Pixels></Image>");
        }
        x.append("</OME>");
        byte[] text = x.toString().getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(text, text.length + 1);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] nulTerminated(String s) {
        byte[] text = s.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(text, text.length + 1);
    }

    private static long ifdSize(int tags) {
        return 2 + 12L * tags + 4;
    }

    private static long even(long n) {
        return (n + 1) & ~1L;
    }

    private static void writeIfd(OutputStream out, Frame f, FirstPage fp, int tagsFirst, long dataPos, long next)
            throws IOException {
        int tags = fp != null ? tagsFirst : TAGS_OTHER;
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
        if (fp != null) {
            entry(b, TiffIfd.IMAGE_DESCRIPTION, 2, fp.description.length, fp.descPos);
        }
        entry(b, TiffIfd.STRIP_OFFSETS, 4, 1, dataPos);
        entry(b, TiffIfd.SAMPLES_PER_PIXEL, 3, 1, 1);
        entry(b, TiffIfd.ROWS_PER_STRIP, 4, 1, f.height());
        entry(b, TiffIfd.STRIP_BYTE_COUNTS, 4, 1, planeBytes);
        if (fp != null && fp.resolution != null) {
            entry(b, TiffIfd.X_RESOLUTION, 5, 1, fp.resPos);
            entry(b, TiffIfd.Y_RESOLUTION, 5, 1, fp.resPos + 8);
            // None: the unit is ImageJ's description key (TIFF's own units are inch and cm only).
            entry(b, TiffIfd.RESOLUTION_UNIT, 3, 1, "inch".equals(fp.resolution.unit()) ? 2
                    : "cm".equals(fp.resolution.unit()) ? 3 : 1);
        }
        entry(b, TiffIfd.SAMPLE_FORMAT, 3, 1, t == PixelType.FLOAT32 ? 3 : 1);
        if (fp != null && fp.labels != null) {
            entry(b, TiffIfd.IJ_META_COUNTS, 4, fp.labels.counts.length, fp.countsPos);
            entry(b, TiffIfd.IJ_META_DATA, 1, fp.labels.data.length, fp.labelsPos);
        }
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
