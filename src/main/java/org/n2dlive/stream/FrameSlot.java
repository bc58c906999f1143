package org.n2dlive.stream;

/**
 * One pre-allocated ring entry. It points at a {@link SlotPayload} instead of holding the buffers itself so
 * that a completed frame can be moved out of the ring (payload swapped for a spare) without copying pixels.
 * Threading: as {@link SlotPayload}; the reference is changed only by the producer while it owns the slot.
 */
final class FrameSlot {
    SlotPayload payload = new SlotPayload();
}
