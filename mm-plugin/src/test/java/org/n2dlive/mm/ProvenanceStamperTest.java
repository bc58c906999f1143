package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.micromanager.PropertyMap;
import org.micromanager.PropertyMaps;
import org.micromanager.data.Metadata;
import org.n2dlive.stream.DenoiseReport;

/**
 * The stamper reuses one builder for inputs without user data (every camera frame): with {@link MicroManager}'s
 * property maps and metadata (copying builders), each stamped image must still get its own provenance, with
 * nothing carried over from an earlier image, and an input's own user data must be kept without leaking into later
 * images.
 */
class ProvenanceStamperTest {
    private static final UUID CAMERA_UUID = UUID.fromString("12345678-1234-1234-1234-123456789abc");

    private static DenoiseReport temporal(double dx, double dy, double psnr) {
        DenoiseReport r = new DenoiseReport();
        r.driftX = dx;
        r.driftY = dy;
        r.estimatedPsnrDb = psnr;
        return r;
    }

    @Test
    void successiveImagesGetTheirOwnProvenanceAndNothingCarriesOver() {
        Provenance.Stamper s = new Provenance.Stamper("live-fast");
        Metadata camera = MicroManager.metadata(CAMERA_UUID, 17.0, null);
        Metadata first = s.stamp(camera, false, 3, "w-1", true, "engine fault", 61.5, "p0 c1 z2",
                temporal(0.25, -1.5, 31.0));
        Metadata second = s.stamp(camera, false, 1, "w-2", false, null, -1, null, temporal(Double.NaN, 0.5, Double.NaN));

        PropertyMap u1 = first.getUserData();
        assertEquals(PluginInfo.VERSION, u1.getString(Provenance.VERSION, null));
        assertEquals("live-fast", u1.getString(Provenance.PROFILE, null));
        assertEquals(3, u1.getInteger(Provenance.ADAPT_STEPS, -9));
        assertEquals("w-1", u1.getString(Provenance.WEIGHTS, null));
        assertTrue(u1.getBoolean(Provenance.PASSED_THROUGH, false));
        assertEquals("engine fault", u1.getString(Provenance.ERROR, null));
        assertEquals(61.5, u1.getDouble(Provenance.LATENCY_MS, 0), 0);
        assertEquals("p0 c1 z2", u1.getString(Provenance.SERIES, null));
        assertEquals(0.25, u1.getDouble(Provenance.DRIFT_X_PX, 0), 0);
        assertEquals(-1.5, u1.getDouble(Provenance.DRIFT_Y_PX, 0), 0);
        assertEquals(31.0, u1.getDouble(Provenance.ESTIMATED_PSNR_DB, 0), 0);

        PropertyMap u2 = second.getUserData();
        assertEquals(PluginInfo.VERSION, u2.getString(Provenance.VERSION, null));
        assertEquals("live-fast", u2.getString(Provenance.PROFILE, null));
        assertEquals(1, u2.getInteger(Provenance.ADAPT_STEPS, -9));
        assertEquals("w-2", u2.getString(Provenance.WEIGHTS, null));
        assertFalse(u2.getBoolean(Provenance.PASSED_THROUGH, true));
        for (String gone : new String[] {Provenance.ERROR, Provenance.LATENCY_MS, Provenance.SERIES,
                Provenance.DRIFT_X_PX, Provenance.ESTIMATED_PSNR_DB}) {
            assertFalse(u2.containsKey(gone), gone + " was carried over from the earlier image");
        }
        assertEquals(0.5, u2.getDouble(Provenance.DRIFT_Y_PX, 0), 0);

        // The first image's map did not change when the builder was reused.
        assertEquals("w-1", first.getUserData().getString(Provenance.WEIGHTS, null));
        assertEquals(61.5, first.getUserData().getDouble(Provenance.LATENCY_MS, 0), 0);
        // The rest of the metadata is the camera's, and so is its identity (only the user data changed).
        assertEquals(17.0, MicroManager.exposureMs(second), 0);
        assertEquals(CAMERA_UUID, MicroManager.uuid(first));
        assertEquals(0, camera.getUserData().keySet().size(), "the camera's metadata is untouched");
    }

    @Test
    void anInputsOwnUserDataIsKeptAndDoesNotLeakIntoLaterImages() {
        Provenance.Stamper s = new Provenance.Stamper("balanced");
        PropertyMap own = PropertyMaps.builder().putString("lab.sample", "A7").putInteger("lab.well", 12).build();
        Metadata tagged = MicroManager.metadata(CAMERA_UUID, null, own);
        Metadata plain = MicroManager.metadata(null, null, null);

        Metadata a = s.stamp(tagged, true, 2, "w", false, null, 10, "p0 c0 z0", null);
        Metadata b = s.stamp(plain, false, 2, "w", false, null, 11, "p0 c0 z0", null);

        assertEquals("A7", a.getUserData().getString("lab.sample", null));
        assertEquals(12, a.getUserData().getInteger("lab.well", 0));
        assertEquals("balanced", a.getUserData().getString(Provenance.PROFILE, null));
        assertEquals(10.0, a.getUserData().getDouble(Provenance.LATENCY_MS, 0), 0);
        assertNotEquals(CAMERA_UUID, MicroManager.uuid(a), "a new identity when asked (raw kept: two images)");
        assertFalse(b.getUserData().containsKey("lab.sample"), "another input's user data leaked");
        assertFalse(b.getUserData().containsKey("lab.well"));
        assertEquals(11.0, b.getUserData().getDouble(Provenance.LATENCY_MS, 0), 0);
        assertEquals(2, own.keySet().size(), "the input's own map is untouched");
    }
}
