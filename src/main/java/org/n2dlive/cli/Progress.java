package org.n2dlive.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for long runs. On a terminal it redraws in place (at most 5 times a
 * second); otherwise it prints a line every 10 %, so logs stay readable. Single-threaded.
 */
final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;

    Progress(PrintStream out) {
        this(new PrintWriter(out, true));
    }

    /** On a command's own error writer (picocli's {@code getErr()}), so tests can capture it. */
    Progress(PrintWriter out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    void update(String label, long done, long total, String extra) {
        long now = System.nanoTime();
        double frac = total == 0 ? 1 : (double) done / total;
        if (terminal) {
            if (done != total && now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            int width = 30;
            int filled = (int) Math.round(frac * width);
            StringBuilder bar = new StringBuilder(width);
            for (int i = 0; i < width; i++) bar.append(i < filled ? '#' : ' ');
            out.printf(Locale.ROOT, "\r%s [%s] %d/%d %s ETA %s   ", label, bar, done, total, extra, eta(frac, now));
            if (done == total) out.println();
        } else {
            int decile = (int) Math.floor(frac * 10);
            if (decile == lastDecile) return;
            lastDecile = decile;
            out.printf(Locale.ROOT, "%s %3d%% (%d/%d) %s ETA %s%n", label, decile * 10, done, total, extra, eta(frac, now));
        }
        out.flush();
    }

    private String eta(double frac, long now) {
        if (frac <= 0) return "?";
        double elapsed = (now - start) / 1e9;
        long rest = Math.round(elapsed / frac - elapsed);
        return rest >= 60 ? (rest / 60) + "m" + String.format(Locale.ROOT, "%02d", rest % 60) + "s" : rest + "s";
    }
}
