import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.metrics.Psnr;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;
import org.n2dlive.temporal.PhaseCorrelation;
import org.n2dlive.temporal.Resample;

/**
 * What the data allow, with no denoiser: the figures the warm-up targets are judged against (issue 10). Run from
 * the repository root after a build, with the engine on the class path:
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java drift fmd-bpae-field1-256
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java means fmd-bpae-field1-to-field2-256 25 8 /tmp/f2
 * </pre>
 * drift: per frame of a recording (its natural length) the raw frame's PSNR against the ground truth, the frame's
 * offset from the ground truth (phase correlation, px) and its brightness relative to it, and the PSNR of the
 * ground truth itself moved to that offset and brightness: the clean scene as that frame saw it scores no higher
 * against a fixed reference, so no output of that frame can be expected to either.
 * means: the mean of the first k frames from FROM (k = 1..K) against the ground truth of frame FROM: what temporal
 * averaging alone reaches k frames after a cut. Writes each mean and the ground truth as unit-range float TIFFs
 * (PREFIX-mean-k.tif, PREFIX-clean.tif) for {@code ./n2d denoise} and {@code ./n2d eval}. PSNR as every stream
 * figure states it: both images divided by the frames' full scale, data range 1.
 */
public final class Ceiling {
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("drift")) {
            drift(Sources.open(args[1], null, Double.NaN).source);
        } else if (args.length == 5 && args[0].equals("means")) {
            means(Sources.open(args[1], null, Double.NaN).source, Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
        } else {
            System.err.println("usage: Ceiling drift SOURCE | Ceiling means SOURCE FROM K PREFIX");
            System.exit(2);
        }
    }

    static void drift(FrameSource s) {
        Frame gt = s.groundTruth(0);
        int w = gt.width(), h = gt.height(), n = w * h;
        double scale = s.frame(0).type().fullScale();
        float[] clean = unit(gt, scale);
        PhaseCorrelation pc = new PhaseCorrelation(w, h);
        double[] d = new double[2];
        float[] tmp = new float[n];
        float[] moved = new float[n];
        double cleanMean = mean(clean);
        System.out.println("frame raw_psnr_db dx_px dy_px brightness moved_truth_psnr_db");
        for (int k = 0; k < s.length(); k++) {
            float[] y = unit(s.frame(k), scale);
            pc.estimate(y, clean, d);
            double b = mean(y) / cleanMean;
            Resample.shift(clean, w, h, d[0], d[1], tmp, moved);
            for (int i = 0; i < n; i++) moved[i] *= (float) b;
            System.out.printf(Locale.ROOT, "%d %.2f %.3f %.3f %.4f %.2f%n", k, Psnr.psnr(clean, y, n), d[0], d[1], b,
                    Psnr.psnr(clean, moved, n));
        }
    }

    static void means(FrameSource s, int from, int frames, String prefix) throws Exception {
        Frame gt = s.groundTruth(from);
        int n = gt.pixelCount();
        double scale = s.frame(from).type().fullScale();
        float[] clean = unit(gt, scale);
        ImageFiles.write(Path.of(prefix + "-clean.tif"), List.of(Frame.wrap(gt.width(), gt.height(), clean)));
        double[] sum = new double[n];
        System.out.println("k mean_of_k_psnr_db");
        for (int k = 1; k <= frames; k++) {
            float[] y = unit(s.frame(from + k - 1), scale);
            float[] m = new float[n];
            for (int i = 0; i < n; i++) {
                sum[i] += y[i];
                m[i] = (float) (sum[i] / k);
            }
            List<Frame> one = new ArrayList<>();
            one.add(Frame.wrap(gt.width(), gt.height(), m));
            ImageFiles.write(Path.of(prefix + "-mean-" + k + ".tif"), one);
            System.out.printf(Locale.ROOT, "%d %.2f%n", k, Psnr.psnr(clean, m, n));
        }
    }

    private static float[] unit(Frame f, double scale) {
        float[] u = new float[f.pixelCount()];
        for (int i = 0; i < u.length; i++) u[i] = (float) (f.get(i) / scale);
        return u;
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }
}
