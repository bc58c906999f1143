package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * TiffReader on files written by libtiff and tifffile ({@link ThirdPartyTiffs}): real LZW (with table
 * clears), Deflate with predictor, PackBits, big-endian strips and compressed tiles. Expected pixels come
 * from the formulas the files were generated with.
 */
class TiffReaderThirdPartyTest {
    private static final int W = 37;
    private static final int H = 23;

    @TempDir
    Path dir;

    static int v16(int x, int y) {
        return (x * x * 31 + y * 977 + x * y * 7) % 65536;
    }

    static int v8(int x, int y) {
        return (x * 13 + y * 7 + (x * y) % 11) % 256;
    }

    private List<Frame> read(byte[] content) throws IOException {
        Path p = dir.resolve("f.tif");
        Files.write(p, content);
        return TiffReader.read(p);
    }

    private static void check16(Frame f) {
        assertEquals(PixelType.GRAY16, f.type());
        assertEquals(W, f.width());
        assertEquals(H, f.height());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) assertEquals(v16(x, y), f.get(x, y), "x=" + x + " y=" + y);
        }
    }

    private static void check8(Frame f, int add) {
        assertEquals(PixelType.GRAY8, f.type());
        assertEquals(W, f.width());
        assertEquals(H, f.height());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) assertEquals((v8(x, y) + add) % 256, f.get(x, y), "x=" + x + " y=" + y);
        }
    }

    @Test
    void lzw16WithPredictor() throws IOException {
        check16(read(ThirdPartyTiffs.LZW16_PREDICTOR).get(0));
    }

    @Test
    void lzwNoiseFillsAndClearsTheTable() throws IOException {
        Frame f = read(ThirdPartyTiffs.LZW16_NOISE).get(0);
        assertEquals(64, f.width());
        assertEquals(48, f.height());
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                long v = ((x * 73856093L) ^ (y * 19349663L)) % 65536;
                assertEquals(v, f.get(x, y), "x=" + x + " y=" + y);
            }
        }
    }

    @Test
    void deflate8WithPredictor() throws IOException {
        check8(read(ThirdPartyTiffs.DEFLATE8_PREDICTOR).get(0), 0);
    }

    @Test
    void packBits8() throws IOException {
        check8(read(ThirdPartyTiffs.PACKBITS8).get(0), 0);
    }

    @Test
    void lzwFloat32() throws IOException {
        Frame f = read(ThirdPartyTiffs.LZW_FLOAT32).get(0);
        assertEquals(PixelType.FLOAT32, f.type());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) assertEquals((x - 10) * 0.25 + y * 1.5, f.get(x, y), "x=" + x + " y=" + y);
        }
    }

    @Test
    void lzwThreePages() throws IOException {
        List<Frame> frames = read(ThirdPartyTiffs.LZW8_THREE_PAGES);
        assertEquals(3, frames.size());
        for (int k = 0; k < 3; k++) check8(frames.get(k), 50 * k);
    }

    @Test
    void bigEndianDeflateStrips() throws IOException {
        check16(read(ThirdPartyTiffs.BIG_ENDIAN_DEFLATE16_STRIPS).get(0));
    }

    @Test
    void deflateTiles() throws IOException {
        check16(read(ThirdPartyTiffs.TILED_DEFLATE16).get(0));
    }
}
