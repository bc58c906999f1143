package org.n2dlive.synth;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from the test's working directory (Maven runs tests in src/, the module's folder). */
final class RepoPaths {
    private RepoPaths() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("test-streams")) && Files.isDirectory(q.resolve("profiles"))) return q;
        }
        throw new IllegalStateException("no repository root (with test-streams/ and profiles/) above " + p);
    }
}
