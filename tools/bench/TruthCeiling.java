import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.n2dlive.frame.Frame;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.StreamDescriptor;
import org.n2dlive.temporal.PhaseCorrelation;
import org.n2dlive.temporal.Resample;

/**
 * How well a recorded stream's one-image ground truth (the mean of all its frames, e.g. FMD's avg50) can score an
 * estimate of each frame's own scene. A real field drifts during the recording (FMD field 1: ~1.3 px in y over 50
 * frames), so the mean is a blurred picture of a scene that is never exactly where any one frame has it. Per frame t:
 * every frame is registered onto frame t (phase correlation against the mean, sub-pixel, cubic) and averaged: the
 * scene as frame t has it, with the noise of all frames. Its PSNR against the mean is the most any estimate of frame
 * t's scene (an aligned temporal filter, a per-image denoiser) can score there: the ceiling. Given a stream's
 * {@code --json --per-frame} output, it also predicts what the no-ground-truth readout ({@code estimated_psnr_db},
 * an estimate of the error against the current scene) should read against the mean:
 * −10·log10(10^(−est/10) + 10^(−ceiling/10)), and prints it beside the measured PSNR. Run after a build:
 * <pre>
 *   ./n2d stream --source fmd-bpae-field1-256 --profile balanced --set policy=record --fps 0 --json --per-frame &gt; s.json
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/TruthCeiling.java test-streams/fmd-bpae-field1-256.stream s.json
 * </pre>
 */
public final class TruthCeiling {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TruthCeiling DESCRIPTOR.stream [STREAM.json]");
            System.exit(2);
        }
        FrameSource src = StreamDescriptor.load(Path.of(args[0])).open();
        int n = src.length();
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        float[][] frames = new float[n][px];
        float[] mean = toFloat(src.groundTruth(0), new float[px]);
        double[][] d = new double[n][2];
        PhaseCorrelation pc = new PhaseCorrelation(w, h);
        for (int k = 0; k < n; k++) {
            toFloat(src.frame(k), frames[k]);
            pc.estimate(frames[k], mean, d[k]); // frame_k(x) = mean(x − d_k)
        }
        double[] ceiling = new double[n];
        float[] sum = new float[px], shifted = new float[px], whole = new float[px], tmp = new float[px];
        for (int t = 0; t < n; t++) {
            java.util.Arrays.fill(sum, 0);
            for (int k = 0; k < n; k++) {
                shift(frames[k], w, h, d[k][0] - d[t][0], d[k][1] - d[t][1], whole, tmp, shifted);
                for (int i = 0; i < px; i++) sum[i] += shifted[i];
            }
            for (int i = 0; i < px; i++) sum[i] /= n;
            ceiling[t] = psnr(sum, mean, scale);
        }
        double[] measured = null, estimated = null;
        if (args.length > 1) {
            JsonObject json = JsonParser.parseString(Files.readString(Path.of(args[1]))).getAsJsonObject();
            measured = numbers(json.getAsJsonArray("psnr_per_frame_db"));
            estimated = numbers(json.getAsJsonArray("estimated_psnr_per_frame_db"));
        }
        System.out.println("frame  drift_x  drift_y  raw_vs_mean  ceiling" + (measured == null ? "" : "  measured  estimated  predicted"));
        double sc = 0, sm = 0, se = 0, sp = 0;
        int count = 0, both = 0;
        for (int t = 0; t < n; t++) {
            String line = String.format(Locale.ROOT, "%5d  %7.3f  %7.3f  %11.2f  %7.2f", t, d[t][0], d[t][1],
                    psnr(frames[t], mean, scale), ceiling[t]);
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

    static float[] toFloat(Frame f, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = (float) f.get(i);
        return out;
    }

    static double psnr(float[] a, float[] b, double scale) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double e = (a[i] - b[i]) / scale;
            se += e * e;
        }
        return 10 * Math.log10(a.length / se);
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
