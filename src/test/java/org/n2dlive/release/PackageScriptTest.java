package org.n2dlive.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.TestPaths;

/**
 * {@code ./n2d package} (tools/release/package.sh) without building: its arguments, and its plan (--dry-run), which
 * must switch exactly one platform profile on per build and leave the launcher's target/engine/lib alone. The full
 * build takes minutes and fetches natives, so it is run by hand (tools/release/README.md).
 */
class PackageScriptTest {
    @TempDir
    Path tmp;

    /** {exit code, stdout+stderr} of bash with these arguments, run from the repository root. */
    private static String[] bash(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).directory(TestPaths.repoRoot().toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "script still running: " + cmd);
        return new String[] {String.valueOf(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
    }

    @Test
    void thePlanBuildsEachPlatformWithItsProfileAloneIntoOneFolder() throws Exception {
        String[] r = bash("n2d", "package", "--dry-run", "--out", tmp.toString());
        assertEquals("0", r[0], r[1]);
        String plan = r[1];
        for (String[] p : new String[][] {{"linux-x86_64", "linux-x86_64,!windows-x86_64,!macos-aarch64"},
                {"win-x86_64", "windows-x86_64,!linux-x86_64,!macos-aarch64"},
                {"osx-aarch64", "macos-aarch64,!linux-x86_64,!windows-x86_64"}}) {
            assertTrue(plan.contains("-Dmdep.skip=true package -pl src,mm-plugin -am -P " + p[1]), p[0] + ": " + plan);
            assertTrue(plan.contains("cp mm-plugin/target/n2d-live-mm-0.1.0-" + p[0] + ".jar " + tmp + "/"), plan);
            assertTrue(plan.contains("dependency:copy-dependencies -pl src -P " + p[1]), plan);
            assertTrue(plan.contains(tmp + "/n2d-live-cli-0.1.0-" + p[0] + ".zip"), plan);
        }
        assertFalse(plan.contains("target/engine/lib"), "the launcher's class path is never written: " + plan);
    }

    @Test
    void onePlatformOnly() throws Exception {
        String[] r = bash("tools/release/package.sh", "--dry-run", "--platforms", "win-x86_64", "--out", tmp.toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("n2d-live-mm-0.1.0-win-x86_64.jar"), r[1]);
        assertFalse(r[1].contains("linux-x86_64.jar") || r[1].contains("osx-aarch64.jar"), r[1]);
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() throws Exception {
        String[] r = bash("tools/release/package.sh", "--platforms", "linux-x86_64,win-arm64");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("unknown platform 'win-arm64'"), r[1]);
        r = bash("tools/release/package.sh", "--out");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--out needs a folder"), r[1]);
        r = bash("tools/release/package.sh", "--fast");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("unknown argument '--fast'"), r[1]);
        r = bash("tools/release/package.sh", "--out", "/");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("refusing --out /"), r[1]);
    }
}
