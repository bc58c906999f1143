package org.n2dlive.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file all-or-nothing: the content goes to a temporary file in the target's folder, is flushed
 * to disk, and only then renamed over the target. A failure at any point deletes the temporary file and
 * leaves an existing target untouched. Stateless; safe from any thread (two threads writing the same
 * target race only at the final rename, and the last one wins whole).
 */
public final class AtomicFiles {

    /** The bytes to write; the stream is closed by {@link #write}. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * @throws ImageFormatException (an IOException whose message names the target) when the folder is missing,
     *                              the target is a folder, or any write fails; the previous file is then unchanged
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new ImageFormatException(target, "cannot write: this path is a folder, give a file name");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ImageFormatException(target, "cannot write: folder " + dir + " does not exist");
        }
        Path tmp = createTemp(dir, abs.getFileName().toString(), target);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(out);
                out.flush();
                // On disk before the rename, so a crash cannot leave a renamed but empty file.
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Same folder, so a plain rename is still all-or-nothing on every common file system.
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException e) {
            // Disk full, permission changed mid-way, ...: say which file, keep the cause.
            throw new ImageFormatException(target, "cannot write (" + describe(e) + "); the previous file, if any, is unchanged", e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure matters more; a stray hidden temp file is harmless.
                }
            }
        }
    }

    /**
     * A new hidden file beside the target. Created with the default permissions (unlike
     * Files.createTempFile, which makes owner-only files that would then become the output).
     */
    private static Path createTemp(Path dir, String name, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            } catch (IOException e) {
                throw new ImageFormatException(target, "cannot write in folder " + dir + " (" + describe(e) + ")", e);
            }
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
