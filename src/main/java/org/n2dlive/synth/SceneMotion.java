package org.n2dlive.synth;

import java.util.SplittableRandom;

/**
 * How the clean scene moves from frame to frame: a steady drift of the whole field (stage drift, in pixels per
 * frame; the edges mirror, so nothing goes blank) plus a few bright Gaussian objects crossing it in straight
 * lines, bouncing off the borders. Frame i is a pure function of i, so any frame can be made again. Immutable.
 */
public final class SceneMotion {
    /** No motion at all. */
    public static final SceneMotion NONE = new SceneMotion(0, 0, 0, 0, 2, 0.8, 0);

    private final double driftX;
    private final double driftY;
    private final double[][] objects; // x0, y0, vx, vy per object, positions relative to a 1×1 field
    private final double objectSigma;
    private final double objectLevel;

    /**
     * @param driftX, driftY  field drift, pixels per frame
     * @param objects         number of moving bright objects (0..1000)
     * @param objectSpeed     their speed, pixels per frame
     * @param objectSigma     their Gaussian radius, pixels
     * @param objectLevel     their peak, unit intensity
     * @param seed            where they start and which way they go
     */
    public SceneMotion(double driftX, double driftY, int objects, double objectSpeed, double objectSigma, double objectLevel,
                       long seed) {
        if (!Double.isFinite(driftX) || !Double.isFinite(driftY)) throw new IllegalArgumentException("drift must be finite");
        if (objects < 0 || objects > 1000) throw new IllegalArgumentException("moving objects must be in 0..1000, got " + objects);
        if (!(objectSpeed >= 0) || Double.isInfinite(objectSpeed)) throw new IllegalArgumentException("object speed must be >= 0, got " + objectSpeed);
        if (!(objectSigma > 0) || objectSigma > 100) throw new IllegalArgumentException("object sigma must be in (0, 100] pixels, got " + objectSigma);
        if (!(objectLevel >= 0) || objectLevel > 1) throw new IllegalArgumentException("object brightness must be in 0..1, got " + objectLevel);
        this.driftX = driftX;
        this.driftY = driftY;
        this.objectSigma = objectSigma;
        this.objectLevel = objectLevel;
        SplittableRandom r = new SplittableRandom(seed ^ 0x6D6F74696F6EL);
        this.objects = new double[objects][];
        for (int k = 0; k < objects; k++) {
            double t = r.nextDouble() * 2 * Math.PI;
            this.objects[k] = new double[] {r.nextDouble(), r.nextDouble(), objectSpeed * Math.cos(t), objectSpeed * Math.sin(t)};
        }
    }

    /** Writes frame i's clean image: {@code clean} shifted by i·drift (bilinear, mirrored edges), plus the objects. */
    public void render(float[] clean, int w, int h, int i, float[] out) {
        double sx = driftX * i;
        double sy = driftY * i;
        if (sx == 0 && sy == 0) {
            System.arraycopy(clean, 0, out, 0, w * h);
        } else {
            for (int y = 0; y < h; y++) {
                double v = y - sy;
                int y0 = (int) Math.floor(v);
                float fy = (float) (v - y0);
                int ya = mirror(y0, h) * w;
                int yb = mirror(y0 + 1, h) * w;
                for (int x = 0; x < w; x++) {
                    double u = x - sx;
                    int x0 = (int) Math.floor(u);
                    float fx = (float) (u - x0);
                    int xa = mirror(x0, w);
                    int xb = mirror(x0 + 1, w);
                    float top = clean[ya + xa] + fx * (clean[ya + xb] - clean[ya + xa]);
                    float bottom = clean[yb + xa] + fx * (clean[yb + xb] - clean[yb + xa]);
                    out[y * w + x] = top + fy * (bottom - top);
                }
            }
        }
        if (objects.length == 0) return;
        for (double[] o : objects) {
            double px = bounce(o[0] * (w - 1) + o[2] * i, w - 1);
            double py = bounce(o[1] * (h - 1) + o[3] * i, h - 1);
            CellScene.spot(out, w, h, px, py, objectSigma, objectLevel);
        }
        for (int k = 0; k < w * h; k++) out[k] = Math.min(1f, out[k]);
    }

    /** Index k reflected into 0..n-1 (period 2n−2), so shifted content mirrors at the borders. */
    static int mirror(int k, int n) {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        int m = Math.floorMod(k, period);
        return m < n ? m : period - m;
    }

    /** A position moving freely, folded into [0, max] as if bouncing off both ends. */
    /**
     * The moving objects' footprint on frame i: out[k] is true within {@code radiusSigmas}·σ of an object's centre
     * (where a temporal filter could leave a ghost or a lag), false elsewhere. For benchmarks; allocates nothing.
     */
    public void objectMask(int w, int h, int i, double radiusSigmas, boolean[] out) {
        java.util.Arrays.fill(out, 0, w * h, false);
        double r = radiusSigmas * objectSigma;
        for (double[] o : objects) {
            double px = bounce(o[0] * (w - 1) + o[2] * i, w - 1);
            double py = bounce(o[1] * (h - 1) + o[3] * i, h - 1);
            for (int y = Math.max(0, (int) Math.floor(py - r)); y <= Math.min(h - 1, (int) Math.ceil(py + r)); y++) {
                for (int x = Math.max(0, (int) Math.floor(px - r)); x <= Math.min(w - 1, (int) Math.ceil(px + r)); x++) {
                    if ((x - px) * (x - px) + (y - py) * (y - py) <= r * r) out[y * w + x] = true;
                }
            }
        }
    }

    static double bounce(double p, double max) {
        if (max <= 0) return 0;
        double m = p % (2 * max);
        if (m < 0) m += 2 * max;
        return m <= max ? m : 2 * max - m;
    }
}
