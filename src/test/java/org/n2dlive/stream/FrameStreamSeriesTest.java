package org.n2dlive.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;
import org.n2dlive.frame.SeriesKey;

/** The series of a published frame reaches the denoiser with that frame, and comes back with its result. */
class FrameStreamSeriesTest {
    /** Records, on the worker, which series each frame (identified by its first pixel) was denoised as. */
    private static final class SeriesRecorder implements FrameDenoiser {
        final List<String> seen = new ArrayList<>();

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) {
            throw new AssertionError("the stream must pass the series");
        }

        @Override
        public void denoise(SeriesKey series, Frame src, Frame dst, DenoiseReport report) {
            synchronized (seen) {
                seen.add((int) src.get(0) + "@" + series);
            }
            dst.reshape(src.type(), src.width(), src.height()).copyFrom(src);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void eachFrameIsDenoisedAsItsOwnSeries() {
        SeriesRecorder rec = new SeriesRecorder();
        List<String> out = new ArrayList<>();
        StreamSettings s = StreamSettings.builder().policy(StreamPolicy.RECORD).ringMemoryBytes(256).build();
        List<String> expected = new ArrayList<>();
        try (FrameStream stream = new FrameStream(s, () -> rec)) {
            for (int t = 0; t < 30; t++) {
                SeriesKey k = new SeriesKey(t % 3, t % 2, 0);
                byte[] px = new byte[16];
                px[0] = (byte) t;
                stream.publish(PixelType.GRAY8, 4, 4, px, t, k, null);
                expected.add(t + "@" + k);
                stream.drain(f -> out.add((int) f.denoised().get(0) + "@" + f.series()));
            }
            stream.flush(f -> out.add((int) f.denoised().get(0) + "@" + f.series()), 30, TimeUnit.SECONDS);
        }
        assertEquals(expected, rec.seen);
        assertEquals(expected, out);
    }
}
