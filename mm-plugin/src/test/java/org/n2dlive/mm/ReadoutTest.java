package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.engine.GpuSetup;
import org.n2dlive.frame.Frame;
import org.n2dlive.mm.ui.N2DConfigurator;
import org.n2dlive.stream.DenoiseReport;
import org.n2dlive.stream.FrameDenoiser;
import org.n2dlive.stream.GuardedFrameException;

/**
 * What the configurator's readout tells the user, fed through the real plugin path (acquisitions in the contract
 * model): estimated quality, guarded frames across streams, the device and why, and the GPU folder chooser's
 * check. The settings file is a temporary one.
 */
class ReadoutTest {
    private final StudioStandIn studio = new StudioStandIn();
    private N2DPlugin plugin;
    @TempDir
    Path tmp;
    private String before;

    @BeforeEach
    void settingsHere() {
        before = System.getProperty(GpuSetup.CONFIG_PROPERTY);
        System.setProperty(GpuSetup.CONFIG_PROPERTY, tmp.resolve("gpu.properties").toString());
    }

    @AfterEach
    void restore() {
        if (plugin != null) plugin.host().close();
        if (before == null) System.clearProperty(GpuSetup.CONFIG_PROPERTY);
        else System.setProperty(GpuSetup.CONFIG_PROPERTY, before);
    }

    /** out = in; frames whose number is a multiple of 5 are refused as a learning model's guard would; PSNR 30 + n%3. */
    private static final class GuardingDenoiser implements FrameDenoiser {
        private int n;

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) throws Exception {
            int k = n++;
            if (k % 5 == 4) throw new GuardedFrameException("test guard at frame " + k);
            dst.copyFrom(src);
            report.estimatedPsnrDb = k < 2 ? Double.NaN : 30 + k % 3;
            report.adaptationSteps = 1;
            report.adaptationLoss = 0.1;
        }

        @Override
        public boolean learns() {
            return false; // the stream's own output check is not what this test is about
        }

        @Override
        public void close() {
        }
    }

    private void acquire(int frames) throws Exception {
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.keepRaw(false)));
        acq.start(Acquisition.summary(frames, "GFP"), false);
        acq.save(frames, t -> Camera.stamped16(16, 8, 0, t));
        acq.finish();
        assertTrue(acq.errors.isEmpty(), "the pipeline recorded " + acq.errors);
    }

    @Test
    void guardedFramesAndTheQualityEstimateReachTheReadout() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> new GuardingDenoiser());
        DenoiserHost host = plugin.host();
        assertEquals(0, host.guardedFrames());
        assertNull(host.firstGuardReason());
        assertEquals("–", N2DConfigurator.qualityText(host.telemetry().snapshot(System.nanoTime())), "nothing out yet");

        acquire(20); // frames 4, 9, 14, 19 refused
        assertEquals(4, host.guardedFrames());
        assertEquals("test guard at frame 4", host.firstGuardReason());
        Telemetry.Snapshot t = Plugins.settledTelemetry(plugin);
        assertEquals(4, t.passedThrough, "guarded frames leave raw, flagged");
        // Denoised (not guarded) frames in order, the last 16 of them, averaged where they had an estimate.
        java.util.List<Double> estimates = new java.util.ArrayList<>();
        for (int k = 0; k < 20; k++) if (k % 5 != 4) estimates.add(k < 2 ? Double.NaN : 30.0 + k % 3);
        java.util.List<Double> window = estimates.subList(estimates.size() - Telemetry.QUALITY_WINDOW, estimates.size());
        double mean = window.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).average().getAsDouble();
        long finite = window.stream().filter(Double::isFinite).count();
        assertEquals(14, finite, "the test's own arithmetic: 16 denoised frames, the first two without an estimate");
        assertEquals(mean, t.estimatedPsnrDb, 1e-9);
        assertEquals(finite, t.estimatedPsnrFrames);
        assertTrue(N2DConfigurator.qualityText(t).matches("3\\d\\.\\d dB PSNR \\(estimated on 14 of the last 16 frames\\)"),
                N2DConfigurator.qualityText(t));

        // A new acquisition is a new stream (a new thread): the count goes on across streams.
        acquire(10);
        assertEquals(4 + 2, host.guardedFrames());
        assertEquals("test guard at frame 4", host.firstGuardReason(), "the first reason stays the first");
    }

    @Test
    void noEstimateSaysWhy() {
        Telemetry tel = new Telemetry();
        tel.frameIn();
        tel.estimatedPsnr(Double.NaN);
        tel.frameOut(0, 0.1, 1, false);
        Telemetry.Snapshot s = tel.snapshot(0);
        assertTrue(Double.isNaN(s.estimatedPsnrDb));
        assertEquals(0, s.estimatedPsnrFrames);
        assertTrue(N2DConfigurator.qualityText(s).contains("no estimate"), N2DConfigurator.qualityText(s));
    }

    @Test
    void theDeviceAndWhyNotTheGpu() {
        plugin = Plugins.plugin(studio, (p, s) -> new GuardingDenoiser());
        GpuSetup.Status s = plugin.host().gpuStatus();
        assertNotNull(s);
        assertEquals("CPU: Device is set to cpu", N2DConfigurator.deviceText("cpu", "auto", s));
        assertEquals("CPU: the onnx engine runs on the CPU only", N2DConfigurator.deviceText("auto", "onnx", s));
        String auto = N2DConfigurator.deviceText("auto", "auto", s);
        assertEquals(s.summary(), auto);
        if (!s.gpu()) {
            assertTrue(auto.startsWith("CPU") || auto.startsWith("GPU when") || auto.startsWith("not started"), auto);
            assertFalse(s.message.isEmpty(), "a reason is given");
        }
        assertTrue(studio.lines().stream().anyMatch(m -> m.contains("[n2d-live] device: ")),
                "the host logs the device it set up: " + studio.lines());
    }

    @Test
    void theGpuFolderIsCheckedAtOnceAndABadOneIsNotSaved() throws Exception {
        plugin = Plugins.plugin(studio, (p, s) -> new GuardingDenoiser());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plugin.host().useGpuFolder(empty));
        assertTrue(e.getMessage().contains("no libtorch in"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plugin.host().useGpuFolder(tmp.resolve("missing")));
        assertFalse(Files.exists(tmp.resolve("gpu.properties")), "nothing saved");
    }

    @Test
    void aGoodGpuFolderIsSavedForTheCommandLineToo() throws Exception {
        // Where a driver is visible the folder would be handed to DJL at once, and this fake one must never be.
        assumeFalse(GpuSetup.driverVisible(), "an NVIDIA driver is visible: the fake libtorch would be applied");
        assumeFalse(System.getProperty("os.name").toLowerCase().contains("windows")
                || System.getProperty("os.name").toLowerCase().contains("mac"), "Linux file names");
        plugin = Plugins.plugin(studio, (p, s) -> new GuardingDenoiser());
        Path root = Files.createDirectories(tmp.resolve("libtorch/lib"));
        Files.createFile(root.resolve("libtorch.so"));
        Files.createFile(root.resolve("libtorch_cuda.so"));
        Files.write(root.getParent().resolve("build-version"), "2.7.1+cu128\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String next = plugin.host().useGpuFolder(root.getParent());
        assertTrue(next.startsWith("Saved: the CUDA libtorch 2.7.1+cu128"), next);
        assertTrue(next.contains("no NVIDIA driver"), "and why it is not used here: " + next);
        assertEquals(root.getParent().toAbsolutePath(), GpuSetup.readFolder(tmp.resolve("gpu.properties")));
        assertNull(System.getProperty("PYTORCH_LIBRARY_PATH"), "not handed to DJL without a driver");
    }
}
