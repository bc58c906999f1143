package org.n2dlive.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * ImageJ's private TIFF metadata (tags 50838/50839): a header "IJIJ" followed by (type, count) pairs, then the
 * entries, each with its byte count in tag 50838. Only slice labels ("labl", UTF-16 in the file's byte order) are
 * read and written here: Micro-Manager and ImageJ put channel names there. Stateless.
 */
final class ImageJMetadata {
    private static final int MAGIC = 0x494a494a; // "IJIJ"
    private static final int LABELS = 0x6c61626c; // "labl"

    private ImageJMetadata() {
    }

    /** The slice labels, one per plane (null where empty), or an empty list when there are none or they are odd. */
    static List<String> labels(long[] counts, byte[] data, ByteOrder order) {
        if (counts.length < 2 || counts[0] < 4 || counts[0] > data.length) return Collections.emptyList();
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        if (b.getInt(0) != MAGIC) return Collections.emptyList();
        int headerPairs = (int) ((counts[0] - 4) / 8);
        long offset = counts[0];
        int entry = 1;
        for (int i = 0; i < headerPairs; i++) {
            int type = b.getInt(4 + 8 * i);
            int n = b.getInt(8 + 8 * i);
            if (n < 0 || entry + n > counts.length) return Collections.emptyList();
            if (type == LABELS) {
                List<String> out = new ArrayList<>(n);
                Charset cs = order == ByteOrder.BIG_ENDIAN ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE;
                for (int k = 0; k < n; k++) {
                    long len = counts[entry + k];
                    if (offset + len > data.length) return Collections.emptyList();
                    out.add(len == 0 ? null : new String(data, (int) offset, (int) len, cs));
                    offset += len;
                }
                return out;
            }
            for (int k = 0; k < n; k++) offset += counts[entry + k];
            entry += n;
        }
        return Collections.emptyList();
    }

    /** Byte counts (tag 50838) and data (tag 50839) holding one label per plane, little-endian. */
    static Encoded encodeLabels(List<String> labels) {
        int n = labels.size();
        long[] counts = new long[n + 1];
        counts[0] = 12;
        List<byte[]> parts = new ArrayList<>(n);
        int total = 12;
        for (int i = 0; i < n; i++) {
            String s = labels.get(i) == null ? "" : labels.get(i);
            byte[] p = s.getBytes(StandardCharsets.UTF_16LE);
            parts.add(p);
            counts[i + 1] = p.length;
            total += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(LABELS).putInt(n);
        for (byte[] p : parts) b.put(p);
        return new Encoded(counts, b.array());
    }

    static final class Encoded {
        final long[] counts;
        final byte[] data;

        Encoded(long[] counts, byte[] data) {
            this.counts = counts;
            this.data = data;
        }
    }
}
