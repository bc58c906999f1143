package org.n2dlive.mm;

import java.util.concurrent.Callable;

/**
 * Runs code with the plugin's class loader as the thread's context class loader.
 *
 * <p>Why: DJL finds its engines with {@code ServiceLoader.load(EngineProvider.class)} and its native
 * resources through the context class loader. In Micro-Manager that is usually the application loader,
 * which cannot see the plugin jar (DJL would find no engine), and in tests it may see a second copy of
 * DJL. Threads created inside inherit the context loader, so the stream's worker gets it too.
 * Stateless; thread-safe.
 */
public final class ContextLoader {
    private ContextLoader() {
    }

    public static ClassLoader pluginLoader() {
        return ContextLoader.class.getClassLoader();
    }

    public static <T> T call(Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(pluginLoader());
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
