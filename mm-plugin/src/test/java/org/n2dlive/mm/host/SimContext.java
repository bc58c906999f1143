package org.n2dlive.mm.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.ProcessorContext;
import org.micromanager.data.SummaryMetadata;

/**
 * Test ProcessorContext that checks Micro-Manager's rules: outputImage only while the pipeline is inside
 * the processor's processImage or cleanup, on the pipeline's thread; and, like a datastore, no two images
 * at the same coordinates. Breaches are recorded (and thrown, as a real pipeline would fail). Outputs are
 * kept in order. Used by the pipeline thread; read by the test after the pipeline is halted.
 */
public final class SimContext implements ProcessorContext {
    private final List<Image> outputs = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Set<Coords> stored = new HashSet<>();
    private final boolean rewritable;
    private volatile Thread inside;
    private volatile SummaryMetadata summary;

    /** @param rewritable true for live mode's store, which replaces images at equal coordinates */
    public SimContext(boolean rewritable) {
        this.rewritable = rewritable;
    }

    void enter() {
        inside = Thread.currentThread();
    }

    void leave() {
        inside = null;
    }

    void setSummary(SummaryMetadata s) {
        summary = s;
    }

    @Override
    public void outputImage(Image image) {
        if (inside != Thread.currentThread()) {
            String v = "outputImage called outside processImage/cleanup, from thread " + Thread.currentThread().getName();
            synchronized (this) {
                violations.add(v);
            }
            throw new IllegalStateException(v);
        }
        synchronized (this) {
            if (!stored.add(image.getCoords()) && !rewritable) {
                String v = "second image at " + image.getCoords() + " (a datastore rejects it)";
                violations.add(v);
                throw new IllegalStateException(v);
            }
            outputs.add(image);
        }
    }

    @Override
    public SummaryMetadata getSummaryMetadata() {
        return summary;
    }

    public synchronized List<Image> outputs() {
        return new ArrayList<>(outputs);
    }

    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }
}
