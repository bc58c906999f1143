package org.n2dlive.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Bounds-checked positional reads from an open TIFF file, in the file's byte order. Every read past the
 * end becomes an {@link ImageFormatException} saying what was being read, so a truncated file is
 * reported as such rather than as an index error. Not thread-safe; one reader owns it.
 */
final class TiffSource {
    final Path file;
    final long size;
    private final FileChannel channel;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    TiffSource(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Reads len bytes at pos, or fails naming {@code what} was being read. */
    byte[] bytes(long pos, long len, String what) throws IOException {
        if (pos < 0 || len < 0 || pos + len > size) {
            throw new ImageFormatException(file, "file is truncated or corrupt: " + what + " would lie at bytes "
                    + pos + ".." + (pos + len) + " but the file has only " + size + " bytes");
        }
        if (len > Integer.MAX_VALUE - 8) {
            throw new ImageFormatException(file, what + " is too large (" + len + " bytes)");
        }
        byte[] out = new byte[(int) len];
        ByteBuffer buf = ByteBuffer.wrap(out);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos + buf.position());
            if (n < 0) {
                throw new ImageFormatException(file, "file ended early while reading " + what
                        + " (it may still be being written)");
            }
        }
        return out;
    }

    ByteBuffer buffer(long pos, long len, String what) throws IOException {
        return ByteBuffer.wrap(bytes(pos, len, what)).order(order);
    }
}
