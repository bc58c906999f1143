package org.n2dlive;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Missing shared data skips a test, unless n2d.requireShared (set by CI) makes it a failure. */
class TestPathsTest {

    @Test
    void missingSharedDataSkipsOrFails() {
        String before = System.getProperty(TestPaths.REQUIRE_SHARED);
        try {
            System.clearProperty(TestPaths.REQUIRE_SHARED);
            assertThrows(TestAbortedException.class, () -> TestPaths.assumeShared("no-such-folder-in-shared-data"));
            System.setProperty(TestPaths.REQUIRE_SHARED, "true");
            AssertionError e = assertThrows(AssertionError.class, () -> TestPaths.assumeShared("no-such-folder-in-shared-data"));
            assertTrue(e.getMessage().contains("n2d.requireShared"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty(TestPaths.REQUIRE_SHARED);
            else System.setProperty(TestPaths.REQUIRE_SHARED, before);
        }
    }
}
