package org.n2dlive.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only: assembles TIFF files byte by byte from explicit tags and already-encoded strip or tile data,
 * independently of the production reader and writer, so tests can describe exactly the file they want
 * (either byte order, any tag values, broken ones included).
 */
final class TiffBuilder {
    static final int BYTE = 1, ASCII = 2, SHORT = 3, LONG = 4, RATIONAL = 5, DOUBLE = 12;

    private final ByteOrder order;
    private final List<Page> pages = new ArrayList<>();

    TiffBuilder(ByteOrder order) {
        this.order = order;
    }

    static final class Page {
        private final Map<Integer, Object[]> tags = new TreeMap<>(); // tag -> {type, long[] or byte[]}
        private List<byte[]> chunks = new ArrayList<>();
        private int offsetsTag = 273;
        private int countsTag = 279;

        Page tag(int tag, int type, long... values) {
            tags.put(tag, new Object[] {type, values});
            return this;
        }

        Page ascii(int tag, String text) {
            byte[] s = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
            tags.put(tag, new Object[] {ASCII, s});
            return this;
        }

        /** The usual grayscale tags: size, bits, compression, photometric 1, one sample, rows per strip. */
        Page gray(int width, int height, int bits, int compression, int rowsPerStrip) {
            tag(256, LONG, width);
            tag(257, LONG, height);
            tag(258, SHORT, bits);
            tag(259, SHORT, compression);
            tag(262, SHORT, 1);
            tag(277, SHORT, 1);
            tag(278, LONG, rowsPerStrip);
            return this;
        }

        Page strips(byte[]... data) {
            chunks = new ArrayList<>(List.of(data));
            offsetsTag = 273;
            countsTag = 279;
            return this;
        }

        Page tiles(int tileW, int tileH, byte[]... data) {
            tags.remove(278);
            tag(322, LONG, tileW);
            tag(323, LONG, tileH);
            chunks = new ArrayList<>(List.of(data));
            offsetsTag = 324;
            countsTag = 325;
            return this;
        }

        Page remove(int tag) {
            tags.remove(tag);
            return this;
        }
    }

    Page page() {
        Page p = new Page();
        pages.add(p);
        return p;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[8]);
        long[] ifdPos = new long[pages.size()];
        List<Integer> nextFieldPos = new ArrayList<>();
        for (int pi = 0; pi < pages.size(); pi++) {
            Page p = pages.get(pi);
            Map<Integer, Object[]> tags = new TreeMap<>(p.tags);
            if (!p.chunks.isEmpty()) {
                long[] offs = new long[p.chunks.size()];
                long[] counts = new long[p.chunks.size()];
                for (int i = 0; i < offs.length; i++) {
                    pad(out);
                    offs[i] = out.size();
                    counts[i] = p.chunks.get(i).length;
                    out.writeBytes(p.chunks.get(i));
                }
                if (!tags.containsKey(p.offsetsTag)) tags.put(p.offsetsTag, new Object[] {LONG, offs});
                if (!tags.containsKey(p.countsTag)) tags.put(p.countsTag, new Object[] {LONG, counts});
            }
            // Out-of-line values first, remembering where each went.
            Map<Integer, Long> valuePos = new TreeMap<>();
            for (Map.Entry<Integer, Object[]> e : tags.entrySet()) {
                byte[] v = encode(e.getValue());
                if (v.length > 4) {
                    pad(out);
                    valuePos.put(e.getKey(), (long) out.size());
                    out.writeBytes(v);
                }
            }
            pad(out);
            ifdPos[pi] = out.size();
            ByteBuffer ifd = ByteBuffer.allocate(2 + 12 * tags.size() + 4).order(order);
            ifd.putShort((short) tags.size());
            for (Map.Entry<Integer, Object[]> e : tags.entrySet()) {
                int type = (Integer) e.getValue()[0];
                byte[] v = encode(e.getValue());
                ifd.putShort((short) (int) e.getKey()).putShort((short) type).putInt(count(e.getValue()));
                if (v.length > 4) {
                    ifd.putInt((int) (long) valuePos.get(e.getKey()));
                } else {
                    byte[] field = new byte[4];
                    System.arraycopy(v, 0, field, 0, v.length);
                    ifd.put(field);
                }
            }
            nextFieldPos.add(out.size() + 2 + 12 * tags.size());
            ifd.putInt(0);
            out.writeBytes(ifd.array());
        }
        ByteBuffer file = ByteBuffer.wrap(out.toByteArray()).order(order);
        if (order == ByteOrder.LITTLE_ENDIAN) {
            file.put(0, (byte) 'I').put(1, (byte) 'I');
        } else {
            file.put(0, (byte) 'M').put(1, (byte) 'M');
        }
        file.putShort(2, (short) 42);
        file.putInt(4, pages.isEmpty() ? 0 : (int) ifdPos[0]);
        for (int pi = 0; pi + 1 < pages.size(); pi++) {
            file.putInt(nextFieldPos.get(pi), (int) ifdPos[pi + 1]);
        }
        return file.array();
    }

    private static void pad(ByteArrayOutputStream out) {
        if ((out.size() & 1) != 0) out.write(0);
    }

    private static int count(Object[] tv) {
        int type = (Integer) tv[0];
        if (type == ASCII) return ((byte[]) tv[1]).length;
        int n = ((long[]) tv[1]).length;
        return type == RATIONAL ? n / 2 : n;
    }

    private byte[] encode(Object[] tv) {
        int type = (Integer) tv[0];
        if (type == ASCII) return (byte[]) tv[1];
        long[] v = (long[]) tv[1];
        int size = type == BYTE ? 1 : type == SHORT ? 2 : type == DOUBLE ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(size * v.length).order(order);
        for (long x : v) {
            if (size == 1) b.put((byte) x);
            else if (size == 2) b.putShort((short) x);
            else if (size == 8) b.putLong(x);
            else b.putInt((int) x);
        }
        return b.array();
    }

    /** Encodes 16-bit samples in the given byte order. */
    static byte[] shorts(ByteOrder order, int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(order);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
