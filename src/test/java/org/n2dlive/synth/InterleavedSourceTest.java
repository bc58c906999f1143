package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.io.Calibration;
import org.n2dlive.io.Hyperstack;

class InterleavedSourceTest {
    private static RecordedSource constant(int value, int n) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) frames.add(Frame.wrap(2, 2, new byte[] {(byte) value, (byte) i, 0, 0}));
        return new RecordedSource("v" + value, frames, null, 10);
    }

    @Test
    void framesAlternateBetweenSeriesAndKeepEachSeriesOrder() {
        InterleavedSource s = new InterleavedSource(List.of(constant(1, 3), constant(2, 5)), InterleavedSource.Axis.POSITION);
        assertEquals(6, s.length()); // the shorter part sets the length
        assertEquals(2, s.seriesCount());
        for (int i = 0; i < 6; i++) {
            assertEquals(i % 2 + 1, s.frame(i).get(0));
            assertEquals(i / 2, s.frame(i).get(1));
            assertEquals(new SeriesKey(i % 2, 0, 0), s.series(i));
        }
        InterleavedSource c = new InterleavedSource(List.of(constant(1, 3), constant(2, 3)), InterleavedSource.Axis.CHANNEL);
        assertEquals(new SeriesKey(0, 1, 0), c.series(3));
    }

    @Test
    void aDescriptorInterleavesOtherDescriptors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.stream"), "kind = synthetic\nscene = cells\nwidth = 16\nheight = 16\nframe_count = 4\n");
        Files.writeString(dir.resolve("b.stream"), "kind = synthetic\nscene = cells\nwidth = 16\nheight = 16\nscene_seed = 9\n"
                + "frame_count = 4\n");
        Files.writeString(dir.resolve("ab.stream"), "kind = interleaved\nseries = a.stream, b.stream\n");
        StreamDescriptor d = StreamDescriptor.load(dir.resolve("ab.stream"));
        FrameSource s = d.open();
        assertEquals(2, s.seriesCount());
        assertTrue(s.hasGroundTruth());
        assertEquals(new SeriesKey(1, 0, 0), s.series(1));
        Files.writeString(dir.resolve("bad.stream"), "kind = interleaved\nseries = a.stream\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.load(dir.resolve("bad.stream")));
        assertTrue(e.getMessage().contains("two or more"), e.getMessage());
        Files.writeString(dir.resolve("bad2.stream"), "kind = interleaved\nseries = a.stream, b.stream\nphotons = 3\n");
        e = assertThrows(IllegalArgumentException.class, () -> StreamDescriptor.load(dir.resolve("bad2.stream")));
        assertTrue(e.getMessage().contains("unknown key 'photons'"), e.getMessage());
    }

    @Test
    void aHyperstackReplaysInAcquisitionOrder() {
        List<Frame> planes = new ArrayList<>();
        // 2 positions × 2 frames × 1 slice × 2 channels, plane value = 100p + 10t + c.
        for (int p = 0; p < 2; p++) {
            for (int t = 0; t < 2; t++) {
                for (int c = 0; c < 2; c++) planes.add(Frame.wrap(1, 1, new byte[] {(byte) (100 * p + 10 * t + c)}));
            }
        }
        Hyperstack h = new Hyperstack(planes, 2, 2, 1, 2, Calibration.NONE, true);
        StackSource s = new StackSource(h, "h", 5);
        int[] expected = {0, 1, 100, 101, 10, 11, 110, 111}; // time outermost, then position, channel fastest
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], s.frame(i).get(0), "frame " + i);
            assertSame(h.planes().get(s.planeIndex(i)), s.frame(i));
        }
        assertEquals(new SeriesKey(1, 1, 0), s.series(3));
        assertEquals(4, s.seriesCount());
    }
}
