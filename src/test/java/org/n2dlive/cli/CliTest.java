package org.n2dlive.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.io.ImageFiles;

class CliTest {
    private static final Path DATA = org.n2dlive.TestPaths.sharedTestData();
    private static final Path CROPS = DATA == null ? Path.of("missing") : DATA.resolve("reference-crops");

    private static String[] runCapturing(String... args) {
        return CliRun.capture(args);
    }

    private static Path noisyTiff(Path dir, String name, PixelType type, int w, int h) throws Exception {
        Random r = new Random(1);
        Frame f = Frame.allocate(type, w, h);
        for (int i = 0; i < w * h; i++) {
            double v = 0.4 + 0.3 * Math.sin(i % w * 0.3) + 0.05 * r.nextGaussian();
            if (type == PixelType.GRAY8) f.bytes()[i] = (byte) Math.max(0, Math.min(255, Math.round(v * 255)));
            else if (type == PixelType.GRAY16) f.shorts()[i] = (short) Math.max(0, Math.min(65535, Math.round(200 + v * 3000)));
            else f.floats()[i] = (float) v;
        }
        Path p = dir.resolve(name);
        ImageFiles.write(p, List.of(f));
        return p;
    }

    @Test
    void evalPrintsPsnrAndSsimOfTheReferenceCrop() {
        Assumptions.assumeTrue(Files.isDirectory(CROPS), "needs ../shared/test-data");
        String[] r = runCapturing("eval", "--clean", CROPS.resolve("fmd_bpae_f1_clean.tif").toString(),
                CROPS.resolve("fmd_bpae_f1_noisy.tif").toString());
        assertEquals("0", r[0], r[2]);
        String[] lines = r[1].trim().split("\\R");
        assertEquals(2, lines.length, r[1]);
        assertTrue(lines[0].startsWith("PSNR "), lines[0]);
        // ../shared/reference/reference-n2d.json states 36.17 dB for the noisy crop (skimage convention)
        assertEquals(36.17, Double.parseDouble(lines[0].substring(5)), 0.01);
        assertTrue(lines[1].startsWith("SSIM "), lines[1]);
    }

    @Test
    void denoiseWritesAllOutputsAndNeverTouchesTheInput(@TempDir Path dir) throws Exception {
        for (PixelType type : PixelType.values()) {
            Path in = noisyTiff(dir, "in-" + type + ".tif", type, 22, 18);
            byte[] before = Files.readAllBytes(in);
            Files.setLastModifiedTime(in, FileTime.fromMillis(1_000_000_000_000L));
            Path out = dir.resolve("out-" + type + ".tif");
            String[] r = runCapturing("denoise", in.toString(), "-o", out.toString(), "--steps", "3", "--channels", "4",
                    "--preview", dir.resolve("p-" + type + ".png").toString(), "--save-stages", dir.resolve("s-" + type).toString());
            assertEquals("0", r[0], r[2]);
            Frame o = ImageFiles.read(out).get(0);
            assertEquals(type, o.type());
            assertEquals(22, o.width());
            assertEquals(18, o.height());
            assertTrue(Files.exists(dir.resolve("s-" + type + "-stage1.tif")));
            assertTrue(Files.exists(dir.resolve("s-" + type + "-stage2.tif")));
            BufferedImage preview = ImageIO.read(dir.resolve("p-" + type + ".png").toFile());
            assertTrue(preview.getWidth() >= 44, "preview holds both images side by side");
            assertArrayEquals(before, Files.readAllBytes(in));
            assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(in).toMillis());
        }
    }

    @Test
    void badInputsFailWithAClearMessageAndLoseNothing(@TempDir Path dir) throws Exception {
        Path in = noisyTiff(dir, "in.tif", PixelType.GRAY8, 16, 16);
        byte[] before = Files.readAllBytes(in);
        String[] same = runCapturing("denoise", in.toString(), "-o", in.toString(), "--steps", "1");
        assertEquals("2", same[0]);
        assertTrue(same[2].contains("input file"), same[2]);
        assertArrayEquals(before, Files.readAllBytes(in));

        Path empty = Files.createFile(dir.resolve("empty.tif"));
        String[] e = runCapturing("denoise", empty.toString(), "-o", dir.resolve("x.tif").toString());
        assertEquals("2", e[0]);
        assertTrue(e[2].contains("empty"), e[2]);
        assertFalse(Files.exists(dir.resolve("x.tif")));

        BufferedImage rgb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 1, 0xFF0000);
        Path png = dir.resolve("rgb.png");
        ImageIO.write(rgb, "png", png.toFile());
        String[] c = runCapturing("denoise", png.toString(), "-o", dir.resolve("y.tif").toString());
        assertEquals("2", c[0]);
        assertTrue(c[2].toLowerCase().contains("rgb") || c[2].toLowerCase().contains("colour"), c[2]);

        Frame nan = Frame.allocate(PixelType.FLOAT32, 8, 8);
        nan.floats()[3] = Float.NaN;
        Path nanFile = dir.resolve("nan.tif");
        ImageFiles.write(nanFile, List.of(nan));
        String[] n = runCapturing("denoise", nanFile.toString(), "-o", dir.resolve("z.tif").toString());
        assertEquals("2", n[0]);
        assertTrue(n[2].contains("NaN"), n[2]);
        assertFalse(Files.exists(dir.resolve("z.tif")));
    }
}
