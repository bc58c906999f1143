package org.n2dlive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** --normalization: default (auto for 16-bit, else full-range), or a {@link Normalization.Rule}. */
    static Normalization normalization(String spec, Frame first) {
        if (spec.trim().equalsIgnoreCase("default")) {
            return (first.type() == PixelType.GRAY16 ? Normalization.Rule.AUTO : Normalization.Rule.FULL_RANGE).resolve(first);
        }
        Normalization.Rule rule;
        try {
            rule = Normalization.Rule.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e); // "--normalization must be ..."
        }
        return rule.resolve(first);
    }
}
