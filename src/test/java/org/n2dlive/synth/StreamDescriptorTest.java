package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.io.ImageFiles;

class StreamDescriptorTest {
    @TempDir
    Path dir;

    private static List<Path> descriptors() throws IOException {
        try (Stream<Path> s = Files.list(org.n2dlive.TestPaths.repoRoot().resolve("test-streams"))) {
            return s.filter(p -> p.toString().endsWith(".stream")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyShippedDescriptorParses() throws IOException {
        List<Path> all = descriptors();
        assertTrue(all.size() >= 5, "descriptors: " + all);
        for (Path p : all) {
            StreamDescriptor d = StreamDescriptor.load(p);
            assertFalse(d.description().isEmpty(), p.toString());
            assertTrue(d.fps() > 0, p.toString());
        }
    }

    @Test
    void theDefaultStreamIsGeneratedWithoutAnyDataFiles() throws IOException {
        StreamDescriptor d = StreamDescriptor.load(org.n2dlive.TestPaths.repoRoot().resolve("test-streams/cells-256.stream"));
        assertTrue(d.synthetic());
        FrameSource s = d.open();
        assertEquals(100, d.runLength(s));
        assertEquals(10, s.fps());
        Frame f = s.frame(0);
        assertEquals(PixelType.GRAY8, f.type());
        assertEquals(256, f.width());
        assertEquals(256, f.height());
        assertTrue(s.hasGroundTruth());
        assertEquals(256, s.groundTruth(3).width());
    }

    @Test
    void theSmallStreamIsReproducible() throws IOException {
        Path p = org.n2dlive.TestPaths.repoRoot().resolve("test-streams/cells-64-fast.stream");
        long a = StreamDescriptor.load(p).open().frame(7).checksum();
        long b = StreamDescriptor.load(p).open().frame(7).checksum();
        assertEquals(a, b);
    }

    @Test
    void unknownKeysKeysOfTheOtherKindAndBadValuesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = synthetic\nscene = cells\nphotonz = 3\n", "a.stream", dir));
        assertTrue(e.getMessage().startsWith("a.stream:3: unknown key 'photonz'; allowed keys for kind synthetic: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = recorded\npath = x.tif\nphotons = 3\n", "b.stream", dir));
        assertTrue(e.getMessage().startsWith("b.stream:3: key 'photons' belongs to kind synthetic streams"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = synthetic\nscene = cells\nbit_depth = 12\n", "c.stream", dir));
        assertTrue(e.getMessage().startsWith("c.stream:3: key 'bit_depth': '12' is not allowed; allowed: 8 or 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = synthetic\nscene = cells\nfps = -2\n", "d.stream", dir));
        assertTrue(e.getMessage().startsWith("d.stream:3: key 'fps': '-2' is not allowed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StreamDescriptor.parse("kind = movie\n", "e.stream", dir));
        assertTrue(e.getMessage().contains("allowed: synthetic, recorded, spliced or interleaved"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StreamDescriptor.parse("kind = recorded\n", "f.stream", dir));
        assertTrue(e.getMessage().contains("key 'path' is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = synthetic\nscene = clean.tif\nwidth = 64\n", "g.stream", dir));
        assertTrue(e.getMessage().contains("g.stream:3: key 'width' applies to scene = cells only"), e.getMessage());
    }

    @Test
    void aRecordedFolderStreamResolvesPathsAgainstTheDescriptorAndSkipsTheCleanFile() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data/run1"));
        List<Long> sums = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] px = new byte[16 * 8];
            for (int k = 0; k < px.length; k++) px[k] = (byte) (i * 40 + k);
            Frame f = Frame.wrap(16, 8, px);
            sums.add(f.checksum());
            ImageFiles.write(data.resolve("frame_" + i + ".png"), List.of(f));
        }
        ImageFiles.write(data.resolve("avg.png"), List.of(Frame.allocate(PixelType.GRAY8, 16, 8)));
        Path streams = Files.createDirectories(dir.resolve("streams"));
        Path desc = streams.resolve("run1.stream");
        Files.writeString(desc, "kind = recorded\npath = ../data/run1\nclean = ../data/run1/avg.png\nfps = 5\n");
        StreamDescriptor d = StreamDescriptor.load(desc);
        FrameSource s = d.open();
        assertEquals(3, s.length(), "avg.png is the reference, not a frame");
        assertEquals(3, d.runLength(s));
        for (int i = 0; i < 6; i++) assertEquals(sums.get(i % 3), s.frame(i).checksum(), "frame " + i + " (looped)");
        assertNotNull(s.groundTruth(4));
        assertEquals(5, s.fps());

        Sources.Opened o = Sources.open(data.toString(), data.resolve("avg.png"), 7);
        assertEquals(3, o.defaultFrames);
        assertTrue(o.source.hasGroundTruth());
        Sources.Opened plain = Sources.open(data.toString(), null, 7);
        assertEquals(4, plain.source.length(), "without --clean every image is a frame");
        assertNull(plain.source.groundTruth(0));
        assertThrows(IllegalArgumentException.class, () -> Sources.open(dir.resolve("nothing-here").toString(), null, 7));
        assertThrows(IllegalArgumentException.class, () -> Sources.open(desc.toString(), data.resolve("avg.png"), 7));
    }

    @Test
    void theRealStreamsOpenWhenTheSharedDataIsThere() throws IOException {
        Path root = org.n2dlive.TestPaths.repoRoot();
        org.n2dlive.TestPaths.assumeShared("fmd-confocal-bpae/field1");
        FrameSource fmd = StreamDescriptor.load(root.resolve("test-streams/fmd-bpae-field1.stream")).open();
        assertEquals(50, fmd.length());
        assertEquals(512, fmd.frame(0).width());
        assertTrue(fmd.hasGroundTruth());
        FrameSource moving = StreamDescriptor.load(root.resolve("test-streams/fmd-bpae-field1-moving.stream")).open();
        assertEquals(PixelType.GRAY8, moving.frame(0).type());
        FrameSource tirf = StreamDescriptor.load(root.resolve("test-streams/acsn-tirf-200hz.stream")).open();
        assertEquals(20, tirf.length());
        assertEquals(PixelType.GRAY16, tirf.frame(0).type());
        assertFalse(tirf.hasGroundTruth());
    }

    @Test
    void aSplicedStreamCutsFromTheFirstToTheSecondAtSwitchAt() throws IOException {
        Files.writeString(dir.resolve("a.stream"), "kind = synthetic\nscene = cells\nwidth = 24\nheight = 20\nscene_seed = 1\nframe_count = 9\n");
        Files.writeString(dir.resolve("b.stream"), "kind = synthetic\nscene = cells\nwidth = 24\nheight = 20\nscene_seed = 2\nframe_count = 6\n");
        Files.writeString(dir.resolve("ab.stream"), "kind = spliced\nfirst = a.stream\nsecond = b.stream\nswitch_at = 4\n");
        StreamDescriptor d = StreamDescriptor.load(dir.resolve("ab.stream"));
        FrameSource ab = d.open();
        FrameSource a = StreamDescriptor.load(dir.resolve("a.stream")).open();
        FrameSource b = StreamDescriptor.load(dir.resolve("b.stream")).open();
        assertEquals(10, d.runLength(ab), "switch_at + the second stream's length");
        assertTrue(ab.hasGroundTruth());
        for (int i = 0; i < 10; i++) {
            Frame expected = (i < 4 ? a.frame(i) : b.frame(i - 4)).copy();
            assertEquals(expected.checksum(), ab.frame(i).checksum(), "frame " + i);
            Frame truth = (i < 4 ? a.groundTruth(i) : b.groundTruth(i - 4)).copy();
            assertEquals(truth.checksum(), ab.groundTruth(i).checksum(), "ground truth " + i);
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = spliced\nfirst = a.stream\nswitch_at = 4\n", "x.stream", dir));
        assertTrue(e.getMessage().contains("key 'second' is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamDescriptor.parse("kind = spliced\nfirst = a.stream\nsecond = b.stream\nswitch_at = 4\nphotons = 3\n", "x.stream", dir));
        assertTrue(e.getMessage().contains("key 'photons' belongs to kind synthetic streams"), e.getMessage());
        Files.writeString(dir.resolve("c.stream"), "kind = synthetic\nscene = cells\nwidth = 32\nheight = 20\n");
        Files.writeString(dir.resolve("ac.stream"), "kind = spliced\nfirst = a.stream\nsecond = c.stream\nswitch_at = 4\n");
        e = assertThrows(IllegalArgumentException.class, () -> StreamDescriptor.load(dir.resolve("ac.stream")).open());
        assertTrue(e.getMessage().contains("one size and type"), e.getMessage());
    }
}
