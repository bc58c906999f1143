package org.n2dlive.engine.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sessions that read the weights as inputs, one per graph (pipeline and channel counts) in the process, shared by
 * every {@link OnnxInference}: a model per channel in the plugin, the streams of several windows. Such a session holds
 * no weights, only its arena, which keeps the largest band activations it has run; shared, one arena serves all the
 * models instead of one each.
 *
 * <p>Threading: any thread (synchronized). ONNX Runtime allows concurrent runs of one session; its arena then holds
 * what the concurrent runs need together.
 */
final class SharedSessions {
    private static final Map<String, Entry> BY_GRAPH = new HashMap<>();
    private static final Map<OrtSession, Entry> BY_SESSION = new IdentityHashMap<>();

    private SharedSessions() {
    }

    private static final class Entry {
        final String graph;
        final OrtSession session;
        int users;

        Entry(String graph, OrtSession session) {
            this.graph = graph;
            this.session = session;
        }
    }

    /** The session for {@code graph}, made by {@code build} if none is held; each call needs one {@link #release}. */
    static synchronized OrtSession acquire(String graph, Supplier<OrtSession> build) {
        Entry e = BY_GRAPH.get(graph);
        if (e == null) {
            e = new Entry(graph, build.get());
            BY_GRAPH.put(graph, e);
            BY_SESSION.put(e.session, e);
        }
        e.users++;
        return e.session;
    }

    /** One user fewer; the last one closes the session (and frees its arena). */
    static synchronized void release(OrtSession session) {
        Entry e = BY_SESSION.get(session);
        if (e == null) throw new IllegalStateException("release of a session that is not shared here");
        if (--e.users > 0) return;
        BY_SESSION.remove(session);
        BY_GRAPH.remove(e.graph);
        try {
            session.close();
        } catch (OrtException x) {
            throw new IllegalStateException("ONNX Runtime failed to close a session: " + x.getMessage(), x);
        }
    }

    /** Sessions held now (tests). */
    static synchronized int held() {
        return BY_GRAPH.size();
    }
}
