package org.n2dlive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.n2dlive.engine.Devices;
import org.n2dlive.frame.Frame;
import org.n2dlive.io.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device gpu} where no GPU is usable (this machine, CI): each command that runs the model refuses with
 * exit code 2 and a message naming the cause, before it writes anything; and {@code gpu-check}'s own logic, run
 * CPU against CPU.
 */
class GpuDeviceCliTest {

    @BeforeAll
    static void noGpuHere() {
        assumeTrue(Devices.gpuCount() == 0, "a usable GPU is present: these tests are about its absence");
    }

    private static void assertNoGpuError(String[] r) {
        assertEquals("2", r[0], "exit code; stderr: " + r[2]);
        assertTrue(r[2].contains("--device gpu was asked for, but there is no usable GPU"), r[2]);
        assertTrue(r[2].contains("--device cpu"), "the message names the way out: " + r[2]);
    }

    @Test
    void denoiseRefusesAndWritesNothing(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.tif");
        byte[] px = new byte[32 * 32];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 7);
        ImageFiles.write(in, List.of(Frame.wrap(32, 32, px)));
        Path out = dir.resolve("out.tif");
        assertNoGpuError(CliRun.capture("denoise", in.toString(), "-o", out.toString(), "--steps", "1", "--device", "gpu"));
        assertFalse(Files.exists(out));
    }

    @Test
    void streamRefusesBeforeAnyFrame() {
        String[] r = CliRun.capture("stream", "--source", "cells-64-fast", "--frames", "3", "--device", "gpu", "--json");
        assertNoGpuError(r);
        assertEquals("", r[1].trim(), "no summary: no frame was sent");
    }

    @Test
    void streamRefusesAGpuProfileKeyToo() {
        assertNoGpuError(CliRun.capture("stream", "--source", "cells-64-fast", "--frames", "3", "--set", "device=gpu"));
    }

    @Test
    void benchRefuses() {
        assertNoGpuError(CliRun.capture("bench", "--quick", "--device", "gpu"));
    }

    @Test
    void gpuCheckRefusesWithoutAGpu() {
        assertNoGpuError(CliRun.capture("gpu-check", "--json"));
    }

    @Test
    void gpuCheckLogicPassesCpuAgainstCpu() {
        String[] r = CliRun.capture("gpu-check", "--device", "cpu", "--json", "--sizes", "32", "--train-size", "32",
                "--steps", "3", "--frames", "6", "--warmup-frames", "2", "--sample-every", "2", "--channels", "8",
                "--source", "cells-64-fast", "--set", "channels=8", "--set", "initial_steps=2", "--set", "adapt_steps=1",
                "--set", "initial_crop=32", "--set", "adapt_crop=32", "--throughput-profiles", "none");
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        assertTrue(o.get("self_comparison").getAsBoolean());
        java.util.Map<String, JsonObject> checks = new java.util.HashMap<>();
        o.getAsJsonArray("checks").forEach(c -> checks.put(c.getAsJsonObject().get("name").getAsString(), c.getAsJsonObject()));
        for (String name : List.of("train_step_loss", "train_loss_curve", "inference.stage1.32", "inference.ensemble.32",
                "inference.full.32", "frame_transfers_once_each_way")) {
            assertTrue(checks.containsKey(name), "check " + name + " reported: " + r[1]);
            assertTrue(checks.get(name).get("passed").getAsBoolean(), name + ": " + checks.get(name));
        }
        // the same computation on the same device is exactly equal: the comparison code compares
        assertEquals(0.0, checks.get("inference.full.32").get("measured").getAsDouble());
        assertEquals(4L * 64 * 64, checks.get("frame_transfers_once_each_way").getAsJsonObject("details").get("frame_bytes").getAsLong());
        assertTrue(checks.containsKey("host_rss_flat"));
        assertFalse(checks.containsKey("device_memory_flat"), "no device memory reading on the CPU");
    }

    @Test
    void gpuCheckRejectsBadArguments() {
        assertEquals("2", CliRun.capture("gpu-check", "--device", "cpu", "--frames", "10", "--warmup-frames", "10")[0]);
        assertEquals("2", CliRun.capture("gpu-check", "--device", "cpu", "--sizes", "30")[0]);
    }
}
