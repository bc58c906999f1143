package org.n2dlive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;

/** Argument checks shared by the commands. */
final class CliPaths {
    private CliPaths() {
    }

    /** Refuses an output path that is the input file: the raw data is never overwritten. */
    static void requireDistinct(Path input, Path out, String what) throws IOException {
        boolean same = Files.exists(out) ? Files.isSameFile(input, out)
                : input.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize());
        if (same) throw new IllegalArgumentException("the " + what + " path " + out + " is the input file; refusing to overwrite raw data");
    }

    /** Parses --normalization: default, full-range, auto, or OFFSET,SCALE. */
    static Normalization normalization(String spec, Frame first) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "default":
                return first.type() == PixelType.GRAY16 ? Normalization.fromFrame(first, 1.25) : Normalization.fullRange(first.type());
            case "full-range":
                return Normalization.fullRange(first.type());
            case "auto":
                return Normalization.fromFrame(first, 1.25);
            default:
                String[] p = s.split(",");
                if (p.length != 2) throw new IllegalArgumentException("--normalization must be full-range, auto or OFFSET,SCALE, got '" + spec + "'");
                try {
                    return new Normalization(Double.parseDouble(p[0]), Double.parseDouble(p[1]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--normalization must be full-range, auto or OFFSET,SCALE, got '" + spec + "'");
                }
        }
    }
}
