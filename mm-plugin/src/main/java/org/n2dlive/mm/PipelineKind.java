package org.n2dlive.mm;

import java.awt.EventQueue;
import org.micromanager.data.Coords;
import org.micromanager.data.SummaryMetadata;

/**
 * Which Micro-Manager pipeline a processor serves. Micro-Manager does not say; what its real pipeline shows
 * (read in its sources, {@code SnapLiveManager} and {@code MMAcquisition}, and checked by driving its
 * {@code DefaultPipeline}) is:
 * <ul>
 *   <li>Live mode inserts summary metadata too (on the Swing event thread, before the first frame), but with
 *       empty intended dimensions and no sequence settings; an acquisition's summary has both. The summary alone
 *       is therefore a first guess ({@link #fromSummary}).</li>
 *   <li>Live mode's pipeline is synchronous and runs on the Swing event thread, so processImage runs there;
 *       an acquisition's pipeline is asynchronous, its processors run on threads of their own (even when the
 *       summary came from the Swing thread, as for an acquisition started from the dialog). The thread of
 *       processImage decides ({@link #fromImageThread}).</li>
 * </ul>
 * The {@code mode} setting ({@code live} / {@code acquisition}) overrides both, for Micro-Manager versions that
 * behave otherwise. Stateless; thread-safe.
 */
public enum PipelineKind {
    LIVE,
    ACQUISITION;

    /** The kind forced by the mode setting, or null for {@code auto}. */
    static PipelineKind forced(String mode) {
        if ("live".equals(mode)) return LIVE;
        if ("acquisition".equals(mode)) return ACQUISITION;
        return null;
    }

    /** From the summary metadata: live mode's has no sequence settings and no intended dimensions. */
    public static PipelineKind fromSummary(String mode, SummaryMetadata summary) {
        PipelineKind f = forced(mode);
        if (f != null) return f;
        return summary == null || (summary.getSequenceSettings() == null && isEmpty(summary.getIntendedDimensions()))
                ? LIVE : ACQUISITION;
    }

    /** From the thread that calls processImage: only live mode's synchronous pipeline runs on the event thread. */
    public static PipelineKind fromImageThread(String mode) {
        PipelineKind f = forced(mode);
        if (f != null) return f;
        return EventQueue.isDispatchThread() ? LIVE : ACQUISITION;
    }

    private static boolean isEmpty(Coords dims) {
        return dims == null || dims.getAxes() == null || dims.getAxes().isEmpty();
    }
}
