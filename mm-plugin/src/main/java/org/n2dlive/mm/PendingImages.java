package org.n2dlive.mm;

import org.micromanager.data.Coords;
import org.micromanager.data.Metadata;
import org.n2dlive.frame.PixelType;

/**
 * Coordinates and metadata of the images whose frames are in the ring, in publishing order, keyed by the
 * frame's tag (strictly increasing). A completed frame finds its image's coordinates here; entries older
 * than a completed tag belong to frames the stream skipped (LIVE) and are dropped on the way.
 *
 * <p>Only the image's coordinates and metadata are kept, not the image, so the raw pixels are held once
 * (in the ring). A circular buffer that doubles when full: no allocation per frame once it has grown to
 * the number of frames in flight. Not thread-safe: used on the pipeline thread only.
 */
final class PendingImages {
    private long[] tags;
    private Coords[] coords;
    private Metadata[] metadata;
    private PixelType[] types;
    private int head;
    private int size;

    PendingImages(int initialCapacity) {
        int cap = Math.max(4, initialCapacity);
        tags = new long[cap];
        coords = new Coords[cap];
        metadata = new Metadata[cap];
        types = new PixelType[cap];
    }

    void add(long tag, Coords c, Metadata m, PixelType type) {
        if (size > 0 && tag <= tags[index(size - 1)]) {
            throw new IllegalArgumentException("tags must increase: " + tag + " after " + tags[index(size - 1)]);
        }
        if (size == tags.length) grow();
        int i = index(size);
        tags[i] = tag;
        coords[i] = c;
        metadata[i] = m;
        types[i] = type;
        size++;
    }

    /**
     * Moves the head to {@code tag}: drops every older entry (how many: {@link #lastSkipped}) and returns
     * true when the tag is pending. A tag older than the head (a frame of an earlier processor) returns
     * false and changes nothing.
     */
    boolean seek(long tag) {
        lastSkipped = 0;
        while (size > 0 && tags[head] < tag) {
            clear(head);
            head = (head + 1) % tags.length;
            size--;
            lastSkipped++;
        }
        return size > 0 && tags[head] == tag;
    }

    /** Entries dropped by the last {@link #seek}. */
    int lastSkipped;

    /** Coordinates of the head entry (after a successful seek). */
    Coords headCoords() {
        return coords[head];
    }

    Metadata headMetadata() {
        return metadata[head];
    }

    /** Pixel type of the head entry's input image. */
    PixelType headType() {
        return types[head];
    }

    long headTag() {
        return tags[head];
    }

    void pop() {
        if (size == 0) throw new IllegalStateException("nothing pending");
        clear(head);
        head = (head + 1) % tags.length;
        size--;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Forgets everything (references released). */
    void clearAll() {
        while (size > 0) pop();
        head = 0;
    }

    private void clear(int i) {
        coords[i] = null;
        metadata[i] = null;
        types[i] = null;
    }

    private int index(int k) {
        return (head + k) % tags.length;
    }

    private void grow() {
        int cap = tags.length * 2;
        long[] t = new long[cap];
        Coords[] c = new Coords[cap];
        Metadata[] m = new Metadata[cap];
        PixelType[] p = new PixelType[cap];
        for (int k = 0; k < size; k++) {
            int i = index(k);
            t[k] = tags[i];
            c[k] = coords[i];
            m[k] = metadata[i];
            p[k] = types[i];
        }
        tags = t;
        coords = c;
        metadata = m;
        types = p;
        head = 0;
    }
}
