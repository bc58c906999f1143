package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;

class DriftingWindowSourceTest {

    /** Frames whose pixel value encodes its position (x + 40·y), so a cut shows where it was taken. */
    private static Frame coded(int w, int h, int add) {
        short[] p = new short[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) p[y * w + x] = (short) (x + 40 * y + add);
        return Frame.wrap(w, h, p);
    }

    @Test
    void windowMovesByTheDriftAndTheGroundTruthMovesWithIt() {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) frames.add(coded(40, 30, 0));
        RecordedSource rec = new RecordedSource("coded", frames, List.of(coded(40, 30, 7)), 10);
        DriftingWindowSource s = new DriftingWindowSource(rec, 16, 12, 1, 0.5, 10);
        int[] c0 = s.corner(0);
        for (int i = 0; i < 10; i++) {
            int[] c = s.corner(i);
            assertEquals(c0[0] + Math.round(1.0 * i), c[0]);
            assertEquals(c0[1] + Math.round(0.5 * i), c[1]);
            Frame f = s.frame(i);
            assertEquals(c[0] + 40 * c[1], f.get(0, 0), "frame " + i + " is cut at its corner");
            assertEquals(c[0] + 40 * c[1] + 7, s.groundTruth(i).get(0, 0), "its ground truth at the same place");
        }
        // the path is centred on the field
        int[] last = s.corner(9);
        assertTrue(Math.abs((c0[0] + last[0] + 16) / 2.0 - 20) <= 1, "centred in x");
    }

    @Test
    void aWindowThatWouldLeaveTheFieldIsRejected() {
        List<Frame> frames = List.of(coded(40, 30, 0));
        RecordedSource rec = new RecordedSource("coded", frames, null, 10);
        assertThrows(IllegalArgumentException.class, () -> new DriftingWindowSource(rec, 32, 12, 1, 0, 20));
    }

    @Test
    void cleanReferenceCanBeAFolderOfOneImagePerFrame(@TempDir Path dir) throws Exception {
        Path frames = Files.createDirectory(dir.resolve("frames"));
        Path clean = Files.createDirectory(dir.resolve("clean"));
        for (int i = 0; i < 3; i++) {
            ImageFiles.write(frames.resolve("f" + i + ".tif"), List.of(coded(8, 8, i)));
            ImageFiles.write(clean.resolve("c" + i + ".tif"), List.of(coded(8, 8, 100 + i)));
        }
        RecordedSource s = RecordedSource.open(frames, null, clean, 10);
        for (int i = 0; i < 3; i++) assertEquals(100 + i, s.groundTruth(i).get(0, 0), "frame " + i + " has its own clean image");
    }
}
