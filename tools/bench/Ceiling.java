import java.util.Arrays;
import java.nio.file.Files;
import com.google.gson.JsonParser;
import com.google.gson.JsonObject;
import com.google.gson.JsonElement;
import com.google.gson.JsonArray;
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
 * (PREFIX-mean-k.tif, PREFIX-clean.tif) for {@code ./n2d denoise} and {@code ./n2d eval}.
 * registered: per frame t of a recording whose truth is the mean of its frames (FMD's avg50), every frame registered
 * onto frame t (phase correlation against the mean, sub-pixel, cubic) and averaged: the scene as frame t saw it,
 * sharper than the mean, which blurs the field's drift. Its PSNR against the mean is the ceiling for any estimate of
 * frame t's scene (an aligned temporal filter, a per-image denoiser). Given a stream's {@code --json --per-frame}
 * output it also predicts what the no-ground-truth readout ({@code estimated_psnr_db}, the error against the current
 * scene) should read against the mean, −10·log10(10^(−readout/10) + 10^(−ceiling/10)), beside the measured PSNR:
 * <pre>
 *   ./n2d stream --source fmd-bpae-field1-256 --profile balanced --set policy=record --fps 0 --json --per-frame &gt; s.json
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java registered fmd-bpae-field1-256 s.json
 * </pre>
 * With a third argument ({@code -} for no stream) it also writes that per-frame truth, brought to each frame's
 * brightness, as a unit-range float TIFF stack (one plane per frame).
 * heldout: frame T's truth from the frames after T only, which no causal output has seen, its own noise taken out
 * of each output's MSE (see {@link #heldOut}):
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java heldout fmd-bpae-field1-256 20 out.tif n2d20.tif
 * </pre>
 * PSNR as every stream figure states it: both images divided by the frames' full scale, data range 1.
 */
public final class Ceiling {
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("drift")) {
            drift(Sources.open(args[1], null, Double.NaN).source);
        } else if (args.length >= 2 && args.length <= 4 && args[0].equals("registered")) {
            registered(Sources.open(args[1], null, Double.NaN).source, args.length >= 3 && !args[2].equals("-") ? Path.of(args[2]) : null,
                    args.length == 4 ? Path.of(args[3]) : null);
        } else if (args.length >= 4 && args[0].equals("heldout")) {
            heldOut(Sources.open(args[1], null, Double.NaN).source, Integer.parseInt(args[2]), Arrays.copyOfRange(args, 3, args.length));
        } else if (args.length == 5 && args[0].equals("means")) {
            means(Sources.open(args[1], null, Double.NaN).source, Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
        } else {
            System.err.println("usage: Ceiling drift SOURCE | Ceiling registered SOURCE [STREAM.json|-] [TRUTH.tif] | Ceiling heldout SOURCE T OUT.tif... | Ceiling means SOURCE FROM K PREFIX");
            System.exit(2);
        }
    }

    /**
     * The registered mean brought to frame t's brightness: the least-squares a·m + c against the noisy frame (noise is
     * in the frame only, so a and c are unbiased). FMD field 3 dims 16 % over its 50 frames; an undimmed truth
     * charges every frame with the bleaching.
     */
    static float[] matchBrightness(float[] m, float[] frame) {
        int n = m.length;
        double sm = 0, sf = 0, smm = 0, smf = 0;
        for (int i = 0; i < n; i++) {
            sm += m[i];
            sf += frame[i];
            smm += (double) m[i] * m[i];
            smf += (double) m[i] * frame[i];
        }
        double a = (smf - sm * sf / n) / (smm - sm * sm / n), c = (sf - a * sm) / n;
        for (int i = 0; i < n; i++) m[i] = (float) (a * m[i] + c);
        return m;
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

    static void registered(FrameSource src, Path stream, Path truthOut) throws Exception {
        int n = src.length();
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        float[][] frames = new float[n][px];
        float[] mean = unit(src.groundTruth(0), scale);
        double[][] d = new double[n][2];
        PhaseCorrelation pc = new PhaseCorrelation(w, h);
        for (int k = 0; k < n; k++) {
            frames[k] = unit(src.frame(k), scale);
            pc.estimate(frames[k], mean, d[k]); // frame_k(x) = mean(x − d_k)
        }
        double[] ceiling = new double[n];
        List<Frame> truth = new ArrayList<>();
        float[] sum = new float[px], shifted = new float[px], whole = new float[px], tmp = new float[px];
        for (int t = 0; t < n; t++) {
            Arrays.fill(sum, 0);
            for (int k = 0; k < n; k++) {
                shift(frames[k], w, h, d[k][0] - d[t][0], d[k][1] - d[t][1], whole, tmp, shifted);
                for (int i = 0; i < px; i++) sum[i] += shifted[i];
            }
            for (int i = 0; i < px; i++) sum[i] /= n;
            ceiling[t] = Psnr.psnr(mean, sum, px);
            if (truthOut != null) truth.add(Frame.wrap(w, h, matchBrightness(sum.clone(), frames[t])));
        }
        if (truthOut != null) ImageFiles.write(truthOut, truth); // unit range, one plane per frame
        double[] measured = null, estimated = null;
        if (stream != null) {
            JsonObject json = JsonParser.parseString(Files.readString(stream)).getAsJsonObject();
            measured = numbers(json.getAsJsonArray("psnr_per_frame_db"));
            estimated = numbers(json.getAsJsonArray("estimated_psnr_per_frame_db"));
        }
        System.out.println("frame  drift_x  drift_y  raw_vs_mean  ceiling" + (measured == null ? "" : "  measured  estimated  predicted"));
        double sc = 0, sm = 0, se = 0, sp = 0;
        int count = 0, both = 0;
        for (int t = 0; t < n; t++) {
            String line = String.format(Locale.ROOT, "%5d  %7.3f  %7.3f  %11.2f  %7.2f", t, d[t][0], d[t][1],
                    Psnr.psnr(mean, frames[t], px), ceiling[t]);
            if (t >= 10) {
                sc += ceiling[t];
                count++;
            }
            // the readout on frame t+1 is the error of output t (it needs the next frame's independent noise)
            if (measured != null && t < measured.length) {
                double est = t + 1 < estimated.length ? estimated[t + 1] : Double.NaN;
                double pred = Double.isNaN(est) ? Double.NaN
                        : -10 * Math.log10(Math.pow(10, -est / 10) + Math.pow(10, -ceiling[t] / 10));
                line += String.format(Locale.ROOT, "  %8.2f  %9.2f  %9.2f", measured[t], est, pred);
                if (t >= 10 && !Double.isNaN(pred)) {
                    sm += measured[t];
                    se += est;
                    sp += pred;
                    both++;
                }
            }
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "mean over frames 10..%d: ceiling %.2f dB%n", n - 1, sc / count);
        if (both > 0) {
            System.out.printf(Locale.ROOT, "mean over %d frames with a readout: measured %.2f, estimated %.2f, predicted against the mean %.2f dB%n",
                    both, sm / both, se / both, sp / both);
        }
    }

    /**
     * PSNR of frame t's outputs against a truth that shares none of their noise: the frames after t (which no causal
     * output has seen), registered onto frame t and brought to its brightness. That truth's own noise (σ²/m for m
     * frames, estimated per pixel from the spread of the registered frames) is independent of the output's error and
     * is subtracted from the measured MSE, so the figure estimates the error against the scene itself. Against avg50,
     * by contrast, a temporal filter's error is understated: avg50 holds the very frames it averaged (by σ²/50 in
     * MSE), while a per-image denoiser shares only its own frame's noise with it.
     */
    static void heldOut(FrameSource src, int t, String[] outputs) throws Exception {
        int n = src.length();
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        float[] mean = unit(src.groundTruth(0), scale);
        PhaseCorrelation pc = new PhaseCorrelation(w, h);
        double[] dt = new double[2], dk = new double[2];
        float[] frameT = unit(src.frame(t), scale);
        pc.estimate(frameT, mean, dt);
        int m = n - 1 - t;
        if (m < 2) throw new IllegalArgumentException("frame " + t + " leaves " + m + " later frames; need at least 2");
        double[] sum = new double[px], sq = new double[px];
        float[] shifted = new float[px], whole = new float[px], tmp = new float[px];
        for (int k = t + 1; k < n; k++) {
            float[] fk = unit(src.frame(k), scale);
            pc.estimate(fk, mean, dk);
            shift(fk, w, h, dk[0] - dt[0], dk[1] - dt[1], whole, tmp, shifted);
            for (int i = 0; i < px; i++) {
                sum[i] += shifted[i];
                sq[i] += (double) shifted[i] * shifted[i];
            }
        }
        float[] truth = new float[px];
        double noise = 0;
        for (int i = 0; i < px; i++) {
            double mu = sum[i] / m;
            truth[i] = (float) mu;
            noise += (sq[i] / m - mu * mu) * m / (m - 1) / m; // the sample variance of the mean
        }
        noise /= px;
        matchBrightness(truth, frameT);
        System.out.printf(Locale.ROOT, "frame %d: truth from frames %d..%d (%d), its own noise %.2f dB%n", t, t + 1, n - 1, m,
                -10 * Math.log10(noise));
        for (String o : outputs) {
            List<Frame> planes = ImageFiles.read(Path.of(o));
            Frame out = planes.size() == 1 ? planes.get(0) : planes.get(t);
            double se = 0;
            for (int i = 0; i < px; i++) {
                double d = out.get(i) / scale - truth[i];
                se += d * d;
            }
            double mse = se / px;
            System.out.printf(Locale.ROOT, "  %s: %.2f dB measured, %.2f dB with the truth's noise taken out%n", o,
                    -10 * Math.log10(mse), -10 * Math.log10(Math.max(mse - noise, 1e-12)));
        }
    }

    /** dst(x) = src(x + s): whole pixels by index (edges clamped), the fraction by {@link Resample}. */
    static void shift(float[] src, int w, int h, double sx, double sy, float[] whole, float[] tmp, float[] dst) {
        int ix = (int) Math.round(sx), iy = (int) Math.round(sy);
        for (int y = 0; y < h; y++) {
            int yy = Math.min(h - 1, Math.max(0, y + iy));
            for (int x = 0; x < w; x++) {
                whole[y * w + x] = src[yy * w + Math.min(w - 1, Math.max(0, x + ix))];
            }
        }
        Resample.shift(whole, w, h, sx - ix, sy - iy, tmp, dst);
    }

    static double[] numbers(JsonArray a) {
        double[] out = new double[a == null ? 0 : a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = a.get(i);
            out[i] = e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
        }
        return out;
    }
}
