import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * When a stream's denoised frames settle, from {@code ./n2d stream ... --json --per-frame} output. A recording looped
 * against one fixed ground truth has a steady PSNR that depends on the frame: FMD field 1 drifts ~1.6 px and bleaches
 * ~5 % over its 50 frames, so its avg50 fits the middle frames far better than the ends (see
 * {@code Ceiling.java drift}). The steady value of each source frame is therefore taken from the run's own outputs of
 * that frame once warm (after {@code STEADY_FROM_S}, default half the run), or from a reference run's (RECORD, say),
 * and every output frame is compared with the steady value of its own source frame:
 * <pre>
 *   ./n2d stream --source fmd-bpae-field1-256 --profile balanced --fps 10 --frames 400 --json --per-frame &gt; live.json
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Settle.java live.json 50 [STEADY_FROM_S [REFERENCE.json]]
 * </pre>
 * Prints each output (s, source frame, PSNR, its steady value, the difference), then: the time from which every
 * output stays within 1 dB below its frame's steady value, the worst difference after 10 s, and the same two
 * figures against the run's mean PSNR (psnr_db) as the older reading had them.
 */
public final class Settle {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Settle RUN.json SOURCE_LENGTH [STEADY_FROM_S [REFERENCE.json]]");
            System.exit(2);
        }
        JsonObject run = read(args[0]);
        int length = Integer.parseInt(args[1]);
        JsonArray t = run.getAsJsonArray("done_s_per_frame");
        JsonArray p = run.getAsJsonArray("psnr_per_frame_db");
        JsonArray tag = run.getAsJsonArray("frame_per_frame");
        double end = t.get(t.size() - 1).getAsDouble();
        double steadyFrom = args.length > 2 ? Double.parseDouble(args[2]) : end / 2;
        JsonObject ref = args.length > 3 ? read(args[3]) : run;
        double[] steady = steadyPerSource(ref, length, args.length > 3 ? 0 : steadyFrom);
        double mean = run.get("psnr_db").getAsDouble();

        double settled = Double.NaN, settledMean = Double.NaN;
        double worst = Double.POSITIVE_INFINITY, worstMean = Double.POSITIVE_INFINITY;
        int unknown = 0;
        System.out.println("s source psnr_db steady_db diff_db");
        for (int i = 0; i < p.size(); i++) {
            double s = t.get(i).getAsDouble();
            int src = tag.get(i).getAsInt() % length;
            double v = p.get(i).getAsDouble();
            double d = v - steady[src];
            System.out.printf(Locale.ROOT, "%.3f %d %.2f %.2f %+.2f%n", s, src, v, steady[src], d);
            if (Double.isNaN(d)) {
                unknown++;
                continue;
            }
            if (d < -1) settled = Double.NaN;
            else if (Double.isNaN(settled)) settled = s;
            if (v - mean < -1) settledMean = Double.NaN;
            else if (Double.isNaN(settledMean)) settledMean = s;
            if (s > 10) {
                worst = Math.min(worst, d);
                worstMean = Math.min(worstMean, v - mean);
            }
        }
        System.out.printf(Locale.ROOT, "per source frame (steady from %s, after %.1f s): within 1 dB from %.3f s on, worst after 10 s %+.2f dB"
                        + " (%d outputs of source frames with no steady value skipped)%n",
                args.length > 3 ? args[3] : "this run", steadyFrom, settled, worst, unknown);
        System.out.printf(Locale.ROOT, "against the run's mean %.2f dB: within 1 dB from %.3f s on, worst after 10 s %+.2f dB%n",
                mean, settledMean, worstMean);
    }

    /** Mean PSNR per source frame over the outputs finished after {@code from} s; NaN where there were none. */
    private static double[] steadyPerSource(JsonObject run, int length, double from) {
        JsonArray t = run.getAsJsonArray("done_s_per_frame");
        JsonArray p = run.getAsJsonArray("psnr_per_frame_db");
        JsonArray tag = run.getAsJsonArray("frame_per_frame");
        double[] sum = new double[length];
        int[] n = new int[length];
        for (int i = 0; i < p.size(); i++) {
            if (t.get(i).getAsDouble() < from) continue;
            int src = tag.get(i).getAsInt() % length;
            sum[src] += p.get(i).getAsDouble();
            n[src]++;
        }
        double[] m = new double[length];
        for (int k = 0; k < length; k++) m[k] = n[k] == 0 ? Double.NaN : sum[k] / n[k];
        return m;
    }

    private static JsonObject read(String file) throws Exception {
        return JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject();
    }
}
