package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.engine.NetWeights;

/**
 * Weights files as users meet them: saved whole, and every kind of corrupt file refused with a message that
 * says what is wrong. The byte offsets are worked out by hand from the format (big-endian ints and floats):
 * "N2DW", version, then per net "N2DN", channels, and six (length, floats) arrays w1 b1 w2 b2 w3 b3; a boolean
 * says whether net g follows.
 */
class WarmWeightsTest {
    private static final int C = 3;
    // one net: 8 header bytes, 6 length ints, 9C + C + 9C² + C + C + 1 floats
    private static final int NET_BYTES = 8 + 6 * 4 + 4 * (9 * C + C + 9 * C * C + C + C + 1);
    private static final int FILE_HEADER = 8;
    private static final int F_START = FILE_HEADER;
    private static final int G_FLAG = F_START + NET_BYTES;

    @TempDir
    Path dir;

    private Path saved() throws IOException {
        Path file = dir.resolve("w.n2dw");
        new WarmWeights(NetWeights.initialise(C, 1), NetWeights.initialise(C, 2)).save(file);
        return file;
    }

    @Test
    void roundTripsAndLeavesNoTempFiles() throws IOException {
        WarmWeights w = new WarmWeights(NetWeights.initialise(C, 1), NetWeights.initialise(C, 2));
        Path file = dir.resolve("sub/w.n2dw");
        w.save(file);
        w.save(file); // over an existing file
        assertEquals(FILE_HEADER + 2 * NET_BYTES + 1, Files.size(file), "the size the format implies");
        WarmWeights back = WarmWeights.load(file);
        assertEquals(w.f, back.f);
        assertEquals(w.g, back.g);
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "no temp file left beside the saved one");
        }
        Path fOnly = dir.resolve("f.n2dw");
        new WarmWeights(NetWeights.initialise(C, 1), null).save(fOnly);
        assertNull(WarmWeights.load(fOnly).g);
        assertEquals(FILE_HEADER + NET_BYTES + 1, Files.size(fOnly));
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        assertRefused(Arrays.copyOf(b, 6), "is truncated");
        assertRefused(Arrays.copyOf(b, FILE_HEADER + 6), "is truncated"); // inside net f's header
    }

    @Test
    void truncatedInsideAnArray() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        // cut in the middle of net f's w2: the sizes check fails before any array is read
        String m = assertRefused(Arrays.copyOf(b, F_START + 8 + 4 + 9 * C * 4 + 4 + C * 4 + 4 + 10), "truncated");
        assertTrue(m.contains("net f") && m.contains("3-channel"), m);
        // cut in net g's last array
        m = assertRefused(Arrays.copyOf(b, b.length - 2), "truncated");
        assertTrue(m.contains("net g"), m);
    }

    @Test
    void unsupportedVersion() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        ByteBuffer.wrap(b).putInt(4, 2);
        assertRefused(b, "unsupported weights file version 2");
    }

    @Test
    void notAWeightsFile() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        b[0] = 'X';
        assertRefused(b, "not an n2d-live weights file");
        b = Files.readAllBytes(saved());
        b[F_START] = 'X';
        assertRefused(b, "net f: not an n2d-live network");
    }

    @Test
    void nanWeight() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        // net f, w1 starts after its header (8) and its length (4): w1[4]
        ByteBuffer.wrap(b).putFloat(F_START + 8 + 4 + 4 * 4, Float.NaN);
        assertRefused(b, "net f: weight w1[4] is NaN");
        b = Files.readAllBytes(saved());
        ByteBuffer.wrap(b).putFloat(b.length - 4, Float.POSITIVE_INFINITY); // g's b3[0], the last float
        assertRefused(b, "net g: weight b3[0] is Infinity");
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        assertRefused(Arrays.copyOf(b, b.length + 1), "trailing bytes");
    }

    @Test
    void wrongArrayLength() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        ByteBuffer.wrap(b).putInt(F_START + 8, 9 * C + 1); // w1's length
        assertRefused(b, "net f: array w1 has length 28 where a 3-channel net has 27");
    }

    /** A header claiming 4096 channels (c²·9 floats = 600 MB) is refused on its size, before anything is allocated. */
    @Test
    void hugeChannelCountIsCheckedAgainstTheFileLength() throws IOException {
        byte[] b = Files.readAllBytes(saved());
        ByteBuffer.wrap(b).putInt(F_START + 4, 4096);
        String m = assertRefused(b, "truncated: a 4096-channel net takes " + NetWeights.serializedBytes(4096) + " bytes");
        assertTrue(m.contains("only " + (b.length - FILE_HEADER) + " are left"), m);
        ByteBuffer.wrap(b).putInt(F_START + 4, 4097);
        assertRefused(b, "implausible channel count 4097");
        ByteBuffer.wrap(b).putInt(F_START + 4, -1);
        assertRefused(b, "implausible channel count -1");
    }

    @Test
    void netsOfDifferentWidths() throws IOException {
        Path file = dir.resolve("mixed.n2dw");
        byte[] f = Files.readAllBytes(saved());
        Path wide = dir.resolve("wide.n2dw");
        new WarmWeights(NetWeights.initialise(C + 1, 1), NetWeights.initialise(C + 1, 2)).save(wide);
        byte[] w = Files.readAllBytes(wide);
        int wideNet = (int) NetWeights.serializedBytes(C + 1);
        // f's file up to and including the g flag, then the wide file's g
        byte[] mixed = new byte[G_FLAG + 1 + wideNet];
        System.arraycopy(f, 0, mixed, 0, G_FLAG + 1);
        System.arraycopy(w, w.length - wideNet, mixed, G_FLAG + 1, wideNet);
        Files.write(file, mixed);
        IOException e = assertThrows(IOException.class, () -> WarmWeights.load(file));
        assertTrue(e.getMessage().contains("net f has 3 channels, net g 4"), e.getMessage());
        assertArrayEquals(mixed, Files.readAllBytes(file), "a refused file is never modified");
    }

    @Test
    void missingFile() {
        IOException e = assertThrows(IOException.class, () -> WarmWeights.load(dir.resolve("none.n2dw")));
        assertTrue(e.getMessage().contains("no weights file at"), e.getMessage());
    }

    private String assertRefused(byte[] content, String expected) throws IOException {
        Path file = dir.resolve("corrupt.n2dw");
        Files.write(file, content);
        IOException e = assertThrows(IOException.class, () -> WarmWeights.load(file));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        return e.getMessage();
    }
}
