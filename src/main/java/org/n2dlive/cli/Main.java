package org.n2dlive.cli;

import java.io.IOException;
import org.n2dlive.engine.GpuSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code n2d} command line: denoise, eval, bench, stream, compare, gpu. */
@Command(name = "n2d", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Live, data-free Noise2Detail denoising of microscope images and streams.",
        subcommands = {DenoiseCommand.class, EvalCommand.class, BenchCommand.class, StreamCommand.class,
            CompareCommand.class, GpuCheckCommand.class, GpuCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 bad usage or input). */
    public static int run(String... args) {
        // the command line is the machine's main job: all cores, unless -Dn2d.threads says otherwise
        org.n2dlive.engine.EngineDefaults.apply(Runtime.getRuntime().availableProcessors());
        // Before any command loads PyTorch: the GPU folder setting becomes DJL's system properties.
        GpuSetup.Status gpu = GpuSetup.applyConfigured();
        if (gpu.settingsProblem != null) System.err.println("n2d: warning: " + gpu.settingsProblem);
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parse) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof IllegalStateException) {
                cmd.getErr().println("n2d: error: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("n2d: failed: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version from the jar manifest (set by Maven), or "dev". */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"n2d-live " + version()};
        }
    }
}
