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
import org.n2dlive.synth.SyntheticSource;
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
 * of each output's MSE; heldout-trend: the same frames, each pixel's straight line in time evaluated at T, for a
 * scene that bleaches unevenly (see {@link #heldOut}):
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java heldout fmd-bpae-field1-256 20 out.tif n2d20.tif
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java heldout-trend fmd-bpae-field3-256 10,15,20,25,30,35 out.tif s.json
 * </pre>
 * causal: per frame t ≥ 10 of a recording whose truth is the mean of its frames, what plain causal averaging scores
 * against that mean: the mean of frames 0..t as they are, the same frames registered onto frame t, and the mean of
 * the last 16 frames, then the mean of each over frames 10..N-1. The last column is that last-16 mean rounded to the
 * frames' pixel type, as a stream output of that type is (integer counts): the like-for-like reference for a
 * stream's {@code psnr_db} on 8- or 16-bit frames. On 8-bit frames the rounding alone (variance 1/12 count², a
 * 58.9 dB floor) costs a mean that has averaged the noise below a count 0.09–0.34 dB (FMD fields 3, 2, 1):
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Ceiling.java causal fmd-bpae-field1-256
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
        } else if (args.length >= 4 && (args[0].equals("heldout") || args[0].equals("heldout-trend"))) {
            heldOut(Sources.open(args[1], null, Double.NaN).source, args[2], Arrays.copyOfRange(args, 3, args.length),
                    args[0].equals("heldout-trend"));
        } else if (args.length == 2 && args[0].equals("causal")) {
            causal(Sources.open(args[1], null, Double.NaN).source);
        } else if (args.length == 5 && args[0].equals("means")) {
            means(Sources.open(args[1], null, Double.NaN).source, Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
        } else {
            System.err.println("usage: Ceiling drift SOURCE | Ceiling causal SOURCE | Ceiling registered SOURCE [STREAM.json|-] [TRUTH.tif] | Ceiling heldout[-trend] SOURCE T[,T...] OUT.tif|STREAM.json... | Ceiling means SOURCE FROM K PREFIX");
            System.exit(2);
        }
    }

    /**
     * The registered mean brought to frame t's brightness: the least-squares a·m + c against the noisy frame (noise is
     * in the frame only, so a and c are unbiased). FMD field 3 dims 16 % over its 50 frames; an undimmed truth
     * charges every frame with the bleaching.
     */
    static float[] matchBrightness(float[] m, float[] frame) {
        double[] ac = fitBrightness(m, frame);
        for (int i = 0; i < m.length; i++) m[i] = (float) (ac[0] * m[i] + ac[1]);
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

    /**
     * What plain causal averaging scores against a recording's mean (FMD's avg50), per frame t: the mean of frames
     * 0..t as they are, the same frames registered onto frame t, and the mean of the last 16 raw frames. The first
     * shares t + 1 of avg50's 50 noise draws and its blur, so it gains on avg50 as t grows whatever the scene does.
     */
    static void causal(FrameSource src) {
        int n = src.length();
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        float[] mean = unit(src.groundTruth(0), scale);
        float[][] frames = new float[n][];
        double[][] d = offsets(src, mean, frames);
        float[] plain = new float[px], reg = new float[px], last = new float[px];
        float[] shifted = new float[px], whole = new float[px], tmp = new float[px];
        float[] rounded = new float[px];
        boolean integer = f0.type().isInteger();
        double sp = 0, sr = 0, sl = 0, sq = 0;
        int count = 0;
        System.out.println("frame  cumulative  cumulative_registered  last16  last16_as_" + f0.type());
        for (int t = 10; t < n; t++) {
            Arrays.fill(plain, 0);
            Arrays.fill(reg, 0);
            Arrays.fill(last, 0);
            for (int k = 0; k <= t; k++) {
                shift(frames[k], w, h, d[k][0] - d[t][0], d[k][1] - d[t][1], whole, tmp, shifted);
                for (int i = 0; i < px; i++) {
                    plain[i] += frames[k][i] / (t + 1);
                    reg[i] += shifted[i] / (t + 1);
                }
            }
            int from = Math.max(0, t - 15);
            for (int k = from; k <= t; k++) for (int i = 0; i < px; i++) last[i] += frames[k][i] / (t - from + 1);
            for (int i = 0; i < px; i++) {
                // a stream's integer output: the value in counts, rounded and clipped to the type's range
                rounded[i] = integer ? (float) (Math.min(scale, Math.max(0, Math.floor(last[i] * scale + 0.5))) / scale) : last[i];
            }
            double a = Psnr.psnr(mean, plain, px), b = Psnr.psnr(mean, reg, px), c = Psnr.psnr(mean, last, px);
            double e = Psnr.psnr(mean, rounded, px);
            System.out.printf(Locale.ROOT, "%5d  %10.2f  %21.2f  %6.2f  %6.2f%n", t, a, b, c, e);
            sp += a;
            sr += b;
            sl += c;
            sq += e;
            count++;
        }
        System.out.printf(Locale.ROOT, "mean over frames 10..%d: cumulative %.2f, registered %.2f, last 16 %.2f dB, last 16 as %s %.2f dB%n",
                n - 1, sp / count, sr / count, sl / count, f0.type(), sq / count);
    }

    /**
     * Every frame of {@code src} in unit range into {@code frames}, and its offset from the recording's mean by phase
     * correlation: frame_k(x) = mean(x − d_k).
     */
    private static double[][] offsets(FrameSource src, float[] mean, float[][] frames) {
        Frame f0 = src.frame(0);
        double scale = f0.type().fullScale();
        PhaseCorrelation pc = new PhaseCorrelation(f0.width(), f0.height());
        double[][] d = new double[frames.length][2];
        for (int k = 0; k < frames.length; k++) {
            frames[k] = unit(src.frame(k), scale);
            pc.estimate(frames[k], mean, d[k]);
        }
        return d;
    }

    static void registered(FrameSource src, Path stream, Path truthOut) throws Exception {
        int n = src.length();
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        float[] mean = unit(src.groundTruth(0), scale);
        float[][] frames = new float[n][];
        double[][] d = offsets(src, mean, frames);
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
     * output has seen), registered onto frame t. That truth's own noise is independent of the output's error and is
     * subtracted from the measured MSE, so the figure estimates the error against the scene itself. Against avg50,
     * by contrast, a temporal filter's error is understated: avg50 holds the very frames it averaged (by σ²/50 in
     * MSE), while a per-image denoiser shares only its own frame's noise with it. Two truths:
     * <ul>
     * <li>{@code heldout}: the mean of the m later frames brought to frame t's brightness with one least-squares gain
     * and offset; its noise σ²/m per pixel, from the frames' spread. A scene that fades at different rates in
     * different places (bleaching) leaves a structured error that one gain cannot take out: on cells-256-bleach
     * (0.1–0.6 % a frame, outputs 10–40) it scored the output 0.29 dB under its exact PSNR (static control:
     * +0.04).</li>
     * <li>{@code heldout-trend}: per pixel a straight line in time through the m later frames, evaluated at t (each
     * pixel's own fade), then the same global gain match (a ≈ 1; it takes out a frame's flicker). Its noise is
     * Σ L_k²·σ_k² (the line's weights L_k at t, σ_k² frame k's residual variance): about 4σ²/m, four times the mean's,
     * so it needs more later frames for the same certainty. On cells-256-bleach −0.04 dB from the exact PSNR, on the
     * control +0.20 (outputs 10–40; over six other noise seeds −0.07..+0.07 and −0.07..+0.30).</li>
     * </ul>
     * T may be a comma-separated list; an OUT ending in .json is a {@code stream --json --per-frame} summary whose
     * readout of output T ({@code estimated_psnr_per_frame_db[T + 1]}: it needs the next frame's noise) is printed
     * beside the truth's figure for each image OUT. A synthetic source's exact per-frame truth is scored too.
     */
    static void heldOut(FrameSource src, String ts, String[] outputs, boolean trend) throws Exception {
        int n = src.length();
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        boolean exact = src instanceof SyntheticSource;
        float[] mean = unit(src.groundTruth(0), scale);
        float[][] frames = new float[n][];
        double[][] d = offsets(src, mean, frames);
        List<String> images = new ArrayList<>();
        List<double[]> readouts = new ArrayList<>();
        List<String> readoutNames = new ArrayList<>();
        for (String o : outputs) {
            if (o.endsWith(".json")) {
                readouts.add(numbers(JsonParser.parseString(Files.readString(Path.of(o))).getAsJsonObject()
                        .getAsJsonArray("estimated_psnr_per_frame_db")));
                readoutNames.add(o);
            } else {
                images.add(o);
            }
        }
        List<List<Frame>> planes = new ArrayList<>();
        for (String o : images) planes.add(ImageFiles.read(Path.of(o)));
        String[] parts = ts.split(",");
        double[][] truthDb = new double[images.size()][parts.length], exactDb = new double[images.size()][parts.length];
        double[][] readDb = new double[readouts.size()][parts.length];
        float[] shifted = new float[px], whole = new float[px], tmp = new float[px], truth = new float[px];
        for (int j = 0; j < parts.length; j++) {
            int t = Integer.parseInt(parts[j].trim());
            int m = n - 1 - t;
            if (t < 0 || m < (trend ? 3 : 2)) {
                throw new IllegalArgumentException("frame " + t + " leaves " + m + " later frames; need at least " + (trend ? 3 : 2));
            }
            double kBar = t + (m + 1) / 2.0, sxx = m * ((double) m * m - 1) / 12; // later frames k = t+1..n−1
            double[] sum = new double[px], sq = new double[px], sk = new double[px], slope = new double[px];
            float[][] reg = new float[m][];
            for (int k = t + 1; k < n; k++) {
                shift(frames[k], w, h, d[k][0] - d[t][0], d[k][1] - d[t][1], whole, tmp, shifted);
                for (int i = 0; i < px; i++) {
                    sum[i] += shifted[i];
                    sq[i] += (double) shifted[i] * shifted[i];
                    sk[i] += (k - kBar) * shifted[i];
                }
                if (trend) reg[k - t - 1] = shifted.clone();
            }
            double noise = 0;
            for (int i = 0; i < px; i++) {
                double mu = sum[i] / m;
                if (trend) {
                    slope[i] = sk[i] / sxx;
                    truth[i] = (float) (mu + slope[i] * (t - kBar));
                } else {
                    truth[i] = (float) mu;
                    noise += (sq[i] - m * mu * mu) / (m - 1) / m; // the sample variance of the mean
                }
            }
            if (trend) {
                // The line's value at t is Σ L_k·v_k with L_k = 1/m + (t − k̄)(k − k̄)/Σ(k − k̄)², and its variance
                // Σ L_k²·σ_k². σ_k² is taken per frame (mean over pixels of the squared residual, over 1 − h_k, its
                // leverage), not as one residual variance: a bleaching scene's noise falls with its brightness, and the
                // nearest frames, the brightest, weigh most; one variance understated the truth's noise by ~2 % on
                // cells-256-bleach.
                for (int k = t + 1; k < n; k++) {
                    float[] v = reg[k - t - 1];
                    double e2 = 0;
                    for (int i = 0; i < px; i++) {
                        double e = v[i] - (sum[i] / m + slope[i] * (k - kBar));
                        e2 += e * e;
                    }
                    double lev = 1.0 / m + (k - kBar) * (k - kBar) / sxx;
                    double weight = 1.0 / m + (t - kBar) * (k - kBar) / sxx;
                    noise += weight * weight * e2 / (1 - lev);
                }
            }
            noise /= px;
            double[] ac = fitBrightness(truth, frames[t], noise);
            for (int i = 0; i < px; i++) truth[i] = (float) (ac[0] * truth[i] + ac[1]);
            noise *= ac[0] * ac[0];
            String line = String.format(Locale.ROOT, "frame %d: %s truth from frames %d..%d (%d), gain %.4f%+.5f, its own noise %.2f dB",
                    t, trend ? "trend" : "mean", t + 1, n - 1, m, ac[0], ac[1], -10 * Math.log10(noise));
            float[] clean = exact ? unit(src.groundTruth(t), scale) : null;
            if (exact) {
                line += String.format(Locale.ROOT, "; against the exact truth its error is %.2f dB", Psnr.psnr(clean, truth, px));
            }
            System.out.println(line);
            for (int q = 0; q < images.size(); q++) {
                List<Frame> pl = planes.get(q);
                Frame out = pl.size() == 1 ? pl.get(0) : pl.get(t);
                float[] o = unit(out, scale);
                double mse = Psnr.mse(truth, o, px);
                truthDb[q][j] = -10 * Math.log10(Math.max(mse - noise, 1e-12));
                String r = String.format(Locale.ROOT, "  %s: %.2f dB measured, %.2f dB with the truth's noise taken out", images.get(q),
                        -10 * Math.log10(mse), truthDb[q][j]);
                if (exact) {
                    exactDb[q][j] = Psnr.psnr(clean, o, px);
                    r += String.format(Locale.ROOT, "; exact %.2f dB (truth %+.2f dB)", exactDb[q][j], truthDb[q][j] - exactDb[q][j]);
                }
                System.out.println(r);
            }
            for (int q = 0; q < readouts.size(); q++) {
                double[] e = readouts.get(q);
                readDb[q][j] = t + 1 < e.length ? e[t + 1] : Double.NaN;
                System.out.printf(Locale.ROOT, "  %s: readout of output %d %.2f dB%n", readoutNames.get(q), t, readDb[q][j]);
            }
        }
        if (parts.length > 1) {
            System.out.println("means over frames " + ts + " (mean of dB; in brackets the mean MSE in dB):");
            for (int q = 0; q < images.size(); q++) {
                System.out.printf(Locale.ROOT, "  %s: truth %.2f [%.2f]%s%n", images.get(q), meanOf(truthDb[q]), dbOfMeanMse(truthDb[q]),
                        exact ? String.format(Locale.ROOT, ", exact %.2f [%.2f], truth − exact %+.2f [%+.2f]", meanOf(exactDb[q]),
                                dbOfMeanMse(exactDb[q]), meanOf(truthDb[q]) - meanOf(exactDb[q]),
                                dbOfMeanMse(truthDb[q]) - dbOfMeanMse(exactDb[q])) : "");
            }
            for (int q = 0; q < readouts.size(); q++) {
                // only the frames with a readout (it is null where the scene moved or the error is below resolution)
                int c = 0;
                for (double x : readDb[q]) if (Double.isFinite(x)) c++;
                double[] rd = new double[c], tr = new double[c], ex = new double[c];
                int z = 0;
                for (int j = 0; j < parts.length; j++) {
                    if (!Double.isFinite(readDb[q][j])) continue;
                    rd[z] = readDb[q][j];
                    if (q < images.size()) {
                        tr[z] = truthDb[q][j];
                        ex[z] = exactDb[q][j];
                    }
                    z++;
                }
                String r = String.format(Locale.ROOT, "  %s: readout %.2f [%.2f] on %d of %d frames", readoutNames.get(q), meanOf(rd),
                        dbOfMeanMse(rd), c, parts.length);
                if (q < images.size()) {
                    r += String.format(Locale.ROOT, ", readout − truth %+.2f [%+.2f] (against %s, same frames)", meanOf(rd) - meanOf(tr),
                            dbOfMeanMse(rd) - dbOfMeanMse(tr), images.get(q));
                    if (exact) {
                        r += String.format(Locale.ROOT, ", readout − exact %+.2f [%+.2f]", meanOf(rd) - meanOf(ex),
                                dbOfMeanMse(rd) - dbOfMeanMse(ex));
                    }
                }
                System.out.println(r);
            }
        }
    }

    /** Least-squares a, c with frame ≈ a·m + c, m taken as noise-free. */
    static double[] fitBrightness(float[] m, float[] frame) {
        return fitBrightness(m, frame, 0);
    }

    /**
     * Least-squares a, c with frame ≈ a·m + c, where m itself carries independent noise of variance {@code mNoise}
     * per pixel (errors in variables): the plain slope shrinks by var(scene)/(var(scene) + mNoise), so the noise is
     * taken out of var(m). Uncorrected, it shrank the held-out truth's contrast by 0.3–1.5 % on the static
     * cells-256-bleach-control (a = 0.997 with 39 frames, 0.985 with 14) and read the output 0.18–0.30 dB high.
     */
    static double[] fitBrightness(float[] m, float[] frame, double mNoise) {
        int n = m.length;
        double sm = 0, sf = 0, smm = 0, smf = 0;
        for (int i = 0; i < n; i++) {
            sm += m[i];
            sf += frame[i];
            smm += (double) m[i] * m[i];
            smf += (double) m[i] * frame[i];
        }
        double a = (smf - sm * sf / n) / (smm - sm * sm / n - n * mNoise);
        return new double[] {a, (sf - a * sm) / n};
    }

    private static double meanOf(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double dbOfMeanMse(double[] db) {
        double s = 0;
        for (double x : db) s += Math.pow(10, -x / 10);
        return -10 * Math.log10(s / db.length);
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
