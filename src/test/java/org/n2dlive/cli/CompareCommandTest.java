package org.n2dlive.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;

/** {@code n2d compare} end to end on a tiny generated stream, with tiny step counts (the real model, a few seconds). */
class CompareCommandTest {
    @TempDir
    Path dir;

    /** Tiny settings: 8 channels, a few steps, small crops, for both the stream and the full-mode runs. */
    private static final String[] TINY = {"--steps", "5", "--full-channels", "8", "--set", "channels=8", "--set", "initial_steps=5",
        "--set", "initial_crop=16", "--set", "adapt_crop=16", "--set", "adapt_steps=1", "--set", "device=cpu"};

    private static String[] run(String... args) {
        return CliRun.capture(args);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.E+-]+)").matcher(json);
        if (!m.find()) throw new AssertionError("no numeric " + key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    private Path descriptor(int size, int frames) throws Exception {
        Path d = dir.resolve("tiny.stream");
        Files.writeString(d, "kind = synthetic\nscene = cells\nwidth = " + size + "\nheight = " + size
                + "\nphotons = 20\ndrift_x = 0.2\nmoving_objects = 1\nfps = 100\nframe_count = " + frames + "\ncrop = 24\n");
        return d;
    }

    @Test
    void jsonHasEveryFigureAndTheyAreConsistent() throws Exception {
        String[] r = run(concat(new String[] {"compare", "--source", descriptor(32, 14).toString(), "--json"}, TINY));
        assertEquals("0", r[0], r[2]);
        String out = r[1].trim();
        assertTrue(out.startsWith("{") && out.endsWith("}") && !out.contains("\n"), out);
        int split = out.indexOf("\"frames\": [");
        assertTrue(split > 0, out);
        String top = out.substring(0, split);
        String frames = out.substring(split);

        assertEquals(14, number(top, "frame_count"));
        assertEquals(14, number(top, "frames_out"));
        assertEquals(0, number(top, "failed"));
        assertEquals(24, number(top, "width"), "the descriptor's crop");
        assertEquals(4, number(top, "stream_psnr_frames"), "frames 10..13");
        for (String k : new String[] {"stream_psnr_db", "noisy_psnr_db", "stream_psnr_at_full_frames_db", "full_stage2_psnr_db",
            "full_stage3_psnr_db"}) {
            double v = number(top, k);
            assertTrue(v > 5 && v < 60, k + " = " + v);
        }
        double gain = number(top, "gain_db");
        assertEquals(number(top, "stream_psnr_at_full_frames_db") - number(top, "full_stage3_psnr_db"), gain, 1e-3);
        assertEquals(number(top, "stream_psnr_at_full_frames_db") - number(top, "full_stage2_psnr_db"),
                number(top, "gain_vs_stage2_db"), 1e-3);
        double streamMs = number(top, "stream_ms_per_frame");
        double fullS = number(top, "full_s_per_frame");
        assertTrue(streamMs > 0 && fullS > 0, top);
        assertTrue(number(top, "first_frame_ms") > 0, top);
        assertEquals(streamMs / (fullS * 1000), number(top, "cost_ratio"), 1e-3 * number(top, "cost_ratio"));
        assertEquals(5, number(top, "full_steps"));

        // Default --full-at: three frames spread over 10..13.
        Matcher idx = Pattern.compile("\"index\": ([0-9]+)").matcher(frames);
        StringBuilder seen = new StringBuilder();
        while (idx.find()) seen.append(idx.group(1)).append(' ');
        assertEquals("10 12 13 ", seen.toString(), frames);
        for (String k : new String[] {"noisy_psnr_db", "stream_psnr_db", "full_stage2_psnr_db", "full_stage3_psnr_db", "gain_db",
            "stream_ms", "full_s"}) {
            assertTrue(frames.contains("\"" + k + "\": ") && !frames.contains("\"" + k + "\": null"), k + " in " + frames);
        }
        assertTrue(r[2].contains("full N2D frame 13 (3/3) stage 3"), "progress on stderr: " + r[2]);
    }

    @Test
    void textOutputHasTheTableAndTheChosenFrames() throws Exception {
        String[] r = run(concat(new String[] {"compare", "--source", descriptor(24, 6).toString(), "--full-at", "4,1"}, TINY));
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].split("\\R");
        assertTrue(lines[0].trim().startsWith("frame"), r[1]);
        assertTrue(lines[1].trim().startsWith("1 "), r[1]);
        assertTrue(lines[2].trim().startsWith("4 "), r[1]);
        assertTrue(r[1].contains("cost ratio stream/full"), r[1]);
    }

    @Test
    void aSourceWithoutGroundTruthIsRefusedClearly() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("noclean"));
        ImageFiles.write(folder.resolve("a.png"), List.of(Frame.wrap(16, 16, new byte[256])));
        String[] r = run(concat(new String[] {"compare", "--source", folder.toString(), "--frames", "3"}, TINY));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("n2d: error: the source '" + folder + "' has no ground truth; compare needs one"), r[2]);
        assertEquals("", r[1].trim());

        r = run(concat(new String[] {"compare", "--source", descriptor(24, 6).toString(), "--full-at", "6"}, TINY));
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--full-at: frame 6 is outside the streamed frames 0..5"), r[2]);
    }

    @Test
    void defaultFullModeFramesAreSpreadAfterTheFirstTen() {
        assertArrayEquals(new int[] {16, 30, 43}, CompareCommand.chosenFrames(null, 50));
        assertArrayEquals(new int[] {25, 55, 85}, CompareCommand.chosenFrames(null, 100));
        assertArrayEquals(new int[] {10, 12, 13}, CompareCommand.chosenFrames(null, 14));
        assertArrayEquals(new int[] {0, 2, 4}, CompareCommand.chosenFrames(List.of(), 5));
        assertArrayEquals(new int[] {0}, CompareCommand.chosenFrames(null, 1));
        assertArrayEquals(new int[] {3, 7}, CompareCommand.chosenFrames(List.of(7, 3, 7), 8));
        assertThrows(IllegalArgumentException.class, () -> CompareCommand.chosenFrames(List.of(-1), 8));
    }
}
