import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.metrics.Psnr;
import org.n2dlive.n2d.SeriesDenoiser;
import org.n2dlive.n2d.TemporalDenoiser;
import org.n2dlive.n2d.WarmStartDenoiser;
import org.n2dlive.profile.ProfileKey;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.DenoiseReport;

/**
 * Benchmark for the z-slice decision (issue: real multi-dimensional data): should the z-slices of one channel share
 * one model, or each have its own, starting from the channel's weights? There is no real z-stack in the shared test
 * data, so this makes a defocus series from a real clean image (FMD field 1's 50-frame mean): slice z is the image
 * blurred by a Gaussian of sigma {@code step · |z − centre|} px, with shot noise drawn at {@code electrons} per unit
 * intensity (16-bit, offset 100, gain 2 ADU/e-). Acquisition order: time outermost, then z. Run from the repository
 * root after a build:
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/ZShare.java \
 *       ../shared/test-data/reference-crops/fmd_bpae_f1_clean.tif 5 12 balanced
 * </pre>
 * Prints, for (a) one model per slice that warms up from its channel's weights (today's policy) and (b) one model
 * for all slices of the channel, the mean PSNR of each slice
 * over its last half of frames (against its clean slice, data range = the clean peak) and the mean ms per frame.
 * Modes in lower case run the profile with temporal = off (the weights alone); in upper case with temporal = on, and
 * then temporal history pairs a frame only with earlier frames of its own slice (B: one N2D model behind one temporal
 * filter per slice). Default modes: abAB.
 */
public final class ZShare {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ZShare CLEAN.tif SLICES FRAMES PROFILE [sigma-step=1.0] [electrons=200] [modes=abAB]");
            System.exit(2);
        }
        Frame cleanFrame = ImageFiles.read(Path.of(args[0])).get(0);
        int slices = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        Profile profile = Profile.resolve(args[3]);
        double step = args.length > 4 ? Double.parseDouble(args[4]) : 1.0;
        double electrons = args.length > 5 ? Double.parseDouble(args[5]) : 200;
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
        System.out.printf(Locale.ROOT, "defocus series from %s: %d slices (sigma step %.1f px) x %d frames, %dx%d, %.0f e- at peak%n",
                args[0], slices, step, frames, w, h, electrons);
        for (char mode : (args.length > 6 ? args[6] : "abAB").toCharArray()) run(mode, profile, noisy, clean, w, h, electrons);
    }

    static void run(char mode, Profile profile, Frame[][] noisy, float[][] clean, int w, int h, double electrons) throws Exception {
        int frames = noisy.length, slices = clean.length, n = w * h;
        double[] psnr = new double[slices];
        double[] raw = new double[slices];
        int counted = 0;
        long nanos = 0;
        int warmups = 0;
        float[] unit = new float[n];
        boolean shared = mode == 'b';
        boolean temporal = Character.isUpperCase(mode);
        Profile p = profile.with("temporal", temporal ? "on" : "off");
        // B: one N2D model for all slices behind one temporal filter per slice (history only within a slice)
        WarmStartDenoiser sharedN2d = mode == 'B' ? WarmStartDenoiser.create(p) : null;
        FrameDenoiser view = sharedN2d == null ? null : new FrameDenoiser() {
            @Override
            public void denoise(Frame src, Frame dst, DenoiseReport report) {
                sharedN2d.denoise(src, dst, report);
            }

            @Override
            public void close() {
            }
        };
        int maxFrames = Integer.parseInt(p.get(ProfileKey.TEMPORAL_MAX_FRAMES));
        try (SeriesDenoiser d = new SeriesDenoiser(() -> view != null ? new TemporalDenoiser(view, maxFrames)
                : TemporalDenoiser.create(p), 8, 1024, System.err::println)) {
            Frame out = Frame.allocate(PixelType.GRAY16, 1, 1);
            DenoiseReport rep = new DenoiseReport();
            for (int t = 0; t < frames; t++) {
                boolean count = t >= frames / 2;
                if (count) counted++;
                for (int z = 0; z < slices; z++) {
                    rep.reset();
                    long t0 = System.nanoTime();
                    d.denoise(new SeriesKey(0, 0, shared ? 0 : z), noisy[t][z], out, rep);
                    nanos += System.nanoTime() - t0;
                    if (rep.refitted) warmups++;
                    if (!count) continue;
                    for (int i = 0; i < n; i++) unit[i] = (float) ((out.get(i) - 100) / (2 * electrons));
                    psnr[z] += Psnr.psnr(clean[z], unit, n);
                    for (int i = 0; i < n; i++) unit[i] = (float) ((noisy[t][z].get(i) - 100) / (2 * electrons));
                    raw[z] += Psnr.psnr(clean[z], unit, n);
                }
            }
            char m = Character.toLowerCase(mode);
            StringBuilder s = new StringBuilder("(" + mode + ") " + (m == 'a' ? "a model per slice, warm-up from the channel's weights"
                    : "one model for all slices of the channel")
                    + (temporal ? ", temporal on:" : ", temporal off:"));
            double mean = 0;
            for (int z = 0; z < slices; z++) {
                s.append(String.format(Locale.ROOT, " z%d %.2f (raw %.2f)", z, psnr[z] / counted, raw[z] / counted));
                mean += psnr[z] / counted / slices;
            }
            s.append(String.format(Locale.ROOT, " | mean %.2f dB, %.0f ms/frame, N2D models %d, warm-ups started %d", mean,
                    nanos / 1e6 / (frames * slices), shared || mode == 'B' ? 1 : d.modelsBuilt(), warmups));
            System.out.println(s);
        } finally {
            if (sharedN2d != null) sharedN2d.close();
        }
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
