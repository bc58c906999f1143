package org.n2dlive.n2d;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.n2dlive.engine.DeviceTransfers;
import org.n2dlive.engine.DeviceTransfers.Kind;
import org.n2dlive.engine.NetWeights;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.pytorch.TorchInference;
import org.n2dlive.frame.Frame;
import org.n2dlive.stream.DenoiseReport;
import org.junit.jupiter.api.Test;

/**
 * Frames cross between Java and the backend's tensors once each way: the warm-started model sends each frame once
 * (for the inference), its training steps only their crops, and it brings back one image. The expected byte counts
 * come from the frame's geometry (padded to a multiple of 4) and the crop sizes, not from the code under test.
 */
class DeviceTransfersTest {

    @Test
    void warmStartSendsEachFrameOnceItsCropsAndBringsBackOneImage() throws Exception {
        int w = 62;
        int h = 50; // padded to 64 x 52
        long paddedBytes = 4L * 64 * 52;
        Random r = new Random(3);
        try (WarmStartDenoiser model = new WarmStartDenoiser(new WarmStartSettings(Pipeline.ENSEMBLE, 8, 20, 32, 1, 16, 50,
                100, 1e-3, 1000, 0.5, 0, WarmStartSettings.InferenceEngine.PYTORCH, "cpu", "auto"))) {
            Frame dst = Frame.allocate(org.n2dlive.frame.PixelType.GRAY8, w, h);
            for (int i = 0; i < 4; i++) { // frame 0 fits, the others adapt
                byte[] px = new byte[w * h];
                for (int k = 0; k < px.length; k++) px[k] = (byte) (40 + r.nextInt(150));
                DeviceTransfers.Snapshot before = DeviceTransfers.snapshot();
                DenoiseReport report = new DenoiseReport();
                model.denoise(Frame.wrap(w, h, px), dst, report);
                DeviceTransfers.Snapshot moved = DeviceTransfers.snapshot().since(before);
                int crop = report.warmingUp ? 32 : 16; // initial_crop while warming up, then adapt_crop
                assertEquals(report.adaptationSteps, moved.count(Kind.CROP_UPLOAD), "frame " + i + ": " + moved);
                assertEquals(4L * crop * crop * report.adaptationSteps, moved.bytes(Kind.CROP_UPLOAD), "frame " + i + ": " + moved);
                assertEquals(1, moved.count(Kind.FRAME_UPLOAD), "frame " + i + ": " + moved);
                assertEquals(paddedBytes, moved.bytes(Kind.FRAME_UPLOAD), "frame " + i + ": " + moved);
                assertEquals(1, moved.count(Kind.FRAME_DOWNLOAD), "frame " + i + ": " + moved);
                assertEquals(paddedBytes, moved.bytes(Kind.FRAME_DOWNLOAD), "frame " + i + ": " + moved);
                // one weight snapshot of f per frame, at the width its tensors have on this CPU (8 channels, or padded
                // wider where the kernel check found 8 wrong): c*9+c + c*c*9+c + c+1 floats
                long c = org.n2dlive.engine.pytorch.CpuKernelCheck.widthFor(ai.djl.Device.cpu(), 8);
                assertEquals(4L * (c * 9 + c + c * c * 9 + c + c + 1), moved.bytes(Kind.WEIGHTS_DOWNLOAD), "frame " + i);
            }
        }
    }

    @Test
    void inferenceBackendCountsOneUploadAndOneDownloadPerStageAsked() {
        int n = 32;
        float[] y = new float[n * n];
        for (int i = 0; i < y.length; i++) y[i] = (i % 7) / 7f;
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
             TorchInference inf = new TorchInference(m, Device.cpu())) {
            inf.setWeights(NetWeights.initialise(8, 1), NetWeights.initialise(8, 2));
            DeviceTransfers.Snapshot before = DeviceTransfers.snapshot();
            inf.infer(y, n, n, Pipeline.FULL, new float[][] {new float[n * n], null, new float[n * n]});
            DeviceTransfers.Snapshot moved = DeviceTransfers.snapshot().since(before);
            assertEquals(1, moved.count(Kind.FRAME_UPLOAD));
            assertEquals(4L * n * n, moved.bytes(Kind.FRAME_UPLOAD));
            assertEquals(2, moved.count(Kind.FRAME_DOWNLOAD)); // stages 1 and 3 asked for, stage 2 not
            assertEquals(2 * 4L * n * n, moved.bytes(Kind.FRAME_DOWNLOAD));
        }
    }
}
