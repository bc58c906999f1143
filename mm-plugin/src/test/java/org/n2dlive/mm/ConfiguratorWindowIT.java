package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JFrame;
import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.n2dlive.mm.ui.N2DConfigurator;

/**
 * Opens the configurator in a real window (under Xvfb in CI, where .ci/run sets n2d.requireDisplay so a missing
 * display fails; skipped elsewhere without one; by hand: {@code xvfb-run -a mvn verify}) while live mode runs in
 * the pipeline (the contract model here; Micro-Manager's own in mm-real-tests) through the real model, so the readout shows real numbers, and saves a
 * screenshot to target/configurator.png (the README's picture is a copy: mm-plugin/docs/configurator.png).
 */
class ConfiguratorWindowIT {

    @Test
    void opensInARealWindowWithLiveReadoutAndSavesAScreenshot() throws Exception {
        if (Boolean.getBoolean("n2d.requireDisplay")) {
            assertFalse(GraphicsEnvironment.isHeadless(), "n2d.requireDisplay is set (CI) but there is no display: run under xvfb-run");
        }
        assumeFalse(GraphicsEnvironment.isHeadless(), "no display (run under Xvfb to include this test)");
        StudioStandIn studio = new StudioStandIn();
        N2DPlugin plugin = Plugins.real(studio);
        // The tiny test profile keeps this test quick; the README's picture was taken with
        // -Dn2d.screenshot.profile=live-fast (the built-in live profile: its first fit takes a minute here).
        String profile = System.getProperty("n2d.screenshot.profile", RealModelTest.TINY_PROFILE);
        PropertyMap settings = Plugins.settings(b -> b.profile(profile));
        // Live mode in the pipeline (contract model or Micro-Manager's) through the real model (CPU): a 25 frames/s camera of 64x64
        // frames, running while the window is open so the readout shows a live stream.
        LiveMode live = new LiveMode(plugin, settings);
        AtomicBoolean stop = new AtomicBoolean();
        Thread camera = new Thread(() -> {
            try {
                for (int round = 0; !stop.get(); round++) {
                    int base = 25 * round;
                    live.run(25, 40, k -> Camera.noisy16(64, 64, base + k, 300));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "camera");
        camera.start();
        long warm = System.nanoTime() + 120_000_000_000L;
        while (plugin.host().telemetry().snapshot(System.nanoTime()).framesOut < 10 && System.nanoTime() < warm) {
            Thread.sleep(100);
        }
        N2DConfigurator conf = (N2DConfigurator) plugin.createConfigurator(settings);
        try {
            conf.showGUI();
            conf.refreshNow();
            AtomicReference<Rectangle> bounds = new AtomicReference<>();
            AtomicReference<String> title = new AtomicReference<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                EventQueue.invokeAndWait(() -> {
                    JFrame f = conf.window();
                    if (f != null && f.isShowing()) {
                        bounds.set(new Rectangle(f.getLocationOnScreen(), f.getSize()));
                        title.set(f.getTitle());
                    }
                });
                if (bounds.get() != null) break;
                Thread.sleep(50);
            }
            assertTrue(bounds.get() != null, "the configurator window did not show");
            assertTrue(title.get().startsWith(PluginInfo.NAME), title.get());
            // The readout as of now, painted: refresh and repaint on the event thread, then wait until it is idle.
            EventQueue.invokeAndWait(() -> {
                conf.refreshNow();
                conf.window().getRootPane().paintImmediately(conf.window().getRootPane().getBounds());
            });
            Robot robot = new Robot();
            robot.waitForIdle();
            BufferedImage shot = robot.createScreenCapture(bounds.get());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < shot.getHeight(); y += 3) {
                for (int x = 0; x < shot.getWidth(); x += 3) colours.add(shot.getRGB(x, y));
            }
            assertTrue(colours.size() > 20, "the window looks blank: " + colours.size() + " colours");
            Path out = Paths.get(System.getProperty("n2d.build.dir", "target"), "configurator.png");
            Files.createDirectories(out.getParent());
            ImageIO.write(shot, "png", out.toFile());
            System.out.println("configurator screenshot: " + out.toAbsolutePath());
            assertEquals(PluginSettings.from(settings), PluginSettings.from(conf.getSettings()));
        } finally {
            stop.set(true);
            camera.join();
            live.close();
            assertTrue(live.errors.isEmpty(), live.errors.toString());
            conf.cleanup();
            plugin.host().close();
        }
    }
}
