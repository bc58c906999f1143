package org.n2dlive.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.micromanager.LogManager;

class LibraryLogRoutingTest {

    /** Micro-Manager's log as the plugin sees it: lines kept in order, errors marked. */
    static final class RecordingLog implements LogManager {
        final List<String> lines = new ArrayList<>();

        @Override
        public void logMessage(String msg) {
            lines.add(msg);
        }

        @Override
        public void logError(Exception e, String msg) {
            lines.add("ERROR " + msg + ": " + e);
        }

        @Override
        public void logError(String msg) {
            lines.add("ERROR " + msg);
        }

        @Override
        public void showError(String msg) {
            lines.add("SHOWN " + msg);
        }
    }

    @Test
    void djlWarningsReachMicroManagersLogAndNothingReachesTheConsole() throws Exception {
        LoggerContext context = new LoggerContext(); // as Micro-Manager's: everything at DEBUG to the root's appenders
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ListAppender<ILoggingEvent> console = new ListAppender<>();
        console.setContext(context);
        console.start();
        root.addAppender(console);
        RecordingLog mm = new RecordingLog();
        LibraryLogRouting.routeLogback(context, mm);
        LibraryLogRouting.routeLogback(context, mm); // idempotent: one appender

        Logger djl = context.getLogger("ai.djl.util.Ec2Utils");
        djl.debug("probing the metadata endpoint");
        djl.info("engine loaded");
        djl.warn("no GPU found, {} threads", 3);
        djl.error("load failed", new IllegalStateException("boom"));
        context.getLogger("org.micromanager.Other").info("Micro-Manager's own line");
        context.getLogger("org.n2dlive.engine.CpuKernelPath").info("CPU kernels: AVX2");
        context.getLogger("org.n2dlive.engine.CpuKernelPath").debug("detail");

        assertEquals(3, mm.lines.size(), "DJL's warnings and errors and the engine's information, once each: " + mm.lines);
        assertEquals("[n2d-live] INFO org.n2dlive.engine.CpuKernelPath: CPU kernels: AVX2", mm.lines.get(2));
        assertEquals("[n2d-live] WARN ai.djl.util.Ec2Utils: no GPU found, 3 threads", mm.lines.get(0));
        assertTrue(mm.lines.get(1).startsWith("ERROR [n2d-live] ERROR ai.djl.util.Ec2Utils: load failed: java.lang.IllegalStateException: boom"),
                mm.lines.get(1));
        assertEquals(1, console.list.size(), "DJL's and the engine's lines leave the console; others stay: " + console.list);
        assertEquals("org.micromanager.Other", console.list.get(0).getLoggerName());
    }
}
