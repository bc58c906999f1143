package org.n2dlive.mm;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.micromanager.LogManager;
import org.micromanager.Studio;
import org.micromanager.data.Coords;
import org.micromanager.data.DataManager;
import org.micromanager.data.Metadata;
import org.micromanager.data.internal.DefaultCoords;
import org.micromanager.data.internal.DefaultImage;
import org.micromanager.data.internal.DefaultMetadata;
import org.micromanager.data.internal.DefaultSummaryMetadata;

/**
 * What the real pipeline code cannot provide: MMStudio itself. A {@link Studio} whose {@code data()} builds
 * images, coordinates and metadata with Micro-Manager's real classes ({@code DefaultImage}, {@code DefaultCoords},
 * {@code DefaultMetadata}, {@code DefaultSummaryMetadata}), as MMStudio's {@code DefaultDataManager} does, and whose
 * {@code logs()} records every line (Micro-Manager's log file). Any other call fails loudly: the plugin must not
 * need it. Thread-safe (the log synchronizes).
 */
final class StudioStandIn {
    private final List<String> lines = new ArrayList<>();
    private final Studio studio;

    StudioStandIn() {
        LogManager log = proxy(LogManager.class, (p, m, a) -> {
            String name = m.getName();
            if (name.equals("logMessage") || name.equals("logDebugMessage") || name.equals("showMessage")) {
                add(String.valueOf(a[0]));
            } else if (name.equals("logError") || name.equals("showError")) {
                StringBuilder b = new StringBuilder("ERROR");
                for (Object o : a) if (o != null && !(o instanceof java.awt.Component)) b.append(' ').append(o);
                add(b.toString());
            } else {
                return unsupported(m);
            }
            return null;
        });
        DataManager data = proxy(DataManager.class, (p, m, a) -> {
            switch (m.getName()) {
                case "createImage":
                    return new DefaultImage(a[0], (Integer) a[1], (Integer) a[2], (Integer) a[3], (Integer) a[4],
                            (Coords) a[5], (Metadata) a[6]);
                case "coordsBuilder":
                case "getCoordsBuilder":
                    return new DefaultCoords.Builder();
                case "metadataBuilder":
                case "getMetadataBuilder":
                    return new DefaultMetadata.Builder();
                case "summaryMetadataBuilder":
                case "getSummaryMetadataBuilder":
                    return new DefaultSummaryMetadata.Builder();
                default:
                    return unsupported(m);
            }
        });
        studio = proxy(Studio.class, (p, m, a) -> {
            switch (m.getName()) {
                case "logs": return log;
                case "data": return data;
                case "core": return null; // no core here: the plugin then treats every acquisition as able to wait
                default: return unsupported(m);
            }
        });
    }

    Studio studio() {
        return studio;
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Log lines containing {@code text}. */
    synchronized long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    private static Object unsupported(Method m) {
        throw new UnsupportedOperationException(m.getDeclaringClass().getSimpleName() + "." + m.getName()
                + " is MMStudio's, not part of the pipeline tests; the plugin must not need it");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler h) {
        return (T) Proxy.newProxyInstance(StudioStandIn.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                switch (m.getName()) {
                    case "toString": return type.getSimpleName() + " stand-in";
                    case "hashCode": return System.identityHashCode(p);
                    default: return p == a[0];
                }
            }
            return h.invoke(p, m, a);
        });
    }
}
