package org.n2dlive.synth;

import java.util.SplittableRandom;

/**
 * A procedurally drawn fluorescence-like scene in unit range: a dim uneven background, cells (a soft
 * cytoplasm with a brighter, textured nucleus), curved filaments about one pixel wide, and small bright puncta.
 * It gives the default test stream fine lines, edges and flat areas without any data files. Deterministic for a
 * seed; stateless and thread-safe.
 */
public final class CellScene {
    private CellScene() {
    }

    /** A width × height scene, row-major, values in [0, 1], drawn from {@code seed}. */
    public static float[] draw(int width, int height, long seed) {
        if (width < 8 || height < 8) throw new IllegalArgumentException("a cell scene needs at least 8x8 pixels, got " + width + "x" + height);
        SplittableRandom r = new SplittableRandom(seed);
        float[] img = new float[width * height];
        double area = (double) width * height;
        double scale = Math.sqrt(area) / 256.0; // sizes below are for a 256² frame
        background(img, width, height, r);
        int cells = Math.max(1, (int) Math.round(7 * area / (256.0 * 256)));
        for (int c = 0; c < cells; c++) cell(img, width, height, r, scale);
        int filaments = Math.max(2, (int) Math.round(28 * area / (256.0 * 256)));
        for (int f = 0; f < filaments; f++) filament(img, width, height, r, scale);
        int puncta = Math.max(3, (int) Math.round(45 * area / (256.0 * 256)));
        for (int p = 0; p < puncta; p++) {
            spot(img, width, height, r.nextDouble() * width, r.nextDouble() * height, 0.9 + 0.6 * r.nextDouble(),
                    0.35 + 0.5 * r.nextDouble());
        }
        for (int i = 0; i < img.length; i++) img[i] = Math.max(0f, Math.min(1f, img[i]));
        return img;
    }

    private static void background(float[] img, int w, int h, SplittableRandom r) {
        double[][] bumps = new double[4][];
        for (int k = 0; k < bumps.length; k++) {
            bumps[k] = new double[] {r.nextDouble() * w, r.nextDouble() * h, (0.25 + 0.3 * r.nextDouble()) * Math.max(w, h),
                0.015 + 0.025 * r.nextDouble()};
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.03;
                for (double[] b : bumps) {
                    double dx = x - b[0];
                    double dy = y - b[1];
                    v += b[3] * Math.exp(-(dx * dx + dy * dy) / (2 * b[2] * b[2]));
                }
                img[y * w + x] += (float) v;
            }
        }
    }

    private static void cell(float[] img, int w, int h, SplittableRandom r, double scale) {
        double cx = r.nextDouble() * w;
        double cy = r.nextDouble() * h;
        double angle = r.nextDouble() * Math.PI;
        double a = (22 + 16 * r.nextDouble()) * scale;
        double b = a * (0.55 + 0.35 * r.nextDouble());
        ellipse(img, w, h, cx, cy, a, b, angle, 0.10 + 0.08 * r.nextDouble(), 2.5 * scale);
        double na = a * (0.38 + 0.12 * r.nextDouble());
        double nb = na * (0.7 + 0.25 * r.nextDouble());
        double ncx = cx + (r.nextDouble() - 0.5) * 0.3 * a;
        double ncy = cy + (r.nextDouble() - 0.5) * 0.3 * b;
        ellipse(img, w, h, ncx, ncy, na, nb, angle + (r.nextDouble() - 0.5), 0.35 + 0.25 * r.nextDouble(), 1.2 * scale);
        int grains = 12 + r.nextInt(12); // chromatin texture inside the nucleus
        for (int g = 0; g < grains; g++) {
            double t = r.nextDouble() * 2 * Math.PI;
            double rr = Math.sqrt(r.nextDouble()) * 0.8;
            spot(img, w, h, ncx + rr * na * Math.cos(t), ncy + rr * nb * Math.sin(t), 1.0 + 1.2 * r.nextDouble(),
                    (r.nextDouble() - 0.35) * 0.25);
        }
    }

    /** Adds a soft-edged filled ellipse (semi-axes a, b, rotated), its edge a logistic ramp of the given width. */
    private static void ellipse(float[] img, int w, int h, double cx, double cy, double a, double b, double angle,
                                double level, double edge) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int r = (int) Math.ceil(Math.max(a, b) + 4 * edge);
        for (int y = Math.max(0, (int) cy - r); y <= Math.min(h - 1, (int) cy + r); y++) {
            for (int x = Math.max(0, (int) cx - r); x <= Math.min(w - 1, (int) cx + r); x++) {
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * cos + dy * sin) / a;
                double v = (-dx * sin + dy * cos) / b;
                double dist = (Math.sqrt(u * u + v * v) - 1) * Math.min(a, b); // ≈ pixels outside the edge
                img[y * w + x] += (float) (level / (1 + Math.exp(dist / Math.max(0.3, edge * 0.5))));
            }
        }
    }

    /** A filament: a smooth random walk with momentum, drawn as a chain of Gaussian spots half a pixel apart. */
    private static void filament(float[] img, int w, int h, SplittableRandom r, double scale) {
        double x = r.nextDouble() * w;
        double y = r.nextDouble() * h;
        double heading = r.nextDouble() * 2 * Math.PI;
        double turn = 0;
        double length = (50 + 120 * r.nextDouble()) * scale;
        double level = 0.12 + 0.2 * r.nextDouble();
        double sigma = 0.7 + 0.4 * r.nextDouble();
        for (double s = 0; s < length; s += 0.5) {
            spot(img, w, h, x, y, sigma, level * 0.5); // half a pixel apart: two overlapping spots per pixel
            turn = 0.92 * turn + 0.015 * Gaussians.next(r);
            heading += turn;
            x += 0.5 * Math.cos(heading);
            y += 0.5 * Math.sin(heading);
        }
    }

    /** Adds a Gaussian spot of peak {@code level} (may be negative, for texture). */
    static void spot(float[] img, int w, int h, double cx, double cy, double sigma, double level) {
        int r = (int) Math.ceil(3.5 * sigma);
        double inv = 1 / (2 * sigma * sigma);
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        for (int y = Math.max(0, y0 - r); y <= Math.min(h - 1, y0 + r + 1); y++) {
            double dy = y - cy;
            for (int x = Math.max(0, x0 - r); x <= Math.min(w - 1, x0 + r + 1); x++) {
                double dx = x - cx;
                img[y * w + x] += (float) (level * Math.exp(-(dx * dx + dy * dy) * inv));
            }
        }
    }
}
