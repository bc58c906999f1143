import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.Calibration;
import org.n2dlive.io.Hyperstack;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.synth.CellScene;

/**
 * Benchmark helper for the multi-channel case (issue: real multi-dimensional data). Run from the repository root
 * after a build, with the engine on the class path:
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Tcyx.java make tcyx.tif
 *   ./n2d stream --source tcyx.tif --profile balanced --set policy=record --fps 0 -o tcyx-out.tif --json
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Tcyx.java check tcyx.tif tcyx-out.tif
 * </pre>
 * make: a 16-bit ImageJ hyperstack, 8 time points x 2 channels, 256x256, of one generated cell scene: channel 0 at
 * ~1,100 counts, channel 1 at ~30,100 (offset 100, shot noise in electrons at gain 2 ADU/e-), 0.108 um pixels,
 * 0.5 s frame interval, channels DAPI and GFP. check: per channel and frame, input and output means, the largest
 * relative difference, and output pixels at 65,535. positions: an OME-TIFF of many stage positions (the memory
 * bound with more series than live models), e.g.
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Tcyx.java positions p96.ome.tif 96 10
 *   N2D_JAVA_OPTS="-Xmx768m -Xms768m -XX:+AlwaysPreTouch" ./n2d stream --source p96.ome.tif --profile balanced \
 *       --set policy=record --fps 0 --json
 * </pre>
 * (the heap pre-touched, so that growth of {@code rss_mb_*} is native memory).
 */
public final class Tcyx {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("make")) {
            make(Path.of(args[1]));
        } else if (args.length >= 4 && args[0].equals("positions")) {
            positions(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else if (args.length >= 3 && args[0].equals("check")) {
            check(Path.of(args[1]), Path.of(args[2]));
        } else {
            System.err.println("usage: Tcyx make OUT.tif | Tcyx positions OUT.ome.tif POSITIONS FRAMES | Tcyx check IN.tif OUT.tif");
            System.exit(2);
        }
    }

    static void make(Path out) throws Exception {
        int w = 256, h = 256, frames = 8;
        float[] scene = CellScene.draw(w, h, 2);
        double[] peakElectrons = {500, 15_000}; // at gain 2: ~1,100 and ~30,100 counts at the brightest pixels
        Random r = new Random(7);
        List<Frame> planes = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < 2; c++) {
                short[] px = new short[w * h];
                for (int i = 0; i < px.length; i++) {
                    double e = peakElectrons[c] * (0.1 + 0.9 * scene[i]);
                    double n = e + Math.sqrt(e) * r.nextGaussian(); // shot noise, Gaussian at these counts
                    long v = Math.round(100 + 2 * Math.max(0, n));
                    px[i] = (short) Math.min(65_535, v);
                }
                planes.add(Frame.wrap(w, h, px));
            }
        }
        Calibration cal = new Calibration(0.108, 0.108, "micron", 0, 0.5, List.of("DAPI", "GFP"));
        ImageFiles.write(out, new Hyperstack(planes, 1, 2, 1, frames, cal, true));
        System.out.println("wrote " + out + ": 8 frames x 2 channels, 256x256, 16-bit");
    }

    /** An OME-TIFF of many stage positions (each its own generated scene), 16-bit 256x256, one channel. */
    static void positions(Path out, int positions, int frames) throws Exception {
        int w = 256, h = 256;
        Random r = new Random(9);
        float[][] scenes = new float[positions][];
        for (int p = 0; p < positions; p++) scenes[p] = CellScene.draw(w, h, 100 + p);
        List<Frame> planes = new ArrayList<>();
        for (int p = 0; p < positions; p++) {
            for (int t = 0; t < frames; t++) {
                short[] px = new short[w * h];
                for (int i = 0; i < px.length; i++) {
                    double e = 400 * (0.1 + 0.9 * scenes[p][i]);
                    px[i] = (short) Math.min(65_535, Math.round(100 + 2 * Math.max(0, e + Math.sqrt(e) * r.nextGaussian())));
                }
                planes.add(Frame.wrap(w, h, px));
            }
        }
        ImageFiles.write(out, new Hyperstack(planes, positions, 1, 1, frames, Calibration.NONE, true));
        System.out.println("wrote " + out + ": " + positions + " positions x " + frames + " frames, 256x256, 16-bit");
    }

    static void check(Path in, Path out) throws Exception {
        Hyperstack a = ImageFiles.readStack(in);
        Hyperstack b = ImageFiles.readStack(out);
        System.out.println("axes in:  " + a);
        System.out.println("axes out: " + b);
        System.out.println("calibration equal: " + a.calibration().equals(b.calibration()));
        double worst = 0;
        long saturated = 0;
        for (int c = 0; c < a.channels(); c++) {
            for (int t = 0; t < a.frames(); t++) {
                Frame x = a.plane(0, c, 0, t);
                Frame y = b.plane(0, c, 0, t);
                double mx = 0, my = 0;
                for (int i = 0; i < x.pixelCount(); i++) {
                    mx += x.get(i);
                    my += y.get(i);
                    if (y.get(i) >= 65_535) saturated++;
                }
                mx /= x.pixelCount();
                my /= y.pixelCount();
                double rel = Math.abs(my - mx) / mx;
                worst = Math.max(worst, rel);
                System.out.printf(Locale.ROOT, "channel %d frame %d: mean in %.1f out %.1f (%.2f %%)%n", c, t, mx, my, 100 * rel);
            }
        }
        System.out.printf(Locale.ROOT, "largest mean difference %.2f %%, output pixels at 65535: %d%n", 100 * worst, saturated);
    }
}
