package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/** TiffWriter: round trips, the ImageJ-compatible layout, and all-or-nothing writes. */
class TiffWriterTest {
    @TempDir
    Path dir;

    static Frame gray8(int w, int h, int seed) {
        byte[] p = new byte[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (i * 37 + seed * 11);
        return Frame.wrap(w, h, p);
    }

    static Frame gray16(int w, int h, int seed) {
        short[] p = new short[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (short) (i * 4099 + seed * 977);
        return Frame.wrap(w, h, p);
    }

    static Frame float32(int w, int h, int seed) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) p[i] = (float) Math.sin(i * 0.37 + seed) * 1000f - 3.5f;
        return Frame.wrap(w, h, p);
    }

    private static void assertSameFrames(List<Frame> expected, List<Frame> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Frame e = expected.get(i);
            Frame a = actual.get(i);
            assertEquals(e.type(), a.type());
            assertEquals(e.width(), a.width());
            assertEquals(e.height(), a.height());
            for (int k = 0; k < e.pixelCount(); k++) {
                assertEquals(e.get(k), a.get(k), "plane " + i + " pixel " + k);
            }
        }
    }

    @Test
    void roundTripsAllTypesSingleAndMultiPage() throws IOException {
        for (PixelType t : PixelType.values()) {
            for (int n : new int[] {1, 3}) {
                List<Frame> frames = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    frames.add(t == PixelType.GRAY8 ? gray8(7, 5, i) : t == PixelType.GRAY16 ? gray16(7, 5, i) : float32(7, 5, i));
                }
                Path p = dir.resolve(t + "_" + n + ".tif");
                TiffWriter.write(p, frames);
                assertSameFrames(frames, TiffReader.read(p));
            }
        }
    }

    /** Minimal independent walk of a little-endian classic TIFF: one tag map per page. */
    static List<Map<Integer, long[]>> pages(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Map<Integer, long[]>> out = new ArrayList<>();
        long off = b.getInt(4) & 0xFFFFFFFFL;
        while (off != 0) {
            int n = b.getShort((int) off) & 0xFFFF;
            Map<Integer, long[]> tags = new HashMap<>();
            for (int i = 0; i < n; i++) {
                int e = (int) off + 2 + 12 * i;
                int tag = b.getShort(e) & 0xFFFF;
                int type = b.getShort(e + 2);
                int count = b.getInt(e + 4);
                long v = type == 3 ? b.getShort(e + 8) & 0xFFFF : b.getInt(e + 8) & 0xFFFFFFFFL;
                tags.put(tag, new long[] {type, count, v});
            }
            out.add(tags);
            off = b.getInt((int) off + 2 + 12 * n) & 0xFFFFFFFFL;
        }
        return out;
    }

    static String description(byte[] file, Map<Integer, long[]> tags) {
        long[] d = tags.get(270);
        return new String(file, (int) d[2], (int) d[1] - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void layoutIsImageJStack() throws IOException {
        List<Frame> frames = Arrays.asList(gray16(6, 4, 0), gray16(6, 4, 1), gray16(6, 4, 2));
        Path p = dir.resolve("stack.tif");
        TiffWriter.write(p, frames);
        byte[] file = Files.readAllBytes(p);
        assertEquals('I', file[0]);
        assertEquals('I', file[1]);
        List<Map<Integer, long[]>> pages = pages(file);
        assertEquals(3, pages.size());
        assertEquals("ImageJ=1.11a\nimages=3\nslices=3\n", description(file, pages.get(0)));
        long first = pages.get(0).get(273)[2];
        for (int i = 0; i < 3; i++) {
            Map<Integer, long[]> t = pages.get(i);
            assertEquals(6, t.get(256)[2]);
            assertEquals(4, t.get(257)[2]);
            assertEquals(16, t.get(258)[2]);
            assertEquals(1, t.get(259)[2]);
            assertEquals(1, t.get(262)[2]);
            assertEquals(48, t.get(279)[2]);
            // ImageJ reads the whole stack as one block from the first offset: planes must be back to back.
            assertEquals(first + 48L * i, t.get(273)[2]);
            ByteBuffer px = ByteBuffer.wrap(file, (int) t.get(273)[2], 48).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 24; k++) assertEquals(frames.get(i).shorts()[k], px.getShort());
        }
        assertEquals(first + 48L * 3, file.length);
    }

    @Test
    void floatStackDescriptionHasDisplayRange() throws IOException {
        Frame a = Frame.wrap(2, 1, new float[] {-2.5f, 1f});
        Frame b = Frame.wrap(2, 1, new float[] {0f, 7.25f});
        Path p = dir.resolve("float.tif");
        TiffWriter.write(p, Arrays.asList(a, b));
        byte[] file = Files.readAllBytes(p);
        List<Map<Integer, long[]>> pages = pages(file);
        assertEquals("ImageJ=1.11a\nimages=2\nslices=2\nmin=-2.5\nmax=7.25\n", description(file, pages.get(0)));
        assertEquals(3, pages.get(1).get(339)[2]);
        assertEquals(32, pages.get(1).get(258)[2]);
    }

    @Test
    void mixedPlanesAreRejectedAndNothingIsWritten() {
        Path p = dir.resolve("mixed.tif");
        assertThrows(IllegalArgumentException.class, () -> TiffWriter.write(p, Arrays.asList(gray8(2, 2, 0), gray8(3, 2, 0))));
        assertThrows(IllegalArgumentException.class, () -> TiffWriter.write(p, Arrays.asList(gray8(2, 2, 0), gray16(2, 2, 0))));
        assertThrows(IllegalArgumentException.class, () -> TiffWriter.write(p, new ArrayList<>()));
        assertFalse(Files.exists(p));
    }

    @Test
    void overwritesExistingFileWhole() throws IOException {
        Path p = dir.resolve("out.tif");
        TiffWriter.write(p, Arrays.asList(gray8(30, 30, 0), gray8(30, 30, 1)));
        TiffWriter.write(p, Arrays.asList(gray8(3, 3, 5)));
        assertSameFrames(Arrays.asList(gray8(3, 3, 5)), TiffReader.read(p));
        assertEquals(Arrays.asList("out.tif"), listNames(dir));
    }

    @Test
    void targetThatIsAFolderIsRefusedAndKept() throws IOException {
        Path target = Files.createDirectory(dir.resolve("iam.tif"));
        Files.write(target.resolve("inside.txt"), new byte[] {1});
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> TiffWriter.write(target, Arrays.asList(gray8(2, 2, 0))));
        assertTrue(e.getMessage().contains("folder"), e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals(Arrays.asList("iam.tif"), listNames(dir));
        // An empty folder would be replaceable by a rename: it must be refused too.
        Path empty = Files.createDirectory(dir.resolve("empty.tif"));
        assertThrows(ImageFormatException.class, () -> TiffWriter.write(empty, Arrays.asList(gray8(2, 2, 0))));
        assertTrue(Files.isDirectory(empty));
    }

    @Test
    void missingFolderIsReported() {
        Path p = dir.resolve("no/such/folder/out.tif");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> TiffWriter.write(p, Arrays.asList(gray8(2, 2, 0))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /**
     * The temporary file cannot be created beside the target: the existing file stays as it was, and the error
     * names the file. The failure is made without permissions (root ignores them, and CI runs as root): the target's
     * name is valid at 250 bytes, but the temporary name ("." + name + "." + hex + ".tmp") exceeds the 255-byte
     * name limit of Linux file systems, so creating it fails for any user.
     */
    @Test
    void uncreatableTempFileLeavesExistingFileAlone() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("long"));
        Path target = folder.resolve("k".repeat(246) + ".tif");
        Path shortName = folder.resolve("short.tif"); // written under a short name: the long one cannot take a temp file
        TiffWriter.write(shortName, Arrays.asList(gray8(4, 4, 1)));
        Files.move(shortName, target);
        byte[] before = Files.readAllBytes(target);
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> TiffWriter.write(target, Arrays.asList(gray8(9, 9, 2))));
        assertTrue(e.getMessage().startsWith(target.toString()) && e.getMessage().contains("cannot write in folder"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(Arrays.asList(target.getFileName().toString()), listNames(folder));
    }

    @Test
    void failureMidWriteKeepsOldFileAndLeavesNoTemp() throws IOException {
        Path target = dir.resolve("old.tif");
        Files.write(target, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("old.tif") && e.getMessage().contains("disk full (simulated)"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(Arrays.asList("old.tif"), listNames(dir));
        Path fresh = dir.resolve("new.tif");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(fresh, out -> {
            out.write(1);
            throw new IllegalStateException("bug");
        }));
        assertFalse(Files.exists(fresh));
        assertEquals(Arrays.asList("old.tif"), listNames(dir));
    }

    static List<String> listNames(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
