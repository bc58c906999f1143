import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.n2dlive.io.Calibration;
import org.n2dlive.io.Hyperstack;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.metrics.Psnr;
import org.n2dlive.n2d.SeriesDenoiser;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.DenoiseReport;

/**
 * Benchmark for the z-slice and position decisions (issue: real multi-dimensional data): should the z-slices of one
 * channel share one model, or each have its own, starting from the channel's weights? And positions? There is no
 * real z-stack in the shared test data, so this makes a defocus series from a real clean image (FMD field 1's 50-frame
 * mean): slice z is the image blurred by a Gaussian of sigma {@code step · |z − centre|} px, with shot noise drawn at
 * {@code electrons} per unit intensity (16-bit, offset 100, gain 2 ADU/e-). Acquisition order: time outermost, then z.
 * Run from the repository root after a build:
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/ZShare.java \
 *       ../shared/test-data/reference-crops/fmd_bpae_f1_clean.tif 5 12 balanced
 * </pre>
 * Both arms run the product's {@code SeriesDenoiser}: (a) with a model per series, each warming up from its
 * channel's weights (what every slice had before series shared a model); (b) as the product runs them, sharing one
 * model, each slice with its own scene detector and temporal stage. Prints
 * the mean PSNR of each slice over its last half of frames (against its clean slice, data range = the clean peak)
 * and the mean ms per frame. Modes in lower case run the profile with temporal = off; in upper case with temporal =
 * on. Default modes: abAB.
 * <pre>
 *   ZShare make  CLEAN.tif 5 12 z.tif      # the same series as an ImageJ hyperstack (1 channel, 5 slices, 12 frames)
 *   ./n2d stream --source z.tif --profile balanced --set policy=record --fps 0 --json -o out.tif
 *   ZShare check CLEAN.tif 5 12 out.tif    # PSNR per slice of the stream's output, as above
 *   ZShare positions balanced 30 ../shared/test-data/fmd-confocal-bpae/field{1,2,3}   # three real fields as positions
 * </pre>
 * positions: the centre 256x256 of three real FMD fields (8-bit, first FRAMES raw frames, clean avg50.png) as three
 * stage positions interleaved frame by frame, each with its own model (a) or sharing one as slices do (b).
 */
public final class ZShare {
    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && (args[0].equals("make") || args[0].equals("check"))) {
            // make CLEAN.tif SLICES FRAMES OUT.tif [sigma-step] [electrons]: the same defocus series as an ImageJ
            // hyperstack (1 channel, SLICES slices, FRAMES frames), for ./n2d stream; check ... OUT.tif with the
            // stream's output instead: PSNR per slice over its last half of frames, against its clean slice.
            Series zs = series(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 5 ? Double.parseDouble(args[5]) : 1.0, args.length > 6 ? Double.parseDouble(args[6]) : 200);
            if (args[0].equals("make")) make(zs, Path.of(args[4]));
            else check(zs, Path.of(args[4]));
            return;
        }
        if (args.length >= 5 && args[0].equals("positions")) {
            positions(Profile.resolve(args[1]), Integer.parseInt(args[2]), args.length > 6 ? args[6] : "abAB",
                    new Path[] {Path.of(args[3]), Path.of(args[4]), Path.of(args[5])});
            return;
        }
        if (args.length < 4) {
            System.err.println("usage: ZShare CLEAN.tif SLICES FRAMES PROFILE [sigma-step=1.0] [electrons=200] [modes=abAB]\n"
                    + "       ZShare make|check CLEAN.tif SLICES FRAMES STACK.tif [sigma-step=1.0] [electrons=200]\n"
                    + "       ZShare positions PROFILE FRAMES FIELD1 FIELD2 FIELD3 [modes=abAB]");
            System.exit(2);
        }
        Profile profile = Profile.resolve(args[3]);
        Series zs = series(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                args.length > 4 ? Double.parseDouble(args[4]) : 1.0, args.length > 5 ? Double.parseDouble(args[5]) : 200);
        System.out.printf(Locale.ROOT, "defocus series from %s: %d slices (sigma step %.1f px) x %d frames, %dx%d, %.0f e- at peak%n",
                args[0], zs.clean.length, zs.step, zs.noisy.length, zs.w, zs.h, zs.electrons);
        for (char mode : (args.length > 6 ? args[6] : "abAB").toCharArray()) run(mode, profile, zs.noisy, zs.clean, zs.w, zs.h, zs.electrons);
    }

    /** The defocus series: noisy[t][z] (16-bit counts), clean[z] (unit: the clean peak at 1). */
    static final class Series {
        Frame[][] noisy;
        float[][] clean;
        int w, h;
        double step, electrons;
    }

    static Series series(Path cleanFile, int slices, int frames, double step, double electrons) throws Exception {
        Frame cleanFrame = ImageFiles.read(cleanFile).get(0);
        int w = cleanFrame.width(), h = cleanFrame.height(), n = w * h;
        double full = cleanFrame.type().fullScale();
        float[] scene = new float[n];
        for (int i = 0; i < n; i++) scene[i] = (float) (cleanFrame.get(i) / full);
        float peak = 0;
        for (float v : scene) peak = Math.max(peak, v);
        float[][] clean = new float[slices][];
        for (int z = 0; z < slices; z++) {
            clean[z] = blur(scene, w, h, step * Math.abs(z - (slices - 1) / 2.0));
            for (int i = 0; i < n; i++) clean[z][i] /= peak; // unit: the clean peak at 1
        }
        Random r = new Random(11);
        Frame[][] noisy = new Frame[frames][slices];
        for (int t = 0; t < frames; t++) {
            for (int z = 0; z < slices; z++) {
                short[] px = new short[n];
                for (int i = 0; i < n; i++) {
                    double e = electrons * clean[z][i];
                    px[i] = (short) Math.min(65_535, Math.round(100 + 2 * Math.max(0, e + Math.sqrt(e) * r.nextGaussian())));
                }
                noisy[t][z] = Frame.wrap(w, h, px);
            }
        }
        Series s = new Series();
        s.noisy = noisy;
        s.clean = clean;
        s.w = w;
        s.h = h;
        s.step = step;
        s.electrons = electrons;
        return s;
    }

    static void make(Series zs, Path out) throws Exception {
        List<Frame> planes = new ArrayList<>(); // time outermost, then z: Hyperstack's plane order for 1 channel
        for (Frame[] t : zs.noisy) for (Frame z : t) planes.add(z);
        Calibration cal = new Calibration(0.108, 0.108, "micron", 0.5, 1.0, List.of("GFP"));
        ImageFiles.write(out, new Hyperstack(planes, 1, 1, zs.clean.length, zs.noisy.length, cal, true));
        System.out.println("wrote " + out + ": " + zs.noisy.length + " frames x " + zs.clean.length + " slices, "
                + zs.w + "x" + zs.h + ", 16-bit");
    }

    static void check(Series zs, Path out) throws Exception {
        Hyperstack b = ImageFiles.readStack(out);
        int frames = zs.noisy.length, slices = zs.clean.length, n = zs.w * zs.h;
        float[] unit = new float[n];
        double mean = 0, meanRaw = 0;
        StringBuilder s = new StringBuilder();
        for (int z = 0; z < slices; z++) {
            double psnr = 0, raw = 0;
            int counted = 0;
            for (int t = frames / 2; t < frames; t++) {
                Frame y = b.plane(0, 0, z, t);
                for (int i = 0; i < n; i++) unit[i] = (float) ((y.get(i) - 100) / (2 * zs.electrons));
                psnr += Psnr.psnr(zs.clean[z], unit, n);
                for (int i = 0; i < n; i++) unit[i] = (float) ((zs.noisy[t][z].get(i) - 100) / (2 * zs.electrons));
                raw += Psnr.psnr(zs.clean[z], unit, n);
                counted++;
            }
            s.append(String.format(Locale.ROOT, " z%d %.2f (raw %.2f)", z, psnr / counted, raw / counted));
            mean += psnr / counted / slices;
            meanRaw += raw / counted / slices;
        }
        System.out.printf(Locale.ROOT, "%s: PSNR over each slice's last %d frames:%s | mean %.2f dB (raw %.2f)%n", out,
                frames - frames / 2, s, mean, meanRaw);
    }

    static void run(char mode, Profile profile, Frame[][] noisy, float[][] clean, int w, int h, double electrons) throws Exception {
        run(mode, profile, noisy, clean, w, h, 100, 2 * electrons, "slice");
    }

    /**
     * Runs the series k = 0..K-1 (noisy[t][k], time outermost; z-slices or stage positions of one channel) through
     * the product's {@link SeriesDenoiser}: sharing one model (mode b/B, the product's policy), or each with its own
     * model that starts from the channel's weights and warms up on its own scene (mode a/A: what every series had
     * before they shared). Upper case: temporal = on. Prints the mean PSNR of each series over its last half of
     * frames, against clean[k] in unit range (unit = (counts − offset) / divisor).
     */
    static void run(char mode, Profile profile, Frame[][] noisy, float[][] clean, int w, int h, double offset,
                    double divisor, String what) throws Exception {
        int frames = noisy.length, series = clean.length, n = w * h;
        double[] psnr = new double[series];
        double[] raw = new double[series];
        int counted = 0;
        long nanos = 0;
        int warmups = 0;
        int refits = 0;
        float[] unit = new float[n];
        boolean shared = Character.toLowerCase(mode) == 'b';
        boolean temporal = Character.isUpperCase(mode);
        Profile p = profile.with("temporal", temporal ? "on" : "off");
        try (SeriesDenoiser d = LiveModels.stack(p, System.err::println, shared)) {
            Frame out = Frame.allocate(noisy[0][0].type(), 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                boolean count = t >= frames / 2;
                if (count) counted++;
                for (int k = 0; k < series; k++) {
                    rep.reset();
                    long t0 = System.nanoTime();
                    d.denoise("slice".equals(what) ? new SeriesKey(0, 0, k) : new SeriesKey(k, 0, 0), noisy[t][k], out, rep);
                    nanos += System.nanoTime() - t0;
                    if (rep.refitted) warmups++;
                    refits = Math.max(refits, rep.refits);
                    if (!count) continue;
                    for (int i = 0; i < n; i++) unit[i] = (float) ((out.get(i) - offset) / divisor);
                    psnr[k] += Psnr.psnr(clean[k], unit, n);
                    for (int i = 0; i < n; i++) unit[i] = (float) ((noisy[t][k].get(i) - offset) / divisor);
                    raw[k] += Psnr.psnr(clean[k], unit, n);
                }
            }
            StringBuilder s = new StringBuilder("(" + mode + ") " + (shared ? "one model for all, a scene detector and "
                    + "temporal stage per " + what : "a model per " + what + ", warm-up from the channel's weights")
                    + (temporal ? ", temporal on:" : ", temporal off:"));
            double mean = 0;
            for (int k = 0; k < series; k++) {
                s.append(String.format(Locale.ROOT, " %s%d %.2f (raw %.2f)", what.charAt(0) == 's' ? "z" : "p", k,
                        psnr[k] / counted, raw[k] / counted));
                mean += psnr[k] / counted / series;
            }
            s.append(String.format(Locale.ROOT, " | mean %.2f dB, %.0f ms/frame (under load), N2D models %d, warm-ups "
                    + "started %d, re-fits %d", mean, nanos / 1e6 / (frames * series), d.modelsBuilt(), warmups, refits));
            System.out.println(s);
        }
    }

    /**
     * Three real fields (FMD BPAE, 8-bit, centre 256x256 of each, the first FRAMES raw frames, clean avg50.png) as
     * three stage positions interleaved frame by frame: should positions of one channel share a model, as z-slices do?
     */
    static void positions(Profile profile, int frames, String modes, Path[] fields) throws Exception {
        int crop = 256;
        int k = fields.length;
        Frame[][] noisy = new Frame[frames][k];
        float[][] clean = new float[k][];
        for (int f = 0; f < k; f++) {
            List<Path> raw;
            try (Stream<Path> files = Files.list(fields[f])) {
                raw = files.filter(x -> x.getFileName().toString().startsWith("HV110_")).sorted().collect(Collectors.toList());
            }
            Frame avg = centre(ImageFiles.read(fields[f].resolve("avg50.png")).get(0), crop);
            clean[f] = new float[crop * crop];
            for (int i = 0; i < clean[f].length; i++) clean[f][i] = (float) (avg.get(i) / 255.0);
            for (int t = 0; t < frames; t++) noisy[t][f] = centre(ImageFiles.read(raw.get(t % raw.size())).get(0), crop);
        }
        System.out.printf(Locale.ROOT, "FMD fields as %d positions: %d frames each, centre %dx%d%n", k, frames, crop, crop);
        for (char mode : modes.toCharArray()) run(mode, profile, noisy, clean, crop, crop, 0, 255, "position");
    }

    /** The centre size x size of an 8-bit frame. */
    static Frame centre(Frame f, int size) {
        int x0 = (f.width() - size) / 2, y0 = (f.height() - size) / 2;
        byte[] px = new byte[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) px[y * size + x] = (byte) (int) f.get(x0 + x, y0 + y);
        }
        return Frame.wrap(size, size, px);
    }

    /** Gaussian blur, separable, edges reflected; sigma 0 returns a copy. */
    static float[] blur(float[] src, int w, int h, double sigma) {
        if (sigma <= 0) return src.clone();
        int rad = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * rad + 1];
        double sum = 0;
        for (int i = -rad; i <= rad; i++) sum += k[i + rad] = Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        float[] tmp = new float[w * h], out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = -rad; i <= rad; i++) a += k[i + rad] * src[y * w + reflect(x + i, w)];
                tmp[y * w + x] = (float) a;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = 0;
                for (int i = -rad; i <= rad; i++) a += k[i + rad] * tmp[reflect(y + i, h) * w + x];
                out[y * w + x] = (float) a;
            }
        }
        return out;
    }

    static int reflect(int i, int n) {
        if (i < 0) return -i - 1 < n ? -i - 1 : 0;
        return i >= n ? Math.max(0, 2 * n - i - 1) : i;
    }
}
