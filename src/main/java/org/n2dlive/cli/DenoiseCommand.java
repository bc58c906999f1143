package org.n2dlive.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.Normalization;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;
import org.n2dlive.io.Hyperstack;
import org.n2dlive.io.ImageFiles;
import org.n2dlive.n2d.N2dConfig;
import org.n2dlive.n2d.Noise2Detail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code n2d denoise}: full Noise2Detail on a 2D image or on each plane of a stack. */
@Command(name = "denoise", mixinStandardHelpOptions = true,
        description = "Denoise a TIFF (2D or stack, 8/16-bit or float) or PNG with full Noise2Detail (stages 1-3).")
final class DenoiseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Input TIFF or PNG (never modified).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output TIFF (or PNG for one plane).")
    Path output;

    @Option(names = "--steps", defaultValue = "2000", description = "Training steps per stage (paper: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the network initialisation.")
    long seed;

    @Option(names = "--channels", defaultValue = "48", description = "Feature channels (paper: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate, halved every 1000 steps.")
    double learningRate;

    @Option(names = "--normalization", defaultValue = "default",
            description = "How pixels map to [0,1]: full-range (8-bit: /255), auto (offset and scale from the first plane,"
                    + " fixed for the stack) or OFFSET,SCALE. Default: full-range for 8-bit and float, auto for 16-bit.")
    String normalization;

    @Option(names = "--float", description = "Write 32-bit float output (raw units) instead of the input's bit depth.")
    boolean floatOutput;

    @Option(names = "--preview", paramLabel = "PNG", description = "Also write noisy | denoised side by side (first plane).")
    Path preview;

    @Option(names = "--save-stages", paramLabel = "PREFIX", description = "Also write PREFIX-stage1.tif and PREFIX-stage2.tif.")
    String saveStages;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        CliPaths.requireDistinct(input, output, "output");
        if (preview != null) CliPaths.requireDistinct(input, preview, "preview");
        // Axes and calibration come back out as they went in; each series (channel, z, position) gets its own
        // mapping, so a brighter channel is not clipped to a dimmer one's range.
        Hyperstack stack = ImageFiles.readStack(input);
        List<Frame> planes = stack.planes();
        Frame first = planes.get(0);
        Map<SeriesKey, Normalization> norms = new HashMap<>();
        for (int i = 0; i < planes.size(); i++) {
            Frame plane = planes.get(i);
            norms.computeIfAbsent(stack.seriesOf(i), k -> CliPaths.normalization(normalization, plane));
        }
        Normalization norm = norms.get(stack.seriesOf(0));
        N2dConfig cfg = N2dConfig.PAPER.withSteps(steps).withChannels(channels).withLearningRate(learningRate).withSeed(seed);
        PixelType outType = floatOutput ? PixelType.FLOAT32 : first.type();
        System.err.printf(Locale.ROOT, "n2d denoise: %s, %d plane(s) %dx%d %s%s; normalization %s%s; %s%n", input,
                planes.size(), first.width(), first.height(), first.type(),
                stack.seriesCount() > 1 ? " in " + stack.seriesCount() + " series" : "", norm,
                norms.size() > 1 ? " (series 1; one per series)" : "", cfg);

        List<Frame> out = new ArrayList<>();
        List<Frame> stage1 = new ArrayList<>();
        List<Frame> stage2 = new ArrayList<>();
        Frame previewRight = null;
        Device device = engine.resolveDevice();
        Progress progress = new Progress(System.err);
        long t0 = System.nanoTime();
        try (Noise2Detail n2d = new Noise2Detail(device, engine.createInference(device))) {
            for (int p = 0; p < planes.size(); p++) {
                Frame plane = planes.get(p);
                Normalization pn = norms.get(stack.seriesOf(p));
                float[] y = new float[plane.pixelCount()];
                pn.toUnit(plane, y);
                String label = planes.size() > 1 ? "plane " + (p + 1) + "/" + planes.size() + " " : "";
                int total = cfg.stage1Steps() + cfg.stage3Steps();
                Noise2Detail.Result r = n2d.run(y, plane.width(), plane.height(), cfg, (stage, i, n, loss) ->
                        progress.update(label + "stage " + stage, (stage == 1 ? 0 : cfg.stage1Steps()) + i, total,
                                String.format(Locale.ROOT, "loss %.5f", loss)));
                out.add(toFrame(r.stage3, plane, outType, pn));
                if (p == 0) previewRight = toFrame(r.stage3, plane, plane.type(), pn);
                stage1.add(toFrame(r.stage1, plane, outType, pn));
                stage2.add(toFrame(r.stage2, plane, outType, pn));
            }
        }
        ImageFiles.write(output, stack.withPlanes(out));
        if (saveStages != null) {
            ImageFiles.write(Path.of(saveStages + "-stage1.tif"), stack.withPlanes(stage1));
            ImageFiles.write(Path.of(saveStages + "-stage2.tif"), stack.withPlanes(stage2));
        }
        if (preview != null) ImageFiles.writePreview(preview, first, previewRight, norm);
        System.err.printf(Locale.ROOT, "n2d denoise: wrote %s in %.1f s%n", output, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static Frame toFrame(float[] unit, Frame like, PixelType type, Normalization norm) {
        Frame f = Frame.allocate(type, like.width(), like.height());
        norm.fromUnit(unit, f);
        return f;
    }

}
