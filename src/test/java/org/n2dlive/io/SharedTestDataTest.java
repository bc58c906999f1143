package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.metrics.Psnr;
import org.n2dlive.metrics.Ssim;

/**
 * Reads every TIFF (and some PNGs) in the shared real-data folder ../shared/test-data and checks shapes, types
 * and pixel sums against values read independently with Python's tifffile 2026.3.3 and imageio; PSNR and
 * SSIM of the reference crops against scikit-image 0.26.0. Skipped when the folder is absent.
 */
class SharedTestDataTest {
    private static Path data;

    /** planes, height, width, type, sum of all pixels, first three pixels. From tifffile. */
    private static final Object[][] TIFFS = {
        {"acsn-tirf-scmos/TIRF_100Hz.tif", 1, 256, 256, PixelType.GRAY16, 7529236.0, 99, 97, 102},
        {"acsn-tirf-scmos/TIRF_200Hz.tif", 20, 256, 256, PixelType.GRAY16, 134744129.0, 103, 100, 100},
        {"acsn-tirf-scmos/TIRF_9Hz.tif", 1, 256, 256, PixelType.GRAY16, 33428832.0, 157, 160, 170},
        {"acsn-tirf-scmos/derived_gain_float32.tif", 1, 256, 256, PixelType.FLOAT32, 32661.421821191907, 0.5263158, 0.47368422, 0.47368422},
        {"acsn-tirf-scmos/derived_offset_uint16.tif", 1, 256, 256, PixelType.GRAY16, 5905502.0, 94, 92, 79},
        {"ncs-eb3-scmos/derived_EB300004_TYX_uint8.tif", 20, 512, 512, PixelType.GRAY8, 565130281.0, 106, 101, 109},
        {"reference-crops/fmd_bpae_f1_clean.tif", 1, 256, 256, PixelType.GRAY8, 458487.0, 5, 5, 5},
        {"reference-crops/fmd_bpae_f1_noisy.tif", 1, 256, 256, PixelType.GRAY8, 465816.0, 4, 3, 3},
        {"reference-crops/w2s_081_0_clean.tif", 1, 256, 256, PixelType.GRAY8, 5786927.0, 8, 8, 9},
        {"reference-crops/w2s_081_0_noisy.tif", 1, 256, 256, PixelType.GRAY8, 4973960.0, 13, 6, 28},
        {"threeb-camera/test_data.tif", 300, 60, 60, PixelType.GRAY16, 8677067373.0, 15986, 17096, 17611},
        {"w2s-widefield/input_avg1_081_0.tif", 1, 512, 512, PixelType.GRAY8, 11249259.0, 10, 2, 9},
        {"w2s-widefield/input_avg1_085_2.tif", 1, 512, 512, PixelType.GRAY8, 19809241.0, 105, 68, 75},
        {"w2s-widefield/target_avg400_081_0.tif", 1, 512, 512, PixelType.GRAY8, 12176446.0, 1, 1, 1},
        {"w2s-widefield/target_avg400_085_2.tif", 1, 512, 512, PixelType.GRAY8, 23452030.0, 141, 142, 151},
    };

    @BeforeAll
    static void findData() {
        data = org.n2dlive.TestPaths.sharedTestData();
    }

    /** Skips without the shared data, or fails when CI requires it ({@link org.n2dlive.TestPaths#assumeShared}). */
    private static void assumeData() {
        data = org.n2dlive.TestPaths.assumeShared("");
    }

    private static List<Path> all(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(suffix)).sorted().collect(Collectors.toList());
        }
    }

    private static double sum(List<Frame> frames) {
        double s = 0;
        for (Frame f : frames) {
            for (int i = 0; i < f.pixelCount(); i++) s += f.get(i);
        }
        return s;
    }

    @Test
    void everyTiffReadsAndKnownOnesMatchTifffile() throws IOException {
        assumeData();
        Map<String, Object[]> known = new HashMap<>();
        for (Object[] row : TIFFS) known.put((String) row[0], row);
        List<Path> tiffs = all(".tif");
        assertTrue(tiffs.size() >= known.size(), "found only " + tiffs.size() + " TIFFs");
        int checked = 0;
        for (Path p : tiffs) {
            List<Frame> frames = ImageFiles.read(p); // TiffReader plus the finiteness check
            Object[] row = known.get(data.relativize(p).toString().replace('\\', '/'));
            if (row == null) continue;
            checked++;
            String name = (String) row[0];
            assertEquals(row[1], frames.size(), name + " planes");
            Frame f = frames.get(0);
            assertEquals(row[2], f.height(), name + " height");
            assertEquals(row[3], f.width(), name + " width");
            assertEquals(row[4], f.type(), name + " type");
            if (f.type() == PixelType.FLOAT32) {
                assertEquals((double) row[5], sum(frames), 1e-6, name + " sum");
                for (int i = 0; i < 3; i++) assertEquals((float) (double) row[6 + i], f.floats()[i], name + " pixel " + i);
            } else {
                assertEquals((double) row[5], sum(frames), 0.0, name + " sum");
                for (int i = 0; i < 3; i++) assertEquals(((Integer) row[6 + i]).doubleValue(), f.get(i), name + " pixel " + i);
            }
        }
        assertEquals(known.size(), checked);
    }

    @Test
    void namedExamplesFromTheBrief() throws IOException {
        assumeData();
        List<Frame> ncs = ImageFiles.read(data.resolve("ncs-eb3-scmos/derived_EB300004_TYX_uint8.tif"));
        assertEquals(20, ncs.size());
        assertEquals(512, ncs.get(19).width());
        assertEquals(512, ncs.get(19).height());
        List<Frame> threeB = ImageFiles.read(data.resolve("threeb-camera/test_data.tif"));
        assertEquals(300, threeB.size());
        assertEquals(60, threeB.get(299).width());
        assertEquals(PixelType.GRAY16, threeB.get(299).type());
    }

    @Test
    void pngFramesRead() throws IOException {
        assumeData();
        // The clean references and one raw frame per field (all 150 raw frames would only repeat this).
        List<Path> pngs = all(".png").stream()
                .filter(p -> p.getFileName().toString().equals("avg50.png") || p.getFileName().toString().endsWith("49.png"))
                .collect(Collectors.toList());
        assertTrue(pngs.size() >= 3);
        for (Path p : pngs) {
            Frame f = ImageFiles.read(p).get(0);
            assertEquals(PixelType.GRAY8, f.type(), p.toString());
            assertEquals(512, f.width(), p.toString());
        }
        Path field1 = data.resolve("fmd-confocal-bpae/field1");
        List<Frame> avg = ImageFiles.read(field1.resolve("avg50.png"));
        assertEquals(2764705.0, sum(avg), 0.0);
        List<Path> frames = ImageFiles.listFrames(field1);
        assertEquals(51, frames.size());
        assertEquals("HV110_P0500510000.png", frames.get(0).getFileName().toString());
        assertEquals(2776877.0, sum(ImageFiles.read(frames.get(0))), 0.0);
    }

    @Test
    void referenceCropScoresMatchScikitImage() throws IOException {
        assumeData();
        // name, PSNR and SSIM from skimage 0.26.0 (images / 255, data_range=1, gaussian_weights, sigma 1.5).
        Object[][] expected = {
            {"fmd_bpae_f1", 36.16814573418856, 0.8708198381014732},
            {"w2s_081_0", 18.04564117291106, 0.2521273066756495},
        };
        for (Object[] e : expected) {
            Frame clean = ImageFiles.read(data.resolve("reference-crops/" + e[0] + "_clean.tif")).get(0);
            Frame noisy = ImageFiles.read(data.resolve("reference-crops/" + e[0] + "_noisy.tif")).get(0);
            float[] c = unit(clean);
            float[] n = unit(noisy);
            assertEquals((double) e[1], Psnr.psnr(c, n, c.length), 1e-4, e[0] + " PSNR");
            assertEquals((double) e[2], Ssim.ssim(c, n, clean.width(), clean.height()), 1e-6, e[0] + " SSIM");
        }
    }

    private static float[] unit(Frame f) {
        float[] out = new float[f.pixelCount()];
        for (int i = 0; i < out.length; i++) out[i] = (float) (f.get(i) / 255.0);
        return out;
    }
}
