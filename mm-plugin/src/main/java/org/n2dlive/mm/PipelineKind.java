package org.n2dlive.mm;

import java.awt.EventQueue;

/**
 * Which Micro-Manager pipeline a processor serves. Micro-Manager does not say, so it is decided once per
 * processor, on its first call (processSummaryMetadata or processImage):
 * <ul>
 *   <li>setting {@code mode=auto} (default): the live pipeline runs synchronously on the Swing event
 *       thread, acquisitions run on a pipeline thread of their own, so a call on the event thread means
 *       {@link #LIVE}, any other thread {@link #ACQUISITION};</li>
 *   <li>{@code mode=live} / {@code mode=acquisition} force one kind, for Micro-Manager versions that
 *       insert live images elsewhere.</li>
 * </ul>
 * Stateless; thread-safe.
 */
public enum PipelineKind {
    LIVE,
    ACQUISITION;

    /** The kind for the given mode setting, as seen from the calling thread. */
    public static PipelineKind detect(String mode) {
        if ("live".equals(mode)) return LIVE;
        if ("acquisition".equals(mode)) return ACQUISITION;
        return EventQueue.isDispatchThread() ? LIVE : ACQUISITION;
    }
}
