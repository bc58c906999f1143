package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.SummaryMetadata;
import org.n2dlive.frame.Frame;
import org.n2dlive.n2d.SeriesDenoiser;
import org.n2dlive.n2d.WarmModel;
import org.n2dlive.n2d.WarmWeights;
import org.n2dlive.stream.DenoiseReport;

/**
 * Channel × z × time and multi-position acquisitions in {@link MicroManager}'s pipeline: every series (position,
 * channel, z) reaches the denoiser as its own series (the stand-in model here keeps one state per series, since it
 * cannot be shared; the warm N2D model is shared by a channel's positions and slices, see SeriesDenoiser), order is
 * kept, raw twins land in their own channels, and a channel 27× brighter than another is not clipped to its range.
 */
class MultiDimensionalAcquisitionTest {
    private final StudioStandIn studio = new StudioStandIn();
    private N2DPlugin plugin;

    @AfterEach
    void closeHost() {
        if (plugin != null) plugin.host().close();
    }

    private static SummaryMetadata summary(int t, int z, int p, String... channels) {
        return MicroManager.acquisitionSummary(MicroManager.at(t, channels.length, z, p), channels);
    }

    private static Image image(short[] px, int w, int h, int p, int c, int z, int t) {
        return MicroManager.image(px, w, h, 2, 1, MicroManager.at(t, c, z, p));
    }

    private static double mean(Image i) {
        short[] px = (short[]) i.getRawPixels();
        double s = 0;
        for (short v : px) s += v & 0xFFFF;
        return s / px.length;
    }

    /** A model that adds its own number to every pixel and records the coordinates it was given. */
    private static final class NumberedModel implements WarmModel {
        final int number;
        final List<Integer> firstPixels = new ArrayList<>();

        NumberedModel(int number) {
            this.number = number;
        }

        @Override
        public void denoise(Frame src, Frame dst, DenoiseReport report) {
            firstPixels.add((int) src.get(0));
            dst.reshape(src.type(), src.width(), src.height()).copyFrom(src);
            short[] p = dst.shorts();
            for (int i = 0; i < p.length; i++) p[i] = (short) ((p[i] & 0xFFFF) + number);
        }

        @Override
        public WarmWeights latestWeights() {
            return null;
        }

        @Override
        public void loadWeights(WarmWeights weights) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyPositionIsDenoisedByItsOwnModelInOrder() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<NumberedModel> models = new ArrayList<>();
        plugin = Plugins.plugin(studio, (prof, s) -> new SeriesDenoiser(() -> {
            NumberedModel m = new NumberedModel(1000 * made.incrementAndGet());
            models.add(m);
            return m;
        }, 8, 16, null, true));
        int positions = 3, frames = 4, w = 8, h = 8;
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.ringMemoryMb(16)));
        acq.start(summary(frames, 1, positions, "GFP"), false);
        // Acquisition order: time outermost, then position. Pixel 0 encodes (p, t).
        acq.save(frames * positions, k -> {
            int t = k / positions, p = k % positions;
            short[] px = new short[w * h];
            px[0] = (short) (10 * p + t);
            return image(px, w, h, p, 0, 0, t);
        });
        acq.finish();
        assertTrue(acq.errors.isEmpty(), acq.errors.toString());
        assertEquals(2 * frames * positions, acq.imageCount());
        assertEquals(positions, models.size(), "one model per position");
        Set<Integer> offsets = new HashSet<>();
        for (Coords k : acq.store.getUnorderedImageCoords()) {
            if (k.getChannel() != 1) continue;
            Image d = acq.store.getImage(k);
            int p = k.getStagePosition(), t = k.getTimePoint();
            int value = ((short[]) d.getRawPixels())[0] & 0xFFFF;
            int model = value - (10 * p + t);
            offsets.add(model);
            assertEquals(1000 * (p + 1), model, "position " + p + " frame " + t + " went through position " + p + "'s model");
            assertEquals("p" + p + " c0 z0", d.getMetadata().getUserData().getString(Provenance.SERIES, ""));
            Image raw = acq.store.getImage(k.copyBuilder().channel(0).build());
            assertEquals(10 * p + t, ((short[]) raw.getRawPixels())[0], "raw twin untouched in channel 0");
        }
        assertEquals(positions, offsets.size());
        for (int p = 0; p < positions; p++) {
            List<Integer> expected = new ArrayList<>();
            for (int t = 0; t < frames; t++) expected.add(10 * p + t);
            assertEquals(expected, models.get(p).firstPixels, "model " + p + " saw only its position, in time order");
        }
        Plugins.settledTelemetry(plugin);
    }

    @Test
    void channelsTimesZWithTheRealModelKeepEachChannelsLevel() throws Exception {
        plugin = Plugins.real(studio);
        int channels = 2, slices = 2, frames = 3, size = 48;
        double[] level = {1_100, 30_100};
        Acquisition acq = new Acquisition(plugin, Plugins.settings(b -> b.profile(RealModelTest.TINY_PROFILE)));
        acq.start(summary(frames, slices, 1, "DAPI", "GFP"), false);
        Random r = new Random(4);
        acq.save(frames * slices * channels, k -> {
            int c = k % channels, z = (k / channels) % slices, t = k / (channels * slices);
            short[] px = new short[size * size];
            for (int i = 0; i < px.length; i++) {
                double s = level[c] * (1 + 0.3 * Math.sin((i % size) * 0.3 + z) * Math.cos((i / size) * 0.2));
                px[i] = (short) Math.round(s + Math.sqrt(s) * r.nextGaussian());
            }
            return image(px, size, size, 0, c, z, t);
        });
        acq.finish();
        assertTrue(acq.errors.isEmpty(), acq.errors.toString());
        assertEquals(2 * channels * slices * frames, acq.imageCount(), "every raw image and its denoised twin");
        assertEquals(List.of("DAPI", "GFP", "DAPI-n2d", "GFP-n2d"), acq.store.getSummaryMetadata().getChannelNameList());
        for (Coords k : acq.store.getUnorderedImageCoords()) {
            if (k.getChannel() < channels) continue;
            Image d = acq.store.getImage(k);
            Image raw = acq.store.getImage(k.copyBuilder().channel(k.getChannel() - channels).build());
            assertFalse(Plugins.passedThrough(d));
            double in = mean(raw);
            double out = mean(d);
            // One mapping from the first (dim) frame would clip the bright channel to ~1,400 counts.
            assertEquals(in, out, 0.05 * in, "channel " + (k.getChannel() - channels) + " z" + k.getZSlice()
                    + " t" + k.getTimePoint() + " keeps its level");
            for (short v : (short[]) d.getRawPixels()) assertTrue((v & 0xFFFF) < 65_535, "nothing saturated");
            assertEquals("p0 c" + (k.getChannel() - channels) + " z" + k.getZSlice(),
                    d.getMetadata().getUserData().getString(Provenance.SERIES, ""));
            if (k.getTimePoint() >= 1) {
                // The series' own previous frame is its drift reference (temporal is on in the default profile).
                assertTrue(d.getMetadata().getUserData().containsKey(Provenance.DRIFT_X_PX), "drift in the provenance");
            }
        }
        Plugins.settledTelemetry(plugin);
    }
}
