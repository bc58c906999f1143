package org.n2dlive;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find the repository root and the shared data beside it, wherever Maven runs them from.
 *
 * <p>Without {@code ../shared/test-data} the tests that need it skip, so a clone builds anywhere; CI runs with
 * {@code -Dn2d.requireShared=true} (Maven passes it on to the test JVM), and missing data is then a failure.
 */
public final class TestPaths {
    /** System property: when "true", missing shared data fails the test instead of skipping it. */
    public static final String REQUIRE_SHARED = "n2d.requireShared";

    private TestPaths() {
    }

    /** The repository root: the nearest folder above the working directory holding profiles/ and test-streams/. */
    public static Path repoRoot() {
        for (Path q = Path.of("").toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("test-streams")) && Files.isDirectory(q.resolve("profiles"))) return q;
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    /**
     * {@code ../shared/test-data} beside the repository, or null when absent (tests then skip).
     *
     * @throws AssertionError when it is absent and {@value #REQUIRE_SHARED} is true
     */
    public static Path sharedTestData() {
        Path p = repoRoot().resolve("../shared/test-data").normalize();
        if (Files.isDirectory(p)) return p;
        if (Boolean.getBoolean(REQUIRE_SHARED)) throw missing(p);
        return null;
    }

    /**
     * {@code ../shared/test-data/<sub>}; skips the calling test when it is absent, or fails it when
     * {@value #REQUIRE_SHARED} is true.
     */
    public static Path assumeShared(String sub) {
        Path data = sharedTestData();
        Path p = (data != null ? data : repoRoot().resolve("../shared/test-data").normalize()).resolve(sub);
        if (Files.exists(p)) return p;
        if (Boolean.getBoolean(REQUIRE_SHARED)) throw missing(p);
        Assumptions.abort("needs " + p + " (shared test data)");
        return p; // not reached
    }

    private static AssertionError missing(Path p) {
        return new AssertionError("shared test data missing at " + p + ", and -D" + REQUIRE_SHARED
                + "=true says it must be there");
    }
}
