package org.n2dlive.n2d;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.n2dlive.engine.NetWeights;

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

    /** Writes atomically: a temp file in the same folder, then a move; an existing file is never half-overwritten. */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".n2dw-", ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                f.write(out);
                out.writeBoolean(g != null);
                if (g != null) g.write(out);
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

    public static WarmWeights load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no weights file at " + file);
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            if (in.readInt() != MAGIC) throw new IOException(file + " is not an n2d-live weights file");
            int v = in.readInt();
            if (v != VERSION) throw new IOException(file + ": unsupported weights file version " + v);
            NetWeights f = NetWeights.read(in);
            NetWeights g = in.readBoolean() ? NetWeights.read(in) : null;
            if (in.read() != -1) throw new IOException(file + ": trailing bytes after the weights");
            return new WarmWeights(f, g);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }
}
