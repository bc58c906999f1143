package org.n2dlive.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.n2dlive.engine.GpuSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code n2d gpu}: which device PyTorch uses and why, and the CUDA libtorch folder it should load, kept in the same
 * settings file the Micro-Manager plugin reads ({@link GpuSetup#configFile()}), so that no environment variable is
 * needed.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true,
        description = "The GPU: which device PyTorch uses and why (status), the CUDA libtorch folder to use (use), "
                + "or back to the bundled CPU libtorch (clear).",
        subcommands = {GpuCommand.Status.class, GpuCommand.Use.class, GpuCommand.Clear.class})
final class GpuCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Loads PyTorch with the GPU settings and prints the device it uses and, for the CPU, why.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() {
            GpuSetup.Status s = GpuSetup.status(true);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", s.device());
            m.put("reason", s.reason.name().toLowerCase(Locale.ROOT));
            m.put("why", s.gpu() ? null : s.message);
            m.put("loaded", s.loaded);
            m.put("gpu_folder", s.folder == null ? null : s.folder.toString());
            m.put("settings_file", s.configFile.toString());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.object(m));
            } else {
                for (Map.Entry<String, Object> e : m.entrySet()) {
                    Object v = e.getValue();
                    if (v == null && e.getKey().equals("gpu_folder")) v = "(none set)";
                    if (v != null) out.printf(Locale.ROOT, "%-14s %s%n", e.getKey(), v);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true,
            description = "Checks a folder holding a CUDA libtorch (a libtorch download, or a Python torch package's "
                    + "folder) and, when it is usable, saves it for the command line and the Micro-Manager plugin. "
                    + "Takes effect at their next start.")
    static final class Use implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FOLDER", description = "The libtorch folder (or its lib/ folder).")
        Path folder;

        @Override
        public Integer call() throws Exception {
            GpuSetup.Folder f = GpuSetup.check(folder);
            if (!f.ok()) throw new IllegalArgumentException("not saved: " + f.message);
            Path config = GpuSetup.configFile();
            GpuSetup.writeFolder(config, folder);
            PrintWriter out = spec.commandLine().getOut();
            out.println("GPU folder saved in " + config + ": " + f.message);
            out.println("It takes effect at the next start of n2d or Micro-Manager; `n2d gpu status` checks it.");
            if (!GpuSetup.driverVisible()) {
                out.println("Note: no NVIDIA driver is visible on this machine now, so the CPU is used until one is.");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = "Removes the GPU folder setting: the bundled CPU libtorch is used from the next start.")
    static final class Clear implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path config = GpuSetup.configFile();
            GpuSetup.writeFolder(config, null);
            spec.commandLine().getOut().println("GPU folder setting removed (" + config + ").");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
