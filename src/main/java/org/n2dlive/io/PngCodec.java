package org.n2dlive.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.n2dlive.frame.Frame;
import org.n2dlive.frame.PixelType;

/**
 * PNG to and from frames through javax.imageio's built-in PNG codec. Reads 8- and 16-bit grayscale (and
 * low-bit-depth gray, scaled to 8 bits by ImageIO); a colour or palette PNG is accepted only when every
 * pixel is gray (R = G = B) and fully opaque, so nothing is silently dropped. Writes GRAY8/GRAY16 frames
 * as 8/16-bit grayscale PNG. Uses in-memory streams only (no ImageIO cache files). Stateless; thread-safe.
 */
final class PngCodec {
    private PngCodec() {
    }

    static Frame read(Path file) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext()) {
            throw new ImageFormatException(file, "this Java runtime has no PNG reader");
        }
        ImageReader reader = readers.next();
        BufferedImage img;
        // FileImageInputStream opens the file read-only.
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            reader.setInput(in, true, true);
            img = reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageFormatException) throw (ImageFormatException) e;
            throw new ImageFormatException(file, "PNG file is truncated or corrupt (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
        return toFrame(file, img);
    }

    private static Frame toFrame(Path file, BufferedImage img) throws ImageFormatException {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        ColorModel cm = img.getColorModel();
        Raster ras = img.getRaster();
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            int[] idx = ras.getSamples(0, 0, w, h, 0, new int[n]);
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                int k = idx[i];
                int r = icm.getRed(k);
                if (r != icm.getGreen(k) || r != icm.getBlue(k)) {
                    throw colour(file, i % w, i / w, r, icm.getGreen(k), icm.getBlue(k), "palette");
                }
                if (icm.getAlpha(k) != 255) {
                    throw transparent(file, i % w, i / w);
                }
                out[i] = (byte) r;
            }
            return Frame.wrap(w, h, out);
        }
        int bands = ras.getNumBands();
        int bits = ras.getSampleModel().getSampleSize(0);
        boolean alpha = cm.hasAlpha();
        int colourBands = bands - (alpha ? 1 : 0);
        if (bits > 16 || (colourBands != 1 && colourBands != 3)) {
            throw new ImageFormatException(file, "unsupported PNG layout (" + bands + " channels of " + bits
                    + " bits); only 8- or 16-bit grayscale is supported");
        }
        int[] v = ras.getSamples(0, 0, w, h, 0, new int[n]);
        if (colourBands == 3) {
            int[] g = ras.getSamples(0, 0, w, h, 1, new int[n]);
            int[] b = ras.getSamples(0, 0, w, h, 2, new int[n]);
            for (int i = 0; i < n; i++) {
                if (v[i] != g[i] || v[i] != b[i]) {
                    throw colour(file, i % w, i / w, v[i], g[i], b[i], "RGB");
                }
            }
        }
        if (alpha) {
            int opaque = (1 << bits) - 1;
            int[] a = ras.getSamples(0, 0, w, h, bands - 1, new int[n]);
            for (int i = 0; i < n; i++) {
                if (a[i] != opaque) throw transparent(file, i % w, i / w);
            }
        }
        if (bits <= 8) {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) out[i] = (byte) v[i];
            return Frame.wrap(w, h, out);
        }
        short[] out = new short[n];
        for (int i = 0; i < n; i++) out[i] = (short) v[i];
        return Frame.wrap(w, h, out);
    }

    private static ImageFormatException colour(Path file, int x, int y, int r, int g, int b, String kind) {
        return new ImageFormatException(file, "is a " + kind + " colour PNG (pixel x=" + x + ", y=" + y + " has R,G,B = "
                + r + "," + g + "," + b + "); RGB is not supported, only grayscale: convert it to 8- or 16-bit "
                + "grayscale first (Fiji: Image > Type > 8-bit)");
    }

    private static ImageFormatException transparent(Path file, int x, int y) {
        return new ImageFormatException(file, "PNG has transparent pixels (first at x=" + x + ", y=" + y
                + "); only opaque grayscale is supported: remove the alpha channel first");
    }

    /** Writes one GRAY8 or GRAY16 frame as a grayscale PNG to out (not closed). */
    static void write(OutputStream out, Frame f) throws IOException {
        BufferedImage img;
        int n = f.pixelCount();
        if (f.type() == PixelType.GRAY8) {
            img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(f.bytes(), 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, n);
        } else if (f.type() == PixelType.GRAY16) {
            img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_USHORT_GRAY);
            System.arraycopy(f.shorts(), 0, ((DataBufferUShort) img.getRaster().getDataBuffer()).getData(), 0, n);
        } else {
            throw new IllegalArgumentException("PNG holds 8- or 16-bit gray only, not " + f.type());
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) throw new IOException("this Java runtime has no PNG writer");
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(img);
        } finally {
            writer.dispose();
        }
    }
}
