package org.n2dlive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineDefaultsTest {

    @Test
    void offlineWithoutTelemetryAndAUsersThreadCountWins() {
        String before = System.getProperty(EngineDefaults.THREADS);
        try {
            System.setProperty(EngineDefaults.THREADS, "3");
            EngineDefaults.apply(1);
            assertEquals("true", System.getProperty("ai.djl.offline"));
            assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
            assertEquals(3, EngineDefaults.threads());
            System.setProperty(EngineDefaults.THREADS, "none");
            assertEquals(0, EngineDefaults.threads(), "not a number: unset");
            assertTrue(EngineDefaults.sharedMachineThreads() >= 1);
            assertTrue(EngineDefaults.sharedMachineThreads() < Math.max(2, Runtime.getRuntime().availableProcessors()));
        } finally {
            if (before == null) System.clearProperty(EngineDefaults.THREADS);
            else System.setProperty(EngineDefaults.THREADS, before);
        }
    }
}
