package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.StreamDescriptor;

/**
 * The scene-change detector on the real recordings in ../shared/test-data (skipped without them): no change on
 * any static real stream over 300 frames (the recordings looped, so the loop's jump back is in it too), and
 * exactly one, on frame 25, where FMD field 1 is cut to field 2. The model is not needed for the decision; the
 * frames go in as raw values (the correlation is the same under any affine normalisation).
 */
class RealStreamScenesTest {
    private static final String[] STATIC = {"fmd-bpae-field1-256", "fmd-bpae-field2-256", "fmd-bpae-field3-256",
        "fmd-bpae-field1", "acsn-tirf-200hz", "ncs-eb3", "threeb-camera"};

    private static FrameSource open(String name) throws Exception {
        Path d = org.n2dlive.TestPaths.repoRoot().resolve("test-streams").resolve(name + ".stream");
        assumeTrue(Files.isDirectory(org.n2dlive.TestPaths.repoRoot().resolve("../shared/test-data")), "../shared/test-data not present");
        return StreamDescriptor.load(d).open();
    }

    /** The frames at which the detector reports a change, over {@code n} frames. */
    private static List<Integer> changes(String name, FrameSource s, int n) {
        SceneChangeDetector d = new SceneChangeDetector(0.5);
        List<Integer> at = new ArrayList<>();
        float[] u = null;
        double min = Double.NaN;
        int verdicts = 0;
        for (int i = 0; i < n; i++) {
            Frame f = s.frame(i);
            if (u == null) u = new float[f.pixelCount()];
            for (int k = 0; k < u.length; k++) u[k] = (float) f.get(k);
            if (d.observe(u, f.width(), f.height())) at.add(i);
            double c = d.lastCorrelation();
            if (!Double.isNaN(c)) {
                verdicts++;
                if (!(c >= min) && !at.contains(i)) min = c;
            }
        }
        System.out.printf(java.util.Locale.ROOT, "RealStreamScenesTest: %s: %d verdicts in %d frames, lowest correlation %.3f"
                + " outside the changes %s%n", name, verdicts, n, min, at);
        return at;
    }

    @Test
    void noChangeOnAnyStaticRealStreamOver300Frames() throws Exception {
        for (String name : STATIC) assertEquals(List.of(), changes(name, open(name), 300), name);
    }

    @Test
    void oneChangeWhereTheFieldChanges() throws Exception {
        assertEquals(List.of(25), changes("fmd-bpae-field1-to-field2-256", open("fmd-bpae-field1-to-field2-256"), 50));
    }
}
