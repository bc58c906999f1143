package org.n2dlive.n2d;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.n2dlive.engine.NetWeights;
import java.io.BufferedOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The warm model of a stream — net f and, when stage 3 runs, net g — as a small file (≈ 170 KB at 48
 * channels), so a new session starts from a known sample instead of fitting from scratch. Immutable.
 */
public final class WarmWeights {
    private static final int MAGIC = 0x4E324457; // "N2DW"
    private static final int VERSION = 1;

    public final NetWeights f;
    /** Null when the model never ran stage 3. */
    public final NetWeights g;

    public WarmWeights(NetWeights f, NetWeights g) {
        if (f == null) throw new IllegalArgumentException("net f is required");
        if (g != null && g.channels != f.channels) throw new IllegalArgumentException("f and g must have the same channel count");
        this.f = f;
        this.g = g;
    }

    public int channels() {
        return f.channels;
    }

    public String fingerprint() {
        return g == null ? f.fingerprint() : f.fingerprint().substring(0, 8) + g.fingerprint().substring(0, 8);
    }

    /**
     * Writes atomically (a temp file in the same folder, forced to disk, then renamed), so an existing file is never
     * half-overwritten. Creates missing parent folders. Written here rather than with the file-format package, which
     * the plugin does not ship.
     */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) dir = Paths.get(".").toAbsolutePath();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                f.write(out);
                out.writeBoolean(g != null);
                if (g != null) g.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a file {@link #save} wrote.
     *
     * @throws IOException naming the file and the problem: missing, not a weights file, an unsupported version,
     *                     truncated, trailing bytes, or a corrupt net (see {@link NetWeights#read})
     */
    public static WarmWeights load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no weights file at " + file);
        long size = Files.size(file);
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            if (in.readInt() != MAGIC) throw new IOException(file + " is not an n2d-live weights file");
            int v = in.readInt();
            if (v != VERSION) throw new IOException(file + ": unsupported weights file version " + v + " (this build reads " + VERSION + ")");
            long left = size - 8;
            NetWeights f = readNet(in, left, file, "f");
            left -= NetWeights.serializedBytes(f.channels) + 1;
            NetWeights g = in.readBoolean() ? readNet(in, left, file, "g") : null;
            if (in.read() != -1) throw new IOException(file + ": trailing bytes after the weights");
            if (g != null && g.channels != f.channels) {
                throw new IOException(file + ": net f has " + f.channels + " channels, net g " + g.channels);
            }
            return new WarmWeights(f, g);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static NetWeights readNet(DataInputStream in, long available, Path file, String name) throws IOException {
        try {
            return NetWeights.read(in, available);
        } catch (EOFException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": net " + name + ": " + e.getMessage(), e);
        }
    }
}
