import java.util.Locale;
import java.util.function.LongSupplier;
import org.n2dlive.frame.Frame;
import org.n2dlive.metrics.FramePsnr;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.n2d.WarmStartSettings;
import org.n2dlive.profile.Profile;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.Sources;

/**
 * The warm model's quality frame by frame at a fixed number of training steps per warm-up frame, whatever the
 * machine's load: the model (as the profile builds it, temporal filter included when on) runs every frame in order
 * (as RECORD does) on a clock that advances by the same amount at every reading, so the budget check admits the
 * same steps on every frame. Run from the repository root after a build:
 * <pre>
 *   java -cp "target/engine/classes:target/engine/lib/*" tools/bench/Readapt.java fmd-bpae-field1-to-field2-256 balanced 7 50 [key=value ...]
 * </pre>
 * prints per frame: index, raw and denoised PSNR against the ground truth, steps run, warming up, warm-up started.
 * 7 steps per warm-up frame is what the idle 2-core host C ran in balanced's 250 ms (LIVE, fmd-bpae-field1-256:
 * 5-8 steps of ~33 ms on 160² crops).
 */
public final class Readapt {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: Readapt SOURCE PROFILE STEPS_PER_WARMUP_FRAME FRAMES [key=value ...]");
            System.exit(2);
        }
        FrameSource src = Sources.open(args[0], null, Double.NaN).source;
        Profile p = Profile.resolve(args[1]);
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            p = p.with(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        int k = Integer.parseInt(args[2]);
        int frames = Integer.parseInt(args[3]);
        WarmStartSettings s = WarmStartSettings.from(p);
        // The budget check stops before step i (i >= 1) when elapsed + elapsed / i > budget, and the clock is read
        // once before the frame and once per step: with a tick d, elapsed before step i is (i + 1)·d, so exactly k steps
        // run when budget / d lies in [k² / (k − 1), (k + 1)² / k).
        double ratio = k <= 1 ? 3.5 : 0.5 * ((double) k * k / (k - 1) + (k + 1.0) * (k + 1) / k);
        long tick = Math.round(s.warmupBudgetMs() * 1e6 / ratio);
        long[] now = {0};
        LongSupplier clock = () -> now[0] += tick;
        FrameDenoiser model = LiveModels.model(p, clock);
        FramePsnr psnr = new FramePsnr();
        DenoiseReport r = new DenoiseReport();
        Frame out = Frame.allocate(src.frame(0).type(), 1, 1);
        System.out.println("frame raw_db denoised_db steps warming refit");
        try {
            for (int i = 0; i < frames; i++) {
                Frame f = src.frame(i);
                double raw = psnr.of(src.groundTruth(i), f);
                r.reset();
                model.denoise(f, out, r);
                System.out.printf(Locale.ROOT, "%d %.2f %.2f %d %b %b%n", i, raw, psnr.of(src.groundTruth(i), out),
                        r.adaptationSteps, r.warmingUp, r.refitted);
            }
        } finally {
            model.close();
        }
    }
}
