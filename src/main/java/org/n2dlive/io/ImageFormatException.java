package org.n2dlive.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file that cannot be read or written as asked: missing, empty, truncated, corrupt, or in a
 * form this project does not handle (RGB, palette, 1-bit, unknown compression, ...).
 *
 * <p>The message always names the file and says what is wrong in words a microscope user can act on,
 * so callers may show it as is. Immutable.
 */
public class ImageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ImageFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ImageFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file concerned (may be null when the bytes did not come from a file). */
    public Path file() {
        return file;
    }
}
