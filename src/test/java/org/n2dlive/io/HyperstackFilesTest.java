package org.n2dlive.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ShortProcessor;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.SeriesKey;

/**
 * Axes and calibration through our TIFF reader and writer, checked against ImageJ itself (the program most of
 * our users open these files in): what we write, ImageJ reads with the same dimensions, calibration, channel
 * names and pixels; what ImageJ writes, we read the same way.
 */
class HyperstackFilesTest {
    @TempDir
    Path dir;

    /** 16-bit, 2 channels × 1 slice × 4 frames; channel c, frame t, pixel i hold a value unique to all three. */
    private static Hyperstack tcyx() {
        List<Frame> planes = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            for (int c = 0; c < 2; c++) {
                short[] px = new short[12 * 10];
                for (int i = 0; i < px.length; i++) px[i] = (short) ((c == 0 ? 1_100 : 30_100) + 7 * t + i);
                planes.add(Frame.wrap(12, 10, px));
            }
        }
        org.n2dlive.io.Calibration cal = new org.n2dlive.io.Calibration(0.108, 0.108, "micron", 0, 0.5,
                List.of("DAPI", "GFP"));
        return new Hyperstack(planes, 1, 2, 1, 4, cal, true);
    }

    @Test
    void imageJOpensOurHyperstackWithItsAxesCalibrationAndPixels() throws IOException {
        Path f = dir.resolve("tcyx.tif");
        Hyperstack in = tcyx();
        ImageFiles.write(f, in);

        ImagePlus imp = IJ.openImage(f.toString());
        assertEquals(2, imp.getNChannels());
        assertEquals(1, imp.getNSlices());
        assertEquals(4, imp.getNFrames());
        assertTrue(imp.isHyperStack());
        Calibration cal = imp.getCalibration();
        assertEquals(0.108, cal.pixelWidth, 1e-9);
        assertEquals(0.108, cal.pixelHeight, 1e-9);
        assertEquals("micron", cal.getUnit()); // ImageJ's own spelling of µm, shown as µm on its scale bar
        assertEquals(0.5, cal.frameInterval, 1e-12);
        ImageStack st = imp.getStack();
        for (int t = 0; t < 4; t++) {
            for (int c = 0; c < 2; c++) {
                int n = imp.getStackIndex(c + 1, 1, t + 1);
                assertArrayEquals(in.plane(0, c, 0, t).shorts(), (short[]) st.getProcessor(n).getPixels());
                assertEquals(c == 0 ? "DAPI" : "GFP", st.getSliceLabel(n));
            }
        }
    }

    @Test
    void weReadImageJsHyperstackAsImageJSeesIt() throws IOException {
        ImageStack st = new ImageStack(8, 6);
        int channels = 3, slices = 2, frames = 2;
        for (int t = 0; t < frames; t++) {
            for (int z = 0; z < slices; z++) {
                for (int c = 0; c < channels; c++) {
                    short[] px = new short[48];
                    for (int i = 0; i < px.length; i++) px[i] = (short) (1000 * c + 100 * z + 10 * t + i);
                    st.addSlice("ch" + c, new ShortProcessor(8, 6, px, null));
                }
            }
        }
        ImagePlus imp = new ImagePlus("ij", st);
        imp.setDimensions(channels, slices, frames);
        imp.setOpenAsHyperStack(true);
        Calibration cal = imp.getCalibration();
        cal.pixelWidth = 0.065;
        cal.pixelHeight = 0.065;
        cal.pixelDepth = 0.3;
        cal.setUnit("micron");
        cal.frameInterval = 2.5;
        Path f = dir.resolve("ij.tif");
        assertTrue(new FileSaver(imp).saveAsTiff(f.toString()));

        Hyperstack s = ImageFiles.readStack(f);
        assertEquals(1, s.positions());
        assertEquals(channels, s.channels());
        assertEquals(slices, s.slices());
        assertEquals(frames, s.frames());
        assertEquals(0.065, s.calibration().pixelWidth(), 1e-7);
        assertEquals("micron", s.calibration().unit());
        assertEquals(0.3, s.calibration().zStep(), 1e-12);
        assertEquals(2.5, s.calibration().frameIntervalSeconds(), 1e-12);
        assertEquals(List.of("ch0", "ch1", "ch2"), s.calibration().channelNames());
        for (int t = 0; t < frames; t++) {
            for (int z = 0; z < slices; z++) {
                for (int c = 0; c < channels; c++) {
                    assertEquals(1000 * c + 100 * z + 10 * t + 5, s.plane(0, c, z, t).get(5), "c" + c + " z" + z + " t" + t);
                }
            }
        }
        // One series per (channel, z), each with its frames in time order.
        assertEquals(channels * slices, s.seriesCount());
        List<Frame> series = s.series(new SeriesKey(0, 2, 1));
        assertEquals(2, series.size());
        assertEquals(2000 + 100 + 10, series.get(1).get(0));
    }

    @Test
    void writingBackWhatWeReadKeepsEverything() throws IOException {
        Path a = dir.resolve("a.tif");
        Path b = dir.resolve("b.tif");
        Hyperstack in = tcyx();
        ImageFiles.write(a, in);
        Hyperstack once = ImageFiles.readStack(a);
        ImageFiles.write(b, once.withPlanes(once.planes()));
        Hyperstack twice = ImageFiles.readStack(b);
        assertEquals(in.calibration(), once.calibration());
        assertEquals(in.calibration(), twice.calibration());
        assertEquals(4, twice.frames());
        assertEquals(2, twice.channels());
        for (int i = 0; i < in.planes().size(); i++) {
            assertArrayEquals(in.planes().get(i).shorts(), twice.planes().get(i).shorts());
        }
    }

    @Test
    void aPlainStackStaysATimeSeriesAndIsWrittenBackPlain() throws IOException {
        List<Frame> planes = new ArrayList<>();
        for (int i = 0; i < 5; i++) planes.add(Frame.wrap(4, 4, new byte[16]));
        Path f = dir.resolve("plain.tif");
        ImageFiles.write(f, planes);
        Hyperstack s = ImageFiles.readStack(f);
        assertEquals(5, s.frames());
        assertEquals(1, s.seriesCount());
        assertFalse(s.axesDeclared());
        ImagePlus imp = IJ.openImage(f.toString());
        assertEquals(5, imp.getStackSize());
        assertEquals("pixel", imp.getCalibration().getUnit());
    }

    @Test
    void severalPositionsGoToOmeXmlAndComeBack() throws IOException {
        List<Frame> planes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            for (int t = 0; t < 2; t++) {
                for (int c = 0; c < 2; c++) planes.add(Frame.wrap(4, 4, new short[] {(short) (100 * p + 10 * t + c), 0, 0, 0,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
            }
        }
        org.n2dlive.io.Calibration cal = new org.n2dlive.io.Calibration(0.2, 0.2, "micron", 0, 1.5, List.of("a&b", "GFP"));
        Path f = dir.resolve("multi.ome.tif");
        ImageFiles.write(f, new Hyperstack(planes, 3, 2, 1, 2, cal, true));
        Hyperstack s = ImageFiles.readStack(f);
        assertEquals(3, s.positions());
        assertEquals(2, s.channels());
        assertEquals(2, s.frames());
        assertEquals(cal, s.calibration());
        assertEquals(6, s.seriesCount());
        assertEquals(211, s.plane(2, 1, 0, 1).get(0));
    }

    /** An OME-TIFF whose planes are stored z-fastest (XYZCT), mapped by TiffData, as other writers do. */
    @Test
    void omeDimensionOrderAndTiffDataPlaceEachPlane() throws IOException {
        String xml = "<?xml version=\"1.0\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\">"
                + "<Image ID=\"Image:0\"><Pixels ID=\"Pixels:0\" DimensionOrder=\"XYZCT\" Type=\"uint8\" SizeX=\"2\""
                + " SizeY=\"1\" SizeC=\"2\" SizeZ=\"3\" SizeT=\"1\" PhysicalSizeX=\"250\" PhysicalSizeXUnit=\"nm\""
                + " PhysicalSizeY=\"250\" PhysicalSizeZ=\"0.5\"><Channel ID=\"Channel:0\" Name=\"Cy5\"/>"
                + "<Channel ID=\"Channel:1\" Name=\"GFP\"/><TiffData IFD=\"0\" PlaneCount=\"6\"/></Pixels></Image></OME>";
        TiffBuilder b = new TiffBuilder(ByteOrder.BIG_ENDIAN);
        for (int k = 0; k < 6; k++) {
            TiffBuilder.Page p = b.page().gray(2, 1, 8, 1, 1).strips(new byte[] {(byte) k, 0});
            if (k == 0) p.ascii(270, xml);
        }
        Path f = dir.resolve("order.ome.tif");
        Files.write(f, b.build());
        Hyperstack s = ImageFiles.readStack(f);
        assertEquals(2, s.channels());
        assertEquals(3, s.slices());
        // Page k = z + 3c in XYZCT.
        for (int c = 0; c < 2; c++) {
            for (int z = 0; z < 3; z++) assertEquals(z + 3 * c, s.plane(0, c, z, 0).get(0), "c" + c + " z" + z);
        }
        assertEquals("nm", s.calibration().unit());
        assertEquals(250, s.calibration().pixelWidth(), 0);
        assertEquals(List.of("Cy5", "GFP"), s.calibration().channelNames());
    }

    /** Micro-Manager's per-plane JSON places pages written in acquisition order. */
    @Test
    void microManagerPlaneMetadataPlacesPages() throws IOException {
        TiffBuilder b = new TiffBuilder(ByteOrder.LITTLE_ENDIAN);
        int[][] order = {{0, 1}, {0, 0}, {1, 1}, {1, 0}}; // {frame, channel}, channel 1 acquired first
        for (int[] tc : order) {
            b.page().gray(1, 1, 8, 1, 1).strips(new byte[] {(byte) (10 * tc[0] + tc[1])})
                    .ascii(51123, "{\"ChannelIndex\":" + tc[1] + ",\"SliceIndex\":0,\"FrameIndex\":" + tc[0]
                            + ",\"PositionIndex\":0,\"Camera\":\"Cam\"}");
        }
        Path f = dir.resolve("mm.tif");
        Files.write(f, b.build());
        Hyperstack s = ImageFiles.readStack(f);
        assertEquals(2, s.channels());
        assertEquals(2, s.frames());
        for (int t = 0; t < 2; t++) {
            for (int c = 0; c < 2; c++) assertEquals(10 * t + c, s.plane(0, c, 0, t).get(0));
        }
    }

    @Test
    void inconsistentAxesAreRefusedWithTheirCounts() throws IOException {
        TiffBuilder b = new TiffBuilder(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 6; k++) {
            TiffBuilder.Page p = b.page().gray(1, 1, 8, 1, 1).strips(new byte[] {(byte) k});
            if (k == 0) p.ascii(270, "ImageJ=1.54f\nimages=6\nchannels=2\nslices=2\nframes=2\nhyperstack=true\n");
        }
        Path f = dir.resolve("bad.tif");
        Files.write(f, b.build());
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.readStack(f));
        assertTrue(e.getMessage().contains("2 channels × 2 slices × 2 frames = 8 planes, but the file holds 6"),
                e.getMessage());
        // The plain reader still returns every page: nothing is lost to a bad description.
        assertEquals(6, ImageFiles.read(f).size());
    }

    @Test
    void aMultiFileOmeDatasetIsNamedInTheError() throws IOException {
        String xml = "<OME><Image ID=\"Image:0\"><Pixels DimensionOrder=\"XYCZT\" SizeC=\"1\" SizeZ=\"1\" SizeT=\"2\">"
                + "<TiffData IFD=\"0\" PlaneCount=\"1\"><UUID FileName=\"here.ome.tif\">u</UUID></TiffData>"
                + "<TiffData IFD=\"0\" FirstT=\"1\" PlaneCount=\"1\"><UUID FileName=\"other.ome.tif\">v</UUID></TiffData>"
                + "</Pixels></Image></OME>";
        TiffBuilder b = new TiffBuilder(ByteOrder.LITTLE_ENDIAN);
        b.page().gray(1, 1, 8, 1, 1).strips(new byte[] {1}).ascii(270, xml);
        Path f = dir.resolve("here.ome.tif");
        Files.write(f, b.build());
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.readStack(f));
        assertTrue(e.getMessage().contains("other.ome.tif"), e.getMessage());
    }
}
