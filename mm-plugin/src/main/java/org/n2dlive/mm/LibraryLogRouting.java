package org.n2dlive.mm;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.micromanager.LogManager;

/**
 * Sends what the bundled libraries log (DJL and its engines) to Micro-Manager's log, warnings and errors only, and
 * nothing to the console. Micro-Manager binds SLF4J to logback (through its OME libraries) at DEBUG on the console,
 * so without this a microscopist's console fills with DJL's engine banners and probes.
 * <ul>
 *   <li>logback: the {@code ai.djl} logger is set to WARN (the engine's own, {@code org.n2dlive}, to INFO), cut
 *       from the root's appenders, and given one appender that writes to Micro-Manager's log. Reached by reflection: the plugin does not compile against logback, and
 *       runs where SLF4J has another backend.</li>
 *   <li>slf4j-simple (the plugin's own, where nothing else is bound): {@code ai.djl} at warn (its system property,
 *       read when its first logger is made).</li>
 *   <li>java.util.logging ({@code ai.onnxruntime}): WARNING.</li>
 * </ul>
 * Threading: {@link #route} is idempotent and synchronized; the appender writes from any thread through the
 * current {@link LogManager}, which a later call replaces.
 */
final class LibraryLogRouting {
    static final String DJL = "ai.djl";
    static final String ENGINE = "org.n2dlive";
    private static final String APPENDER_NAME = "n2d-live";
    private static volatile LogManager target;
    private static Object routedContext; // guarded by the class

    private LibraryLogRouting() {
    }

    /** Before any library logs: the levels that need no Micro-Manager log yet. */
    static void quietDefaults() {
        if (System.getProperty("org.slf4j.simpleLogger.log." + DJL) == null) {
            System.setProperty("org.slf4j.simpleLogger.log." + DJL, "warn");
        }
        Logger.getLogger("ai.onnxruntime").setLevel(Level.WARNING);
    }

    /** Routes the libraries' warnings and errors to {@code log} (null: they are dropped). */
    static synchronized void route(LogManager log) {
        quietDefaults();
        target = log;
        Object factory;
        try {
            factory = org.slf4j.LoggerFactory.getILoggerFactory();
        } catch (LinkageError e) {
            return; // no usable SLF4J: DJL cannot log either
        }
        if (factory != routedContext && factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            try {
                routeLogback(factory, log);
                routedContext = factory;
            } catch (ReflectiveOperationException | RuntimeException e) {
                if (log != null) log.logMessage("[n2d-live] WARNING: could not route DJL's log to Micro-Manager's: " + e);
            }
        }
    }

    /**
     * Sets a logback context's {@code ai.djl} logger to WARN and the engine's own ({@code org.n2dlive}: kernel
     * checks, model start) to INFO, both into {@code log} only.
     */
    static void routeLogback(Object loggerContext, LogManager log) throws ReflectiveOperationException {
        target = log;
        route(loggerContext, DJL, "WARN");
        route(loggerContext, ENGINE, "INFO");
    }

    private static void route(Object loggerContext, String name, String level) throws ReflectiveOperationException {
        ClassLoader cl = loggerContext.getClass().getClassLoader();
        Object logger = loggerContext.getClass().getMethod("getLogger", String.class).invoke(loggerContext, name);
        Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true, cl);
        logger.getClass().getMethod("setLevel", levelClass).invoke(logger, levelClass.getField(level).get(null));
        logger.getClass().getMethod("setAdditive", boolean.class).invoke(logger, false);
        Class<?> appenderClass = Class.forName("ch.qos.logback.core.Appender", true, cl);
        Object existing = logger.getClass().getMethod("getAppender", String.class).invoke(logger, APPENDER_NAME);
        if (existing != null) return;
        Class<?> filterReply = Class.forName("ch.qos.logback.core.spi.FilterReply", true, cl);
        Object neutral = filterReply.getField("NEUTRAL").get(null);
        Object appender = Proxy.newProxyInstance(cl, new Class<?>[] {appenderClass}, new ToMicroManager(neutral));
        logger.getClass().getMethod("addAppender", appenderClass).invoke(logger, appender);
    }

    /** A logback appender, as a proxy: forwards each event, answers the life-cycle calls as a started appender. */
    private static final class ToMicroManager implements InvocationHandler {
        private final Object neutral;

        ToMicroManager(Object neutral) {
            this.neutral = neutral;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "doAppend":
                    forward(args[0]);
                    return null;
                case "getName":
                    return APPENDER_NAME;
                case "isStarted":
                    return true;
                case "getCopyOfAttachedFiltersList":
                    return Collections.emptyList();
                case "getFilterChainDecision":
                    return neutral;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "n2d-live appender to Micro-Manager's log";
                default:
                    return null; // setName, start, stop, setContext, addStatus, filters: nothing to keep
            }
        }

        private static void forward(Object event) {
            LogManager log = target;
            if (log == null) return;
            try {
                String level = String.valueOf(event.getClass().getMethod("getLevel").invoke(event));
                String name = String.valueOf(event.getClass().getMethod("getLoggerName").invoke(event));
                String message = String.valueOf(event.getClass().getMethod("getFormattedMessage").invoke(event));
                Object thrown = event.getClass().getMethod("getThrowableProxy").invoke(event);
                String cause = "";
                if (thrown != null) {
                    cause = ": " + thrown.getClass().getMethod("getClassName").invoke(thrown) + ": "
                            + thrown.getClass().getMethod("getMessage").invoke(thrown);
                }
                String line = "[n2d-live] " + level + " " + name + ": " + message + cause;
                if ("ERROR".equals(level)) log.logError(line);
                else log.logMessage(line);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.logMessage("[n2d-live] a library log line could not be read: " + e);
            }
        }
    }
}
