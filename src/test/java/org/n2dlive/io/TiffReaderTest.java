package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/** TiffReader on hand-built files: layouts, byte orders, codecs, and every refusal. */
class TiffReaderTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    @TempDir
    Path dir;

    private Path save(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void bigEndian16BitTwoStrips() throws IOException {
        TiffBuilder b = new TiffBuilder(BE);
        // 3x3, two rows per strip: strips of 2 rows and 1 row.
        b.page().gray(3, 3, 16, 1, 2).strips(
                TiffBuilder.shorts(BE, 0, 1, 2, 256, 4095, 65535),
                TiffBuilder.shorts(BE, 40000, 7, 8));
        List<Frame> frames = TiffReader.read(save("be.tif", b.build()));
        assertEquals(1, frames.size());
        Frame f = frames.get(0);
        assertEquals(PixelType.GRAY16, f.type());
        assertEquals(3, f.width());
        assertEquals(3, f.height());
        double[] expected = {0, 1, 2, 256, 4095, 65535, 40000, 7, 8};
        for (int i = 0; i < 9; i++) assertEquals(expected[i], f.get(i), "pixel " + i);
    }

    @Test
    void littleEndian8BitMultiPageWithoutOptionalTags() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        for (int p = 0; p < 3; p++) {
            // No Compression, Photometric, SamplesPerPixel or RowsPerStrip: all have defaults.
            b.page().tag(256, TiffBuilder.SHORT, 2).tag(257, TiffBuilder.SHORT, 2).tag(258, TiffBuilder.SHORT, 8)
                    .strips(TiffBuilder.bytes(p, 10 + p, 200, 255));
        }
        List<Frame> frames = TiffReader.read(save("le.tif", b.build()));
        assertEquals(3, frames.size());
        for (int p = 0; p < 3; p++) {
            Frame f = frames.get(p);
            assertEquals(PixelType.GRAY8, f.type());
            assertArrayEquals(TiffBuilder.bytes(p, 10 + p, 200, 255), f.bytes());
        }
    }

    @Test
    void float32BothByteOrders() throws IOException {
        float[] v = {0f, -1.5f, 3.25e-3f, 1e30f};
        for (ByteOrder order : new ByteOrder[] {LE, BE}) {
            TiffBuilder b = new TiffBuilder(order);
            b.page().gray(2, 2, 32, 1, 2).tag(339, TiffBuilder.SHORT, 3).strips(TiffBuilder.floats(order, v));
            Frame f = TiffReader.read(save("f" + order + ".tif", b.build())).get(0);
            assertEquals(PixelType.FLOAT32, f.type());
            assertArrayEquals(v, f.floats());
        }
    }

    @Test
    void tiledImageIsCroppedFromPaddedTiles() throws IOException {
        // 20x3 image in 16x16 tiles: two tiles across, each stored whole (256 bytes).
        int w = 20, h = 3;
        byte[] t0 = new byte[256];
        byte[] t1 = new byte[256];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                t0[y * 16 + x] = (byte) (y * 20 + x);
                t1[y * 16 + x] = (byte) (x < 4 && y < h ? y * 20 + 16 + x : 99);
            }
        }
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(w, h, 8, 1, 0).tiles(16, 16, t0, t1);
        Frame f = TiffReader.read(save("tiles.tif", b.build())).get(0);
        assertEquals(w, f.width());
        assertEquals(h, f.height());
        for (int i = 0; i < w * h; i++) assertEquals(i, f.get(i), "pixel " + i);
    }

    @Test
    void packBitsStrip() throws IOException {
        // 6x1 row 7,7,7,7,1,2 packed by the spec: replicate 4 times (-3), then two literals (1).
        TiffBuilder b = new TiffBuilder(BE);
        b.page().gray(6, 1, 8, 32773, 1).strips(TiffBuilder.bytes(0xFD, 7, 0x01, 1, 2));
        assertArrayEquals(TiffBuilder.bytes(7, 7, 7, 7, 1, 2), TiffReader.read(save("pb.tif", b.build())).get(0).bytes());
    }

    @Test
    void deflateBothCodesAndPredictor() throws IOException {
        // 16-bit little-endian 4x2, horizontally differenced, then zlib-compressed by java.util.zip.
        int[] values = {1000, 65535, 5, 300, 7, 8, 9, 10};
        byte[] differenced = TiffBuilder.shorts(LE, 1000, 64535, 6, 295, 7, 1, 1, 1);
        for (int code : new int[] {8, 32946}) {
            TiffBuilder b = new TiffBuilder(LE);
            b.page().gray(4, 2, 16, code, 2).tag(317, TiffBuilder.SHORT, 2).strips(zlib(differenced));
            Frame f = TiffReader.read(save("d" + code + ".tif", b.build())).get(0);
            for (int i = 0; i < values.length; i++) assertEquals(values[i], f.get(i), "code " + code + " pixel " + i);
        }
    }

    @Test
    void lzwStripsWithPredictor8Bit() throws IOException {
        // 64x64 gradient, predictor 2, LZW by the independent test encoder, 16 rows per strip.
        int w = 64, h = 64;
        byte[][] strips = new byte[4][];
        byte[] expected = new byte[w * h];
        for (int s = 0; s < 4; s++) {
            byte[] raw = new byte[16 * w];
            for (int r = 0; r < 16; r++) {
                int y = s * 16 + r;
                for (int x = 0; x < w; x++) {
                    int v = (x * 3 + y * 5 + (x * y) % 7) & 0xFF;
                    expected[y * w + x] = (byte) v;
                    int left = x == 0 ? 0 : ((x - 1) * 3 + y * 5 + ((x - 1) * y) % 7) & 0xFF;
                    raw[r * w + x] = (byte) (x == 0 ? v : v - left);
                }
            }
            strips[s] = TestLzwEncoder.encode(raw);
        }
        TiffBuilder b = new TiffBuilder(BE);
        b.page().gray(w, h, 8, 5, 16).tag(317, TiffBuilder.SHORT, 2).strips(strips);
        assertArrayEquals(expected, TiffReader.read(save("lzw.tif", b.build())).get(0).bytes());
    }

    @Test
    void whiteIsZeroIsInverted() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 1, 8, 1, 1).tag(262, TiffBuilder.SHORT, 0).strips(TiffBuilder.bytes(0, 200));
        assertArrayEquals(TiffBuilder.bytes(255, 55), TiffReader.read(save("wiz.tif", b.build())).get(0).bytes());
    }

    @Test
    void thumbnailPagesAreSkipped() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 2, 8, 1, 2).strips(TiffBuilder.bytes(1, 2, 3, 4));
        b.page().gray(1, 1, 8, 1, 1).tag(254, TiffBuilder.LONG, 1).strips(TiffBuilder.bytes(9));
        b.page().gray(2, 2, 8, 1, 2).strips(TiffBuilder.bytes(5, 6, 7, 8));
        List<Frame> frames = TiffReader.read(save("thumb.tif", b.build()));
        assertEquals(2, frames.size());
        assertArrayEquals(TiffBuilder.bytes(5, 6, 7, 8), frames.get(1).bytes());
    }

    // ---- refusals: each message names the file and the problem ----

    private ImageFormatException refused(String name, byte[] content) throws IOException {
        Path p = save(name, content);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> TiffReader.read(p));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertEquals(p, e.file());
        return e;
    }

    private static void assertMentions(ImageFormatException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().toLowerCase().contains(w.toLowerCase()), "'" + w + "' missing in: " + e.getMessage());
        }
    }

    @Test
    void rgbIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 1, 8, 1, 1).tag(258, TiffBuilder.SHORT, 8, 8, 8).tag(262, TiffBuilder.SHORT, 2)
                .tag(277, TiffBuilder.SHORT, 3).strips(new byte[6]);
        assertMentions(refused("rgb.tif", b.build()), "RGB", "grayscale");
    }

    @Test
    void multiSampleGrayIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 1, 8, 1, 1).tag(258, TiffBuilder.SHORT, 8, 8).tag(277, TiffBuilder.SHORT, 2).strips(new byte[4]);
        assertMentions(refused("two.tif", b.build()), "2 samples per pixel");
    }

    @Test
    void paletteIsRefused() throws IOException {
        long[] map = new long[3 * 256];
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 1, 8, 1, 1).tag(262, TiffBuilder.SHORT, 3).tag(320, TiffBuilder.SHORT, map).strips(new byte[2]);
        assertMentions(refused("pal.tif", b.build()), "palette");
    }

    @Test
    void oneBitIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(8, 1, 1, 1, 1).strips(new byte[1]);
        assertMentions(refused("bw.tif", b.build()), "1-bit");
    }

    @Test
    void signedIntegersAreRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(BE);
        b.page().gray(2, 1, 16, 1, 1).tag(339, TiffBuilder.SHORT, 2).strips(new byte[4]);
        assertMentions(refused("signed.tif", b.build()), "signed 16-bit");
    }

    @Test
    void sixtyFourBitIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(1, 1, 64, 1, 1).tag(339, TiffBuilder.SHORT, 3).strips(new byte[8]);
        assertMentions(refused("double.tif", b.build()), "64-bit");
    }

    @Test
    void unsigned32BitIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(1, 1, 32, 1, 1).strips(new byte[4]);
        assertMentions(refused("u32.tif", b.build()), "32-bit unsigned");
    }

    @Test
    void unknownCompressionIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 1, 8, 7, 1).strips(new byte[20]);
        assertMentions(refused("jpeg.tif", b.build()), "JPEG compression", "not supported");
        TiffBuilder c = new TiffBuilder(LE);
        c.page().gray(2, 1, 8, 12345, 1).strips(new byte[20]);
        assertMentions(refused("odd.tif", c.build()), "code 12345");
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(16, 16, 8, 1, 16).strips(new byte[256]);
        byte[] whole = b.build();
        // Cut inside the pixel data: the directory sits after the data in TiffBuilder files, so move it first.
        byte[] full = moveIfdFirst(whole);
        assertMentions(refused("cut.tif", Arrays.copyOf(full, full.length - 100)), "truncated");
        // Cut inside the header / directory.
        assertMentions(refused("cut2.tif", Arrays.copyOf(whole, 6)), "too short");
        assertMentions(refused("cut3.tif", Arrays.copyOf(whole, whole.length - 10)), "truncated");
    }

    @Test
    void truncatedCompressedStripIsRefused() throws IOException {
        byte[] packed = zlib(new byte[400]);
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(20, 20, 8, 8, 20).strips(Arrays.copyOf(packed, packed.length / 2));
        assertMentions(refused("deflcut.tif", b.build()), "strip 1 of page 1");
    }

    @Test
    void corruptDeflateIsRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(4, 4, 8, 8, 4).strips(TiffBuilder.bytes(1, 2, 3, 4, 5, 6, 7, 8));
        assertMentions(refused("garbage.tif", b.build()), "corrupt");
    }

    @Test
    void planesOfDifferentSizeAreRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 2, 8, 1, 2).strips(new byte[4]);
        b.page().gray(3, 2, 8, 1, 2).strips(new byte[6]);
        assertMentions(refused("mixed.tif", b.build()), "page 2", "3x2", "same size");
    }

    @Test
    void planesOfDifferentTypeAreRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(2, 2, 8, 1, 2).strips(new byte[4]);
        b.page().gray(2, 2, 16, 1, 2).strips(new byte[8]);
        assertMentions(refused("mixedtype.tif", b.build()), "GRAY16");
    }

    @Test
    void bigTiffAndNonTiffAreRefused() throws IOException {
        assertMentions(refused("big.tif", TiffBuilder.bytes('I', 'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), "BigTIFF");
        assertMentions(refused("not.tif", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "not a TIFF");
    }

    @Test
    void loopingDirectoriesAreRefused() throws IOException {
        TiffBuilder b = new TiffBuilder(LE);
        b.page().gray(1, 1, 8, 1, 1).strips(new byte[1]);
        byte[] file = b.build();
        // Point the only directory's next-IFD field back at itself.
        int ifd = java.nio.ByteBuffer.wrap(file).order(LE).getInt(4);
        int count = java.nio.ByteBuffer.wrap(file).order(LE).getShort(ifd);
        java.nio.ByteBuffer.wrap(file).order(LE).putInt(ifd + 2 + 12 * count, ifd);
        assertMentions(refused("loop.tif", file), "loop");
    }

    @Test
    void missingFileIsReportedClearly() throws IOException {
        Path p = dir.resolve("nope.tif");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> TiffReader.read(p));
        assertMentions(e, "nope.tif", "not found");
        Path folder = dir.resolve("folder.tif");
        assertMentions(assertThrows(ImageFormatException.class, () -> TiffReader.read(Files.createDirectory(folder))), "folder");
    }

    @Test
    void readingLeavesFileUntouched() throws IOException {
        TiffBuilder b = new TiffBuilder(BE);
        b.page().gray(3, 1, 16, 1, 1).strips(TiffBuilder.shorts(BE, 1, 2, 3));
        Path p = save("keep.tif", b.build());
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(p, old);
        byte[] before = Files.readAllBytes(p);
        TiffReader.read(p);
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(old, Files.getLastModifiedTime(p));
    }

    static byte[] zlib(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        while (!d.finished()) {
            int n = d.deflate(buf);
            out.write(buf, 0, n);
        }
        d.end();
        return out.toByteArray();
    }

    /**
     * Rebuilds a one-page, one-strip file as header, directory, then pixel data, so cutting the end of
     * the file cuts into the pixels. Uses the builder's own layout knowledge: strip at 8, IFD after it.
     */
    private static byte[] moveIfdFirst(byte[] file) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(file).order(LE);
        int ifd = in.getInt(4);
        int count = in.getShort(ifd);
        int ifdLen = 2 + 12 * count + 4;
        int stripOff = -1, stripLen = -1;
        for (int i = 0; i < count; i++) {
            int e = ifd + 2 + 12 * i;
            int tag = in.getShort(e) & 0xFFFF;
            if (tag == 273) stripOff = in.getInt(e + 8);
            if (tag == 279) stripLen = in.getInt(e + 8);
        }
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + ifdLen + stripLen).order(LE);
        out.put(file, 0, 4).putInt(8);
        out.put(file, ifd, ifdLen);
        out.put(file, stripOff, stripLen);
        for (int i = 0; i < count; i++) {
            int e = 8 + 2 + 12 * i;
            if ((out.getShort(e) & 0xFFFF) == 273) out.putInt(e + 8, 8 + ifdLen);
        }
        return out.array();
    }
}
