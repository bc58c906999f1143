package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;

/** ImageFiles: dispatch by content, PNG rules, clear errors, folder listing, writing and previews. */
class ImageFilesTest {
    @TempDir
    Path dir;

    private static void assertMentions(Exception e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().toLowerCase().contains(w.toLowerCase()), "'" + w + "' missing in: " + e.getMessage());
        }
    }

    private ImageFormatException refused(Path p) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(p));
        assertMentions(e, p.getFileName().toString());
        return e;
    }

    /** A PNG written by ImageIO directly (not by the code under test). */
    private Path png(String name, BufferedImage img) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", p.toFile()));
        return p;
    }

    @Test
    void readsGray8AndGray16Png() throws IOException {
        BufferedImage g8 = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        byte[] d8 = ((DataBufferByte) g8.getRaster().getDataBuffer()).getData();
        byte[] v8 = TiffBuilder.bytes(0, 1, 127, 128, 254, 255);
        System.arraycopy(v8, 0, d8, 0, 6);
        Frame f8 = ImageFiles.read(png("g8.png", g8)).get(0);
        assertEquals(PixelType.GRAY8, f8.type());
        assertArrayEquals(v8, f8.bytes());

        BufferedImage g16 = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        short[] d16 = ((DataBufferUShort) g16.getRaster().getDataBuffer()).getData();
        short[] v16 = {0, 300, (short) 40000, (short) 65535};
        System.arraycopy(v16, 0, d16, 0, 4);
        Frame f16 = ImageFiles.read(png("g16.png", g16)).get(0);
        assertEquals(PixelType.GRAY16, f16.type());
        assertArrayEquals(v16, f16.shorts());
    }

    @Test
    void rgbPngIsRefusedButGrayRgbIsAccepted() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x101010);
        rgb.setRGB(1, 0, 0x102030);
        assertMentions(refused(png("colour.png", rgb)), "RGB", "not supported", "x=1, y=0");

        BufferedImage grayish = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        grayish.setRGB(0, 0, 0x050505);
        grayish.setRGB(1, 0, 0xC8C8C8);
        Frame f = ImageFiles.read(png("grayish.png", grayish)).get(0);
        assertEquals(PixelType.GRAY8, f.type());
        assertArrayEquals(TiffBuilder.bytes(5, 200), f.bytes());
    }

    @Test
    void transparentPngIsRefused() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xFF404040);
        argb.setRGB(1, 0, 0x80404040);
        assertMentions(refused(png("alpha.png", argb)), "transparent");
    }

    @Test
    void dispatchIsByContentNotName() throws IOException {
        Path tiffNamedPng = dir.resolve("really_a_tiff.png");
        TiffWriter.write(tiffNamedPng, Arrays.asList(Frame.wrap(2, 1, new short[] {1, 2})));
        assertEquals(PixelType.GRAY16, ImageFiles.read(tiffNamedPng).get(0).type());

        BufferedImage g8 = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Path pngNamedTif = png("really_a_png.tif", g8);
        assertEquals(PixelType.GRAY8, ImageFiles.read(pngNamedTif).get(0).type());
    }

    @Test
    void emptyMissingFolderUnknownAndJpeg() throws IOException {
        Path empty = Files.write(dir.resolve("empty.tif"), new byte[0]);
        assertMentions(refused(empty), "empty");
        assertMentions(refused(dir.resolve("missing.png")), "not found");
        Path folder = Files.createDirectory(dir.resolve("folder.tif"));
        assertMentions(refused(folder), "folder");
        Path text = Files.write(dir.resolve("notes.tif"), "just text".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertMentions(refused(text), "unknown file format", "TIFF and PNG");
        Path jpeg = Files.write(dir.resolve("photo.png"), TiffBuilder.bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F'));
        assertMentions(refused(jpeg), "JPEG");
        Path tiny = Files.write(dir.resolve("tiny.tif"), TiffBuilder.bytes('I', 'I', 42));
        assertMentions(refused(tiny), "unknown file format");
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        Path t = dir.resolve("t.tif");
        TiffWriter.write(t, Arrays.asList(Frame.wrap(16, 16, new byte[256]), Frame.wrap(16, 16, new byte[256])));
        byte[] whole = Files.readAllBytes(t);
        Files.write(t, Arrays.copyOf(whole, whole.length - 50));
        assertMentions(refused(t), "truncated");

        BufferedImage g = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 64; i++) g.getRaster().setSample(i, i, 0, i * 3);
        Path p = png("p.png", g);
        byte[] pw = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(pw, pw.length / 2));
        assertMentions(refused(p), "PNG", "truncated or corrupt");
    }

    @Test
    void nonFiniteFloatPixelsAreNamed() throws IOException {
        float[] ok = new float[12];
        float[] bad = new float[12];
        bad[1 * 4 + 2] = Float.NaN; // x=2, y=1 on a 4-wide plane
        Path p = dir.resolve("nan.tif");
        TiffWriter.write(p, Arrays.asList(Frame.wrap(4, 3, ok), Frame.wrap(4, 3, bad)));
        assertMentions(refused(p), "plane 2 of 2", "NaN", "x=2, y=1");
        float[] inf = new float[12];
        inf[11] = Float.NEGATIVE_INFINITY;
        Path q = dir.resolve("inf.tif");
        TiffWriter.write(q, Arrays.asList(Frame.wrap(4, 3, inf)));
        assertMentions(refused(q), "plane 1", "infinite", "x=3, y=2");
    }

    @Test
    void readingNeverModifiesInput() throws IOException {
        Path t = dir.resolve("in.tif");
        TiffWriter.write(t, Arrays.asList(Frame.wrap(3, 1, new byte[] {1, 2, 3})));
        BufferedImage g = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        Path p = png("in.png", g);
        for (Path f : Arrays.asList(t, p)) {
            FileTime old = FileTime.fromMillis(1_200_000_000_000L);
            Files.setLastModifiedTime(f, old);
            byte[] before = Files.readAllBytes(f);
            ImageFiles.read(f);
            assertArrayEquals(before, Files.readAllBytes(f));
            assertEquals(old, Files.getLastModifiedTime(f));
        }
        assertEquals(Arrays.asList("in.png", "in.tif"), TiffWriterTest.listNames(dir));
    }

    @Test
    void listFramesSortsNaturallyAndFilters() throws IOException {
        for (String n : new String[] {"frame10.tif", "frame2.TIF", "frame1.png", "frame3.tiff", "notes.txt", ".hidden.tif",
                "Frame0.PNG"}) {
            Files.write(dir.resolve(n), new byte[] {1});
        }
        Files.createDirectory(dir.resolve("sub.tif"));
        List<String> names = ImageFiles.listFrames(dir).stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toList());
        assertEquals(Arrays.asList("Frame0.PNG", "frame1.png", "frame2.TIF", "frame3.tiff", "frame10.tif"), names);
    }

    @Test
    void listFramesErrors() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("nothing"));
        Files.write(empty.resolve("readme.txt"), new byte[] {1});
        assertMentions(assertThrows(ImageFormatException.class, () -> ImageFiles.listFrames(empty)), "no image files");
        assertMentions(assertThrows(ImageFormatException.class, () -> ImageFiles.listFrames(dir.resolve("gone"))), "not found");
        Path file = Files.write(dir.resolve("a.tif"), new byte[] {1});
        assertMentions(assertThrows(ImageFormatException.class, () -> ImageFiles.listFrames(file)), "not a folder");
    }

    @Test
    void naturalOrderDetails() {
        ImageFiles.NaturalOrder o = ImageFiles.NaturalOrder.INSTANCE;
        assertTrue(o.compare("img_9", "img_10") < 0);
        assertTrue(o.compare("img_010", "img_9") > 0);
        assertTrue(o.compare("a", "a1") < 0);
        assertTrue(o.compare("t001_z2", "t001_z10") < 0);
        assertTrue(o.compare("f01", "f1") != 0);
        assertEquals(0, o.compare("same5", "same5"));
    }

    @Test
    void writePngAndTiffByName() throws IOException {
        Frame g16 = Frame.wrap(3, 1, new short[] {0, 1234, (short) 65535});
        Path p = dir.resolve("out.png");
        ImageFiles.write(p, Arrays.asList(g16));
        Raster r = ImageIO.read(p.toFile()).getRaster(); // read back with ImageIO itself
        assertEquals(1234, r.getSample(1, 0, 0));
        assertEquals(65535, r.getSample(2, 0, 0));
        assertArrayEquals(g16.shorts(), ImageFiles.read(p).get(0).shorts());

        Path t = dir.resolve("OUT.TIFF");
        ImageFiles.write(t, Arrays.asList(g16, g16));
        assertEquals(2, TiffReader.read(t).size());
    }

    @Test
    void writeRefusesWhatPngCannotHold() throws IOException {
        Frame g8 = Frame.wrap(1, 1, new byte[] {1});
        Frame f = Frame.wrap(1, 1, new float[] {1});
        assertMentions(assertThrows(ImageFormatException.class,
                () -> ImageFiles.write(dir.resolve("two.png"), Arrays.asList(g8, g8))), "one image", ".tif");
        assertMentions(assertThrows(ImageFormatException.class,
                () -> ImageFiles.write(dir.resolve("f.png"), Arrays.asList(f))), "float");
        assertMentions(assertThrows(ImageFormatException.class,
                () -> ImageFiles.write(dir.resolve("x.jpg"), Arrays.asList(g8))), ".tif, .tiff or .png");
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.write(dir.resolve("e.tif"), Arrays.asList()));
        assertEquals(Arrays.asList(), TiffWriterTest.listNames(dir));
    }

    @Test
    void previewIsSideBySideWithSharedMapping() throws IOException {
        // offset 100, scale 1000: raw 100 -> 0, 600 -> 127.5 -> 128, 1100 -> 255, 2000 -> clamped 255, 0 -> clamped 0.
        Normalization norm = new Normalization(100, 1000);
        Frame left = Frame.wrap(3, 2, new short[] {100, 600, 1100, 2000, 0, 350});
        Frame right = Frame.wrap(2, 3, new float[] {100f, 1100f, 600f, 100f, 850f, 100f});
        Path p = dir.resolve("preview.png");
        ImageFiles.writePreview(p, left, right, norm);
        BufferedImage img = ImageIO.read(p.toFile());
        assertEquals(3 + 2 + 2, img.getWidth());
        assertEquals(3, img.getHeight());
        assertEquals(1, img.getRaster().getNumBands());
        assertEquals(8, img.getColorModel().getComponentSize(0));
        int[][] expected = {
            {0, 128, 255, 255, 255, 0, 255},
            {255, 0, 64, 255, 255, 128, 0},
            {0, 0, 0, 255, 255, 191, 0},
        };
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(expected[y][x], img.getRaster().getSample(x, y, 0), "x=" + x + " y=" + y);
            }
        }
        assertMentions(assertThrows(ImageFormatException.class,
                () -> ImageFiles.writePreview(dir.resolve("p.tif"), left, right, norm)), ".png");
    }
}
