package org.n2dlive;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository root and the shared data beside it, wherever Maven runs them from. */
public final class TestPaths {
    private TestPaths() {
    }

    /** The repository root: the nearest folder above the working directory holding profiles/ and test-streams/. */
    public static Path repoRoot() {
        for (Path q = Path.of("").toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("test-streams")) && Files.isDirectory(q.resolve("profiles"))) return q;
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    /** {@code ../shared/test-data} beside the repository, or null when absent (tests then skip). */
    public static Path sharedTestData() {
        Path p = repoRoot().resolve("../shared/test-data").normalize();
        return Files.isDirectory(p) ? p : null;
    }
}
