package org.n2dlive.profile;

import org.n2dlive.stream.StreamSettings;
import org.n2dlive.stream.StreamPolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.n2dlive.engine.Pipeline;

class ProfileTest {
    @TempDir
    Path dir;

    @Test
    void everyBuiltInLoadsAndSetsEveryKey() throws IOException {
        for (String name : Profile.BUILT_INS) {
            Profile p = Profile.resolve(name);
            assertEquals(name, p.name());
            assertEquals(ProfileKey.values().length, p.asMap().size(), name);
            assertFalse(p.description().isEmpty(), name);
            assertTrue(p.channels() >= 1 && p.initialCrop() % 4 == 0 && p.adaptCrop() % 4 == 0, name);
        }
    }

    @Test
    void builtInsHaveTheDocumentedCharacter() throws IOException {
        Profile fast = Profile.resolve("live-fast");
        assertEquals(StreamPolicy.LIVE, fast.policy());
        assertEquals(Pipeline.STAGE1, fast.pipeline());
        assertEquals(16, fast.channels());
        assertTrue(fast.temporal(), "live view fuses frames: the CPU's design for camera-size frames");
        Profile quality = Profile.resolve("quality");
        assertEquals(StreamPolicy.RECORD, quality.policy());
        assertEquals(Pipeline.FULL, quality.pipeline());
        assertTrue(quality.adaptSteps() > Profile.resolve("balanced").adaptSteps());
        Profile record = Profile.resolve("record");
        assertEquals(StreamPolicy.RECORD, record.policy());
        assertTrue(record.keepRaw());
        assertEquals(1024L << 20, record.ringMemoryBytes());
        StreamSettings s = record.streamSettings().build();
        assertEquals(StreamPolicy.RECORD, s.policy());
        assertTrue(s.keepRaw());
        assertEquals(1024L << 20, s.ringMemoryBytes());
    }

    @Test
    void aUserFileInheritsBalancedForKeysItLeavesOut() throws IOException {
        Path f = dir.resolve("mine.profile");
        Files.writeString(f, "# my settings\npolicy = RECORD   # trailing comment\nchannels = 32\n\nlearning_rate = 5e-4\n");
        Profile p = Profile.load(f);
        assertEquals("mine", p.name());
        assertEquals(StreamPolicy.RECORD, p.policy());
        assertEquals(32, p.channels());
        assertEquals(5e-4, p.learningRate());
        Profile balanced = Profile.resolve("balanced");
        assertEquals(balanced.adaptSteps(), p.adaptSteps());
        assertEquals(balanced.pipeline(), p.pipeline());
        assertEquals(balanced.normalization(), p.normalization());
        // A path resolves too, and a saved profile reads back identically.
        assertEquals(p.asMap(), Profile.resolve(f.toString()).asMap());
        Path saved = dir.resolve("saved.profile");
        Files.writeString(saved, p.toText());
        assertEquals(p.asMap(), Profile.load(saved).asMap());
    }

    @Test
    void anUnknownKeyIsRejectedWithFileLineAndTheAllowedKeys() throws IOException {
        Path f = dir.resolve("typo.profile");
        Files.writeString(f, "policy = live\nchanels = 24\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.load(f));
        assertTrue(e.getMessage().startsWith(f + ":2: unknown key 'chanels'"), e.getMessage());
        assertTrue(e.getMessage().contains("channels"), e.getMessage());
    }

    @Test
    void badValuesAreRejectedNamingTheKeyAndWhatIsAllowed() {
        String[][] bad = {
            {"channels", "0", "1..256"}, {"channels", "257", "1..256"}, {"channels", "abc", "1..256"},
            {"initial_crop", "30", "multiple of 4"}, {"adapt_crop", "12", "at least 16"},
            {"frame_budget_ms", "0", "> 0"}, {"learning_rate", "-1", "> 0"}, {"scene_change_correlation", "1", "< 1"},
            {"scene_change_correlation", "0", "> 0"}, {"warmup_budget_ms", "0", "> 0"},
            {"lr_halving_steps", "0", "> 0"}, {"adapt_steps", "-1", "0..1000"}, {"seed", "1.5", "integer"},
            {"keep_raw", "yes", "true or false"}, {"normalization", "10", "<offset>,<scale>"},
            {"normalization", "0,-1", "<offset>,<scale>"}, {"ring_memory_mb", "0", "16..65536"},
        };
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Profile.parse(b[0] + " = " + b[1] + "\n", "t.profile", "t", false), b[0] + "=" + b[1]);
            assertTrue(e.getMessage().startsWith("t.profile:1: key '" + b[0] + "': '" + b[1] + "' is not allowed; allowed: "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(b[2]), e.getMessage());
        }
    }

    @Test
    void badEnumValuesListTheOptions() {
        String[][] bad = {{"policy", "lossless", "live or record"}, {"pipeline", "stage2", "stage1, ensemble or full"},
            {"engine", "tensorflow", "auto, pytorch or onnx"}, {"device", "tpu", "auto, cpu or gpu"}};
        for (String[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Profile.parse("\n\n" + b[0] + " = " + b[1], "x.profile", "x", false));
            assertEquals("x.profile:3: key '" + b[0] + "': '" + b[1] + "' is not allowed; allowed: " + b[2], e.getMessage());
        }
    }

    @Test
    void syntaxErrorsAndRepeatsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Profile.parse("channels 24\n", "s.profile", "s", false));
        assertTrue(e.getMessage().startsWith("s.profile:1: expected 'key = value'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Profile.parse("seed = 1\nseed = 2\n", "s.profile", "s", false));
        assertTrue(e.getMessage().contains("s.profile:2: key 'seed' is given twice (first on line 1)"), e.getMessage());
    }

    @Test
    void aBuiltInMissingAKeyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Profile.parse("policy = live\n", "profiles/x.profile", "x", true));
        assertTrue(e.getMessage().contains("key 'description' is missing"), e.getMessage());
    }

    @Test
    void overridesAreValidatedLikeFileLines() throws IOException {
        Profile p = Profile.resolve("balanced").with("adapt_steps", "5").with("device", "CPU").with("normalization", "100, 4000");
        assertEquals(5, p.adaptSteps());
        assertEquals("cpu", p.device());
        assertEquals("100,4000", p.normalization());
        assertEquals(Profile.resolve("balanced").adaptSteps(), Profile.resolve("balanced").with("device", "cpu").adaptSteps(), "with() returns a copy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.with("engine", "tf"));
        assertEquals("profile balanced: key 'engine': 'tf' is not allowed; allowed: auto, pytorch or onnx", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.with("speed", "fast"));
        assertTrue(e.getMessage().startsWith("profile balanced: unknown key 'speed'"), e.getMessage());
    }

    @Test
    void anUnknownNameSaysWhichBuiltInsExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.resolve("turbo"));
        assertTrue(e.getMessage().contains("live-fast, balanced, quality, record"), e.getMessage());
    }
}
