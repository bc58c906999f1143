package org.n2dlive.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.metrics.Psnr;
import org.n2dlive.metrics.Ssim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code n2d eval}: PSNR and SSIM of an image (or each plane of a stack, averaged) against a clean reference. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Print PSNR (dB, data range 1) and SSIM of TEST against --clean, after the stated normalisation.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--clean", required = true, description = "Clean reference image (one plane, or as many as TEST).")
    Path clean;

    @Parameters(index = "0", paramLabel = "TEST", description = "Image to score.")
    Path test;

    @Option(names = "--normalization", defaultValue = "full-range",
            description = "Mapping to [0,1] applied to both images: full-range (8-bit /255, 16-bit /65535) or OFFSET,SCALE."
                    + " Default: ${DEFAULT-VALUE}.")
    String normalization;

    @Override
    public Integer call() throws Exception {
        List<Frame> c = ImageFiles.read(clean);
        List<Frame> t = ImageFiles.read(test);
        if (c.size() != 1 && c.size() != t.size()) {
            throw new IllegalArgumentException("--clean has " + c.size() + " planes, TEST " + t.size() + ": give one clean plane or one per test plane");
        }
        double psnr = 0;
        double ssim = 0;
        for (int i = 0; i < t.size(); i++) {
            Frame cp = c.get(c.size() == 1 ? 0 : i);
            Frame tp = t.get(i);
            if (cp.width() != tp.width() || cp.height() != tp.height()) {
                throw new IllegalArgumentException("size mismatch: clean " + cp.width() + "x" + cp.height() + ", test "
                        + tp.width() + "x" + tp.height());
            }
            float[] cu = unit(cp);
            float[] tu = unit(tp);
            psnr += Psnr.psnr(cu, tu, cu.length);
            ssim += Ssim.ssim(cu, tu, cp.width(), cp.height());
        }
        System.out.printf(Locale.ROOT, "PSNR %.2f%n", psnr / t.size());
        System.out.printf(Locale.ROOT, "SSIM %.4f%n", ssim / t.size());
        return 0;
    }

    private float[] unit(Frame f) {
        Normalization n = normalization.equalsIgnoreCase("full-range") ? Normalization.fullRange(f.type())
                : CliPaths.normalization(normalization, f);
        float[] u = new float[f.pixelCount()];
        n.toUnit(f, u);
        return u;
    }
}
