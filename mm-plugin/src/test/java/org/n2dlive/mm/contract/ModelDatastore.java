package org.n2dlive.mm.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.micromanager.data.Coords;
import org.micromanager.data.Image;
import org.micromanager.data.SummaryMetadata;

/**
 * Our model of the datastore a pipeline writes into. An acquisition's store takes one image per coordinates
 * (a second one at the same coordinates is refused: README, {@code DatastoreRewriteException}), all of one
 * format, and nothing once frozen. Live mode's store is rewritable: a new image at the same coordinates replaces
 * the old one (so the view shows the newest), and a new frame size is taken. Thread-safe (one lock).
 */
public final class ModelDatastore {
    /** An image the store refuses. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

    private final boolean rewritable;
    private final Map<Coords, ModelImage> images = new LinkedHashMap<>();
    private SummaryMetadata summary;
    private ModelImage newest;
    private boolean frozen;

    private ModelDatastore(boolean rewritable) {
        this.rewritable = rewritable;
    }

    /** An acquisition's RAM store. */
    public static ModelDatastore acquisition() {
        return new ModelDatastore(false);
    }

    /** Live mode's rewritable store. */
    public static ModelDatastore live() {
        return new ModelDatastore(true);
    }

    synchronized void setSummaryMetadata(SummaryMetadata s) {
        if (frozen) throw new Refused("the store is frozen");
        summary = s;
    }

    synchronized void put(Image image) {
        if (frozen) throw new Refused("the store is frozen: " + image);
        if (!(image instanceof ModelImage)) throw new ClassCastException("not made by Micro-Manager's builders: " + image);
        ModelImage i = (ModelImage) image;
        if (!rewritable) {
            if (images.containsKey(i.getCoords())) throw new Refused("a second image at " + i.getCoords());
            if (newest != null && !newest.sameFormat(i)) throw new Refused(i + " differs in format from " + newest);
        }
        images.put(i.getCoords(), i);
        newest = i;
    }

    public synchronized void freeze() {
        frozen = true;
    }

    public synchronized SummaryMetadata getSummaryMetadata() {
        return summary;
    }

    public synchronized ModelImage getImage(Coords c) {
        return images.get(c);
    }

    /** The image put last (what live mode's display shows), or null. */
    public synchronized ModelImage newest() {
        return newest;
    }

    public synchronized List<Coords> getUnorderedImageCoords() {
        return new ArrayList<>(images.keySet());
    }

    public synchronized int getNumImages() {
        return images.size();
    }
}
