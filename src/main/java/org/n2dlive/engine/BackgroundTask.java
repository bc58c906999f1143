package org.n2dlive.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one engine start-up job (loading libtorch, checking its kernels, building a model's nets) on a daemon thread of
 * its own, so that no frame waits for it. The thread takes the caller's context class loader: DJL finds its engines
 * through it, and inside Micro-Manager that is the plugin's loader. Stateless; any thread.
 */
public final class BackgroundTask {
    private BackgroundTask() {
    }

    /** Starts {@code job} now; the future completes with its result or its failure. */
    public static <T> CompletableFuture<T> start(String threadName, int priority, Callable<T> job) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(job.call());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.setPriority(priority);
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        t.start();
        return done;
    }
}
