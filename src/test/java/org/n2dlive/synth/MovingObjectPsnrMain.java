package org.n2dlive.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;

/**
 * PSNR inside the moving objects of a synthetic stream (pixels within 3σ of an object's centre), for output stacks
 * written by {@code n2d stream -o}: where a temporal filter would show ghosts or lag. Mean of the per-frame MSE over
 * frames 10..N−1, then PSNR (data range: the frame type's full scale), and the whole-frame figure for comparison.
 * {@code java -cp ... org.n2dlive.synth.MovingObjectPsnrMain DESCRIPTOR OUT.tif [OUT2.tif ...]}
 */
public final class MovingObjectPsnrMain {
    public static void main(String[] args) throws Exception {
        SyntheticSource src = (SyntheticSource) StreamDescriptor.load(Path.of(args[0])).open();
        SceneMotion motion = src.camera().motion();
        for (int a = 1; a < args.length; a++) {
            List<Frame> out = ImageFiles.read(Path.of(args[a]));
            Frame f0 = out.get(0);
            int w = f0.width(), h = f0.height();
            boolean[] mask = new boolean[w * h];
            double scale = f0.type().fullScale();
            double inSum = 0, allSum = 0, noisyIn = 0;
            int frames = 0;
            for (int i = 10; i < out.size(); i++) {
                Frame gt = src.groundTruth(i);
                Frame o = out.get(i);
                motion.objectMask(w, h, i, 3, mask);
                double se = 0, sn = 0, sa = 0;
                int n = 0;
                Frame raw = src.frame(i);
                for (int k = 0; k < w * h; k++) {
                    double d = (o.get(k) - gt.get(k)) / scale;
                    sa += d * d;
                    if (!mask[k]) continue;
                    se += d * d;
                    double r = (raw.get(k) - gt.get(k)) / scale;
                    sn += r * r;
                    n++;
                }
                if (n == 0) continue;
                inSum += se / n;
                noisyIn += sn / n;
                allSum += sa / (w * h);
                frames++;
            }
            System.out.printf(Locale.ROOT, "%s: objects PSNR %.2f dB (raw %.2f), whole frame %.2f dB, frames %d%n", args[a],
                    10 * Math.log10(frames / inSum), 10 * Math.log10(frames / noisyIn), 10 * Math.log10(frames / allSum), frames);
        }
    }
}
