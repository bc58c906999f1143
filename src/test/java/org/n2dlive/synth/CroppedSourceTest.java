package org.n2dlive.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.TestPaths;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.io.ImageFiles;

/** The descriptor key {@code crop} and {@link CroppedSource}: which pixels, for frames and ground truth, and errors. */
class CroppedSourceTest {
    @TempDir
    Path dir;

    /** A w × h frame whose pixel (x, y) holds 10·y + x (+ base). */
    private static Frame ramp(PixelType type, int w, int h, int base) {
        Frame f = Frame.allocate(type, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = base + 10 * y + x;
                int i = y * w + x;
                if (type == PixelType.GRAY8) f.bytes()[i] = (byte) v;
                else if (type == PixelType.GRAY16) f.shorts()[i] = (short) (v * 100);
                else f.floats()[i] = v + 0.5f;
            }
        }
        return f;
    }

    @Test
    void cutsTheCentreOfFramesAndGroundTruthKeepingType() {
        for (PixelType type : PixelType.values()) {
            Frame a = ramp(type, 7, 5, 0);
            Frame b = ramp(type, 7, 5, 100);
            Frame clean = ramp(PixelType.FLOAT32, 7, 5, 50);
            CroppedSource s = new CroppedSource(new RecordedSource("ramps", List.of(a, b), List.of(clean), 12), 4, 2);
            assertEquals(2, s.length());
            assertEquals(12, s.fps());
            assertTrue(s.describe().endsWith("centre crop 4x2"), s.describe());
            Frame f = s.frame(1);
            assertEquals(type, f.type());
            assertEquals(4, f.width());
            assertEquals(2, f.height());
            // offset ((7-4)/2, (5-2)/2) = (1, 1): the crop's (0,0) is the source's (1,1)
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(b.get(x + 1, y + 1), f.get(x, y), type + " frame at " + x + "," + y);
                }
            }
            assertEquals(a.get(1, 1), s.frame(0).get(0, 0));
            assertEquals(a.get(1, 1), s.frame(2).get(0, 0), "indices loop like the source's");
            Frame t = s.groundTruth(0);
            assertEquals(PixelType.FLOAT32, t.type());
            assertEquals(4, t.width());
            assertEquals(clean.get(4, 2), t.get(3, 1));
        }
    }

    @Test
    void theFullSizeIsTheIdentityAndNoGroundTruthStaysNone() {
        Frame a = ramp(PixelType.GRAY8, 6, 4, 3);
        CroppedSource s = new CroppedSource(new RecordedSource("r", List.of(a), null, 10), 6, 4);
        assertEquals(a.checksum(), s.frame(0).checksum());
        assertEquals(false, s.hasGroundTruth());
        assertNull(s.groundTruth(0));
    }

    @Test
    void aSyntheticDescriptorWithCropIsTheCentreOfTheSameStream() throws IOException {
        String base = "kind = synthetic\nscene = cells\nwidth = 48\nheight = 40\ndrift_x = 0.3\nmoving_objects = 2\n";
        FrameSource whole = StreamDescriptor.parse(base, "whole.stream", dir).open();
        FrameSource cut = StreamDescriptor.parse(base + "crop = 20x16\n", "cut.stream", dir).open();
        for (int i : new int[] {0, 5}) {
            Frame w = whole.frame(i).copy();
            Frame c = cut.frame(i);
            assertEquals(20, c.width());
            assertEquals(16, c.height());
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 20; x++) assertEquals(w.get(x + 14, y + 12), c.get(x, y), "frame " + i);
            }
            Frame wt = whole.groundTruth(i).copy();
            Frame ct = cut.groundTruth(i);
            assertEquals(wt.get(14, 12), ct.get(0, 0));
            assertEquals(wt.get(33, 27), ct.get(19, 15));
        }
        Frame square = StreamDescriptor.parse(base + "crop = 32\n", "sq.stream", dir).open().frame(0);
        assertEquals(32, square.width());
        assertEquals(32, square.height());
        assertArrayEquals(new int[] {32, 24}, StreamDescriptor.parse(base + "crop = 32 x 24\n", "s.stream", dir).crop());
        assertNull(StreamDescriptor.parse(base, "s.stream", dir).crop());
    }

    @Test
    void badCropValuesNameTheKeyAndTheFile() throws IOException {
        String base = "kind = synthetic\nscene = cells\nwidth = 48\nheight = 40\n";
        for (String bad : new String[] {"abc", "0", "-5", "32x0", "32x-2", "32x", "x32", "32x16x2", "2.5", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StreamDescriptor.parse(base + "crop = " + bad + "\n", "bad.stream", dir), bad);
            assertTrue(e.getMessage().startsWith("bad.stream:5: key 'crop': '" + bad + "' is not allowed; allowed: "), e.getMessage());
        }
        // Too large: known only once the frames are there; checked when the stream opens.
        Path file = dir.resolve("big.stream");
        Files.writeString(file, base + "crop = 64x32\n");
        StreamDescriptor d = StreamDescriptor.load(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, d::open);
        assertTrue(e.getMessage().startsWith(file + ":5: key 'crop': '64x32' is larger than the frames (48x40)"), e.getMessage());

        // A recorded stream too, through Sources (what --source opens).
        Path data = Files.createDirectories(dir.resolve("frames"));
        ImageFiles.write(data.resolve("a.png"), List.of(ramp(PixelType.GRAY8, 8, 6, 0)));
        Path rec = dir.resolve("rec.stream");
        Files.writeString(rec, "kind = recorded\npath = frames\ncrop = 9\n");
        e = assertThrows(IllegalArgumentException.class, () -> Sources.open(rec.toString(), null, 10));
        assertTrue(e.getMessage().contains("rec.stream:3: key 'crop': '9' is larger than the frames (8x6)"), e.getMessage());
        Files.writeString(rec, "kind = recorded\npath = frames\ncrop = 4x2\n");
        Frame f = Sources.open(rec.toString(), null, 10).source.frame(0);
        assertEquals(4, f.width());
        assertEquals(2, f.height());
        assertEquals(10 * 2 + 2, f.get(0, 0));

        assertThrows(IllegalArgumentException.class,
                () -> new CroppedSource(new RecordedSource("r", List.of(ramp(PixelType.GRAY8, 4, 4, 0)), null, 10), 0, 4));
    }

    @Test
    void theFmdCropStreamStartsWithTheReferenceCrop() throws IOException {
        Path data = TestPaths.sharedTestData();
        assumeTrue(data != null && Files.isDirectory(data.resolve("fmd-confocal-bpae/field1")), "needs ../shared/test-data");
        Path streams = TestPaths.repoRoot().resolve("test-streams");
        FrameSource s = StreamDescriptor.load(streams.resolve("fmd-bpae-field1-256.stream")).open();
        assertEquals(50, s.length());
        Frame noisy = ImageFiles.read(data.resolve("reference-crops/fmd_bpae_f1_noisy.tif")).get(0);
        Frame clean = ImageFiles.read(data.resolve("reference-crops/fmd_bpae_f1_clean.tif")).get(0);
        assertEquals(noisy.checksum(), s.frame(0).checksum(), "frame 0 (HV110_P0500510000.png), centre 256x256");
        assertEquals(clean.checksum(), s.groundTruth(0).checksum(), "avg50.png, centre 256x256");
        Frame moving = StreamDescriptor.load(streams.resolve("fmd-bpae-field1-moving-256.stream")).open().frame(3);
        assertEquals(256, moving.width());
        assertEquals(256, moving.height());
    }
}
