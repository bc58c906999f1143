package org.n2dlive.stream;

import java.util.Locale;
import java.util.Objects;

/**
 * How one {@link FrameStream} runs: its policy, how much memory its RECORD ring may hold, how many slots a
 * LIVE ring has, whether raw frames come back beside the denoised ones. Immutable, thread-safe; built with
 * {@link #builder()}, which validates every value.
 */
public final class StreamSettings {
    /** Default RECORD budget: 1 GiB of frame buffers. */
    public static final long DEFAULT_RING_MEMORY_BYTES = 1L << 30;
    /** Default LIVE ring: the frame being denoised, the newest waiting one, and room for a short stall. */
    public static final int DEFAULT_LIVE_SLOTS = 4;
    /** Upper bound of the LIVE slot count (a LIVE ring only needs a few). */
    public static final int MAX_LIVE_SLOTS = 4096;

    private final StreamPolicy policy;
    private final long ringMemoryBytes;
    private final int liveSlots;
    private final boolean keepRaw;
    private final String workerThreadName;
    private final long closeTimeoutMillis;

    private StreamSettings(Builder b) {
        this.policy = b.policy;
        this.ringMemoryBytes = b.ringMemoryBytes;
        this.liveSlots = b.liveSlots;
        this.keepRaw = b.keepRaw;
        this.workerThreadName = b.workerThreadName;
        this.closeTimeoutMillis = b.closeTimeoutMillis;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().policy(policy).ringMemoryBytes(ringMemoryBytes).liveSlots(liveSlots).keepRaw(keepRaw)
                .workerThreadName(workerThreadName).closeTimeoutMillis(closeTimeoutMillis);
    }

    public StreamPolicy policy() {
        return policy;
    }

    /** RECORD: the memory the ring's frame buffers (input and output of each slot) may take. */
    public long ringMemoryBytes() {
        return ringMemoryBytes;
    }

    /** LIVE: how many frames may be in the ring at once (being denoised, waiting, or done and not drained). */
    public int liveSlots() {
        return liveSlots;
    }

    /** Whether {@link CompletedFrame#raw()} returns the input frame beside the denoised one. */
    public boolean keepRaw() {
        return keepRaw;
    }

    public String workerThreadName() {
        return workerThreadName;
    }

    /** How long {@link FrameStream#close()} waits for the worker to finish its current frame. */
    public long closeTimeoutMillis() {
        return closeTimeoutMillis;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s ring=%d MiB liveSlots=%d keepRaw=%s worker=%s", policy,
                ringMemoryBytes >> 20, liveSlots, keepRaw, workerThreadName);
    }

    /** Collects and validates the settings. Not thread-safe. */
    public static final class Builder {
        private StreamPolicy policy = StreamPolicy.LIVE;
        private long ringMemoryBytes = DEFAULT_RING_MEMORY_BYTES;
        private int liveSlots = DEFAULT_LIVE_SLOTS;
        private boolean keepRaw;
        private String workerThreadName = "n2d-worker";
        private long closeTimeoutMillis = 5000;

        private Builder() {
        }

        public Builder policy(StreamPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        public Builder ringMemoryBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("ringMemoryBytes must be positive, got " + bytes);
            }
            this.ringMemoryBytes = bytes;
            return this;
        }

        public Builder liveSlots(int n) {
            if (n < 2 || n > MAX_LIVE_SLOTS) {
                throw new IllegalArgumentException("liveSlots must be in 2.." + MAX_LIVE_SLOTS + ", got " + n);
            }
            this.liveSlots = n;
            return this;
        }

        public Builder keepRaw(boolean keep) {
            this.keepRaw = keep;
            return this;
        }

        public Builder workerThreadName(String name) {
            if (name == null || name.trim().isEmpty()) {
                throw new IllegalArgumentException("workerThreadName must not be empty");
            }
            this.workerThreadName = name;
            return this;
        }

        public Builder closeTimeoutMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("closeTimeoutMillis must be >= 0, got " + millis);
            }
            this.closeTimeoutMillis = millis;
            return this;
        }

        public StreamSettings build() {
            return new StreamSettings(this);
        }
    }
}
