package org.n2dlive.mm;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.micromanager.LogManager;
import org.micromanager.Studio;
import org.micromanager.data.DataManager;
import org.micromanager.display.DisplayManager;

/**
 * What the pipeline classes cannot provide: MMStudio itself. A {@link Studio} whose {@code data()} builds images,
 * coordinates and metadata with {@link MicroManager}'s classes, whose {@code logs()} records every line
 * (Micro-Manager's log file), whose {@code displays()} has no image windows (headless), and whose {@code core()} is
 * {@link MicroManager#core()}. Any other call fails loudly: the plugin must not need it. Thread-safe (the log
 * synchronizes).
 */
final class StudioStandIn {
    private final List<String> lines = new ArrayList<>();
    private final Studio studio;
    private final mmcorej.CMMCore core = MicroManager.core();

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
        DisplayManager displays = proxy(DisplayManager.class,
                (p, m, a) -> m.getName().equals("getAllImageWindows") ? Collections.emptyList() : unsupported(m));
        DataManager data = MicroManager.data();
        studio = proxy(Studio.class, (p, m, a) -> {
            switch (m.getName()) {
                case "logs": return log;
                case "data": return data;
                case "displays": return displays;
                case "core": return core;
                default: return unsupported(m);
            }
        });
    }

    /** The core: a test starts and stops camera sequences on the contract model's. */
    mmcorej.CMMCore core() {
        return core;
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

    static Object unsupported(Method m) {
        throw new UnsupportedOperationException(m.getDeclaringClass().getSimpleName() + "." + m.getName()
                + " is MMStudio's, not part of the pipeline tests; the plugin must not need it");
    }

    /** An implementation of {@code type} by {@code h}, with identity equality. */
    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, InvocationHandler h) {
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
