package org.n2dlive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.Hyperstack;
import org.n2dlive.io.ImageFiles;

/**
 * The multi-channel case that used to break: a 16-bit TCYX hyperstack whose channels differ ~27× in brightness
 * (channel 0 ≈ 1,100 counts, channel 1 ≈ 30,100). Before, one mapping from the first plane clipped every
 * channel-1 pixel to ≈ 1,249 counts and the axes and calibration were lost. ImageJ itself checks the output.
 */
class HyperstackCliTest {
    static Hyperstack noisyTcyx() {
        return noisyTcyx(2);
    }

    static Hyperstack noisyTcyx(int frames) {
        Random r = new Random(3);
        List<Frame> planes = new ArrayList<>();
        int w = frames > 2 ? 64 : 32;
        int h = w;
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < 2; c++) {
                double base = c == 0 ? 1_100 : 30_100;
                short[] px = new short[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double signal = base * (1 + 0.2 * Math.sin(x / 3.0) * Math.cos(y / 4.0));
                        px[y * w + x] = (short) Math.round(signal + Math.sqrt(signal) * r.nextGaussian());
                    }
                }
                planes.add(Frame.wrap(w, h, px));
            }
        }
        org.n2dlive.io.Calibration cal = new org.n2dlive.io.Calibration(0.108, 0.108, "micron", 0, 0.5,
                List.of("DAPI", "GFP"));
        return new Hyperstack(planes, 1, 2, 1, frames, cal, true);
    }

    private static double mean(Frame f) {
        double s = 0;
        for (int i = 0; i < f.pixelCount(); i++) s += f.get(i);
        return s / f.pixelCount();
    }

    @Test
    void denoiseKeepsEachChannelsLevelAxesAndCalibration(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("tcyx.tif");
        Path out = dir.resolve("out.tif");
        Hyperstack stack = noisyTcyx();
        ImageFiles.write(in, stack);
        Path stages = dir.resolve("stages");
        String[] r = CliRun.capture("denoise", in.toString(), "-o", out.toString(), "--steps", "12", "--channels", "4",
                "--save-stages", stages.toString());
        assertEquals("0", r[0], r[2]);

        ImagePlus imp = IJ.openImage(out.toString());
        assertEquals(2, imp.getNChannels());
        assertEquals(2, imp.getNFrames());
        assertEquals(1, imp.getNSlices());
        Calibration cal = imp.getCalibration();
        assertEquals(0.108, cal.pixelWidth, 1e-9);
        assertEquals("micron", cal.getUnit());
        assertEquals(0.5, cal.frameInterval, 1e-12);

        Hyperstack back = ImageFiles.readStack(out);
        assertEquals(stack.calibration(), back.calibration());
        // Levels on stage 2 (residual nets: y − f(y), close to y after a few steps); stage 3's net g maps the image
        // directly and needs far more than a test's steps to settle its level.
        Hyperstack stage2 = ImageFiles.readStack(Path.of(stages + "-stage2.tif"));
        assertEquals(stack.calibration(), stage2.calibration());
        for (int t = 0; t < 2; t++) {
            for (int c = 0; c < 2; c++) {
                double inMean = mean(stack.plane(0, c, 0, t));
                double outMean = mean(stage2.plane(0, c, 0, t));
                // A few steps are far from a converged fit, so the level is checked loosely here; the clipping this
                // test guards against put channel 1 at 4 % of its level.
                assertEquals(inMean, outMean, 0.05 * inMean, "channel " + c + " frame " + t);
                Frame o = back.plane(0, c, 0, t);
                double max = 0;
                for (int i = 0; i < o.pixelCount(); i++) max = Math.max(max, o.get(i));
                assertTrue(max < 65_535, "no pixel saturated");
            }
        }
    }

    @Test
    void streamRunsOneSeriesPerChannelAndWritesTheHyperstackBack(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("tcyx.tif");
        Path out = dir.resolve("streamed.tif");
        Hyperstack stack = noisyTcyx();
        ImageFiles.write(in, stack);
        String[] r = CliRun.capture("stream", "--source", in.toString(), "--profile", "balanced", "--set", "policy=record",
                "--set", "channels=4", "--set", "initial_steps=4", "--set", "adapt_steps=1", "--set", "engine=pytorch",
                "--fps", "0", "--json", "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals(2, summary.get("series_count").getAsInt(), r[1]);
        assertEquals(0, summary.get("clipped_pixels").getAsLong(), r[1]);
        assertEquals(4, summary.get("frames_out").getAsInt(), r[1]);
        ImagePlus imp = IJ.openImage(out.toString());
        assertEquals(2, imp.getNChannels());
        assertEquals(2, imp.getNFrames());
        assertEquals(0.108, imp.getCalibration().pixelWidth, 1e-9);
        assertEquals("GFP", imp.getStack().getSliceLabel(imp.getStackIndex(2, 1, 1)));
        Hyperstack back = ImageFiles.readStack(out);
        for (int t = 0; t < 2; t++) {
            for (int c = 0; c < 2; c++) {
                double inMean = mean(stack.plane(0, c, 0, t));
                // A residual net starts at f = 0 and a few steps move it little: each channel keeps its level.
                assertEquals(inMean, mean(back.plane(0, c, 0, t)), 0.05 * inMean, "channel " + c + " frame " + t);
            }
        }
    }

    /**
     * The case a new user saw come back as zeros on Zen 5: a 16-bit two-channel hyperstack (4 time points, means near
     * 1,100 and 30,100) streamed with live-fast. Each channel keeps its level within 2 %, nothing is guarded.
     */
    @Test
    void liveFastKeepsEachChannelsLevelOnA16BitHyperstack(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("tcyx4.tif");
        Path out = dir.resolve("streamed.tif");
        Hyperstack stack = noisyTcyx(4);
        ImageFiles.write(in, stack);
        String[] r = CliRun.capture("stream", "--source", in.toString(), "--profile", "live-fast", "--fps", "0",
                "--set", "policy=record", "--json", "-o", out.toString());
        assertEquals("0", r[0], r[2]);
        com.google.gson.JsonObject summary = com.google.gson.JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals(0, summary.get("guarded_frames").getAsLong(), r[1]);
        assertEquals(8, summary.get("frames_out").getAsInt(), r[1]);
        Hyperstack back = ImageFiles.readStack(out);
        for (int t = 0; t < 4; t++) {
            for (int c = 0; c < 2; c++) {
                double inMean = mean(stack.plane(0, c, 0, t));
                assertEquals(inMean, mean(back.plane(0, c, 0, t)), 0.02 * inMean, "channel " + c + " frame " + t);
            }
        }
    }
}
