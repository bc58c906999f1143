package org.n2dlive.temporal;

import java.nio.file.Path;
import java.util.Locale;
import org.n2dlive.frame.Frame;
import org.n2dlive.synth.FrameSource;
import org.n2dlive.synth.StreamDescriptor;

/**
 * The temporal filter alone on a stream descriptor, against its ground truth: PSNR of the raw frame, of the fused
 * frame and of the causal mean of the last 16 raw frames (unaligned), mean over frames 10..N-1, plus the drift
 * estimates. A development bench (no N2D): {@code java -cp ... org.n2dlive.temporal.FusionBenchMain DESCRIPTOR [N] [maxFrames]}.
 */
public final class FusionBenchMain {
    public static void main(String[] args) throws Exception {
        FrameSource src = StreamDescriptor.load(Path.of(args[0])).open();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : src.length();
        int maxFrames = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        TemporalFilter filter = new TemporalFilter(maxFrames);
        Frame f0 = src.frame(0);
        int w = f0.width(), h = f0.height(), px = w * h;
        double scale = f0.type().fullScale();
        float[] fused = new float[px];
        float[][] ring = new float[16][px];
        float[] mean = new float[px];
        double sRaw = 0, sFused = 0, sMean = 0;
        int count = 0;
        long nanos = 0;
        for (int i = 0; i < n; i++) {
            Frame f = src.frame(i);
            Frame gt = src.groundTruth(i);
            long t0 = System.nanoTime();
            filter.process(f, fused);
            nanos += System.nanoTime() - t0;
            RawPixels.toFloat(f, ring[i % 16]);
            int k = Math.min(i + 1, 16);
            for (int p = 0; p < px; p++) {
                float s = 0;
                for (int j = 0; j < k; j++) s += ring[j][p];
                mean[p] = s / k;
            }
            double pr = psnr(gt, filter.rawFrame(), scale), pf = psnr(gt, fused, scale), pm = psnr(gt, mean, scale);
            System.out.printf(Locale.ROOT, "%3d raw %.2f fused %.2f mean16 %.2f drift %.3f %.3f motion %.4f scene %s%n", i, pr, pf, pm,
                    filter.driftX(), filter.driftY(), filter.motionFraction(), filter.sceneChange());
            if (i >= 10) {
                sRaw += pr;
                sFused += pf;
                sMean += pm;
                count++;
            }
        }
        System.out.printf(Locale.ROOT, "mean 10..%d: raw %.2f fused %.2f mean16 %.2f | filter %.2f ms/frame%n", n - 1, sRaw / count,
                sFused / count, sMean / count, nanos / 1e6 / n);
    }

    static double psnr(Frame gt, float[] img, double scale) {
        double se = 0;
        int n = gt.pixelCount();
        for (int i = 0; i < n; i++) {
            double d = (gt.get(i) - img[i]) / scale;
            se += d * d;
        }
        return 10 * Math.log10(n / se);
    }
}
