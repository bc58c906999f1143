package org.n2dlive.io;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Where each page of a TIFF sits on the (position, channel, z, time) axes, and the file's calibration, from
 * the metadata microscopy writers leave in it. Sources, most authoritative first:
 * <ol>
 *   <li>OME-XML in the first page's ImageDescription (OME-TIFF, Micro-Manager's datasets): one {@code Image} per
 *       stage position, {@code DimensionOrder} and sizes, {@code TiffData} plane maps, physical sizes, time
 *       increment, channel names;</li>
 *   <li>Micro-Manager's per-plane JSON (tag 51123: {@code PositionIndex}, {@code ChannelIndex}, {@code SliceIndex},
 *       {@code FrameIndex}) on every page;</li>
 *   <li>ImageJ's description ({@code channels}, {@code slices}, {@code frames}, {@code hyperstack}, {@code unit},
 *       {@code spacing}, {@code finterval}), its slice labels and the X/YResolution tags.</li>
 * </ol>
 * A plain stack (no axes declared) is a time series, the convention of this project's streams: an ImageJ stack
 * without {@code hyperstack=true} does not say whether its slices are z or time, and time-lapse writers often
 * leave it out.
 *
 * <p>Stateless; XML is parsed with the JDK's DOM parser, external entities disabled.
 */
final class StackLayout {
    /** Page i (0-based, full-resolution pages in file order) goes to hyperstack index {@code target[i]}. */
    final int[] target;
    final int positions;
    final int channels;
    final int slices;
    final int frames;
    final boolean declared;
    final Calibration calibration;

    private StackLayout(int[] target, int positions, int channels, int slices, int frames, boolean declared,
            Calibration calibration) {
        this.target = target;
        this.positions = positions;
        this.channels = channels;
        this.slices = slices;
        this.frames = frames;
        this.declared = declared;
        this.calibration = calibration;
    }

    /** What the first page says about the file. */
    static final class Clues {
        String description;
        double xResolution;
        double yResolution;
        int resolutionUnit = 1;
        List<String> sliceLabels = Collections.emptyList();
        /** Per-page Micro-Manager JSON, or null where a page has none. */
        List<String> mmPlaneJson = new ArrayList<>();
    }

    static StackLayout of(Path file, int pages, Clues clues) throws ImageFormatException {
        String d = clues.description == null ? "" : clues.description.trim();
        if (d.startsWith("<?xml") || d.startsWith("<OME")) {
            return ome(file, pages, d, clues);
        }
        if (pages > 1 && clues.mmPlaneJson.size() == pages && !clues.mmPlaneJson.contains(null)) {
            StackLayout mm = micromanager(file, pages, clues);
            if (mm != null) return mm;
        }
        return imagej(file, pages, d, clues);
    }

    // ---- ImageJ ----

    private static StackLayout imagej(Path file, int pages, String d, Clues clues) throws ImageFormatException {
        Map<String, String> kv = new LinkedHashMap<>();
        boolean isImageJ = d.startsWith("ImageJ=");
        if (isImageJ) {
            for (String line : d.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        String unit = kv.containsKey("unit") ? imagejUnit(kv.get("unit")) : null;
        double pw = clues.xResolution > 0 ? 1 / clues.xResolution : 0;
        double ph = clues.yResolution > 0 ? 1 / clues.yResolution : 0;
        if (unit == null) {
            // Without ImageJ's unit key, the TIFF resolution unit: 2 inch, 3 cm; 1 (none) means no calibration.
            unit = clues.resolutionUnit == 2 ? "inch" : clues.resolutionUnit == 3 ? "cm" : null;
        }
        if (unit == null) {
            pw = 0;
            ph = 0;
        }
        double spacing = number(kv.get("spacing"));
        double interval = number(kv.get("finterval"));
        boolean hyper = "true".equalsIgnoreCase(kv.get("hyperstack"));
        int c = integer(kv.get("channels"), 1);
        int z = integer(kv.get("slices"), 1);
        int t = integer(kv.get("frames"), 1);
        boolean declared = hyper || c > 1 || t > 1;
        List<String> names = Collections.emptyList();
        if (!declared || (long) c * z * t != pages) {
            if (declared) {
                throw new ImageFormatException(file, "its ImageJ description declares " + c + " channels × " + z
                        + " slices × " + t + " frames = " + (long) c * z * t + " planes, but the file holds " + pages);
            }
            c = 1;
            z = 1;
            t = pages;
        } else if (c > 1 && clues.sliceLabels.size() >= c) {
            names = new ArrayList<>(clues.sliceLabels.subList(0, c));
            if (names.stream().anyMatch(s -> s == null || s.isBlank())) names = Collections.emptyList();
        }
        int[] target = new int[pages];
        for (int i = 0; i < pages; i++) target[i] = i; // ImageJ's order is already channel, z, time
        Calibration cal = new Calibration(pw, ph, unit, spacing, interval, names);
        return new StackLayout(target, 1, c, z, t, declared, cal);
    }

    /** ImageJ writes µm as "micron" (older) or "\\u00B5m"/"um" (newer); one spelling here. */
    static String imagejUnit(String u) {
        if (u == null || u.isBlank()) return null;
        String s = u.trim().replace("\\u00B5", "\u00B5");
        switch (s) {
            case "\u00B5m": case "um": case "micron": case "microns": case "\u03BCm":
                return "micron";
            case "pixel": case "pixels":
                return null;
            default:
                return s;
        }
    }

    // ---- Micro-Manager per-plane JSON ----

    private static StackLayout micromanager(Path file, int pages, Clues clues) throws ImageFormatException {
        int[][] idx = new int[pages][];
        int[] max = new int[4];
        for (int i = 0; i < pages; i++) {
            String j = clues.mmPlaneJson.get(i);
            int p = jsonInt(j, "PositionIndex");
            int c = jsonInt(j, "ChannelIndex");
            int z = jsonInt(j, "SliceIndex");
            int t = jsonInt(j, "FrameIndex");
            if (c < 0 || z < 0 || t < 0) return null; // not the per-plane keys we know: fall back
            idx[i] = new int[] {Math.max(p, 0), c, z, t};
            for (int k = 0; k < 4; k++) max[k] = Math.max(max[k], idx[i][k]);
        }
        int np = max[0] + 1, nc = max[1] + 1, nz = max[2] + 1, nt = max[3] + 1;
        if ((long) np * nc * nz * nt != pages) {
            throw new ImageFormatException(file, "its Micro-Manager plane metadata spans " + np + " positions × " + nc
                    + " channels × " + nz + " slices × " + nt + " frames, but the file holds " + pages
                    + " planes (an interrupted acquisition?); crop it to complete time points first");
        }
        int[] target = new int[pages];
        boolean[] used = new boolean[pages];
        for (int i = 0; i < pages; i++) {
            int k = flat(idx[i][0], idx[i][1], idx[i][2], idx[i][3], nc, nz, nt);
            if (used[k]) {
                throw new ImageFormatException(file, "its Micro-Manager plane metadata gives two planes the same "
                        + "position, channel, slice and frame (page " + (i + 1) + ")");
            }
            used[k] = true;
            target[i] = k;
        }
        StackLayout ij = imagej(file, pages, clues.description == null ? "" : clues.description, imagejFallbackClues(clues));
        return new StackLayout(target, np, nc, nz, nt, true, ij.calibration.withChannelNames(Collections.emptyList()));
    }

    private static Clues imagejFallbackClues(Clues clues) {
        Clues c = new Clues();
        c.description = clues.description != null && clues.description.startsWith("ImageJ=") ? clues.description : null;
        c.xResolution = clues.xResolution;
        c.yResolution = clues.yResolution;
        c.resolutionUnit = clues.resolutionUnit;
        return c;
    }

    /** A non-negative integer value of "key": n in a JSON object's text, or -1. Enough for MM's flat plane maps. */
    static int jsonInt(String json, String key) {
        if (json == null) return -1;
        String q = "\"" + key + "\"";
        int at = json.indexOf(q);
        if (at < 0) return -1;
        int i = at + q.length();
        while (i < json.length() && (json.charAt(i) == ' ' || json.charAt(i) == ':' || json.charAt(i) == '"')) i++;
        int start = i;
        while (i < json.length() && Character.isDigit(json.charAt(i))) i++;
        if (i == start) return -1;
        try {
            return Integer.parseInt(json.substring(start, i));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- OME-XML ----

    private static StackLayout ome(Path file, int pages, String xml, Clues clues) throws ImageFormatException {
        Document doc = parse(file, xml);
        List<Element> images = children(doc.getDocumentElement(), "Image");
        if (images.isEmpty()) {
            throw new ImageFormatException(file, "its OME-XML describes no Image");
        }
        String self = file.getFileName() == null ? "" : file.getFileName().toString();
        int nc = -1, nz = -1, nt = -1;
        int np = images.size();
        Calibration cal = null;
        int[] target = new int[pages];
        Arrays.fill(target, -1);
        int sequential = 0;
        for (int p = 0; p < np; p++) {
            Element px = first(images.get(p), "Pixels");
            if (px == null) throw new ImageFormatException(file, "its OME-XML Image " + p + " has no Pixels element");
            String order = px.getAttribute("DimensionOrder");
            int c = attrInt(file, px, "SizeC", 1), z = attrInt(file, px, "SizeZ", 1), t = attrInt(file, px, "SizeT", 1);
            if (p == 0) {
                nc = c;
                nz = z;
                nt = t;
                cal = omeCalibration(px, c);
            } else if (c != nc || z != nz || t != nt) {
                throw new ImageFormatException(file, "its OME-XML positions differ in size (Image 0: " + nc + "×" + nz
                        + "×" + nt + ", Image " + p + ": " + c + "×" + z + "×" + t + " channels×slices×frames); "
                        + "save each position to a file of its own");
            }
            int perImage = c * z * t;
            List<Element> tds = children(px, "TiffData");
            if (tds.isEmpty()) {
                for (int k = 0; k < perImage; k++) {
                    place(file, target, sequential++, p, order, k, c, z, t, nc, nz, nt);
                }
                continue;
            }
            for (Element td : tds) {
                Element uuid = first(td, "UUID");
                String other = uuid == null ? "" : uuid.getAttribute("FileName");
                if (!other.isEmpty() && !other.equals(self)) {
                    throw new ImageFormatException(file, "is part of a multi-file OME-TIFF dataset: its planes continue"
                            + " in '" + other + "'; open each file of the dataset on its own, or save the dataset as"
                            + " one file");
                }
                int ifd = attrInt(file, td, "IFD", 0);
                int fc = attrInt(file, td, "FirstC", 0), fz = attrInt(file, td, "FirstZ", 0), ft = attrInt(file, td, "FirstT", 0);
                int count = td.hasAttribute("PlaneCount") ? attrInt(file, td, "PlaneCount", 1)
                        : tds.size() == 1 && !td.hasAttribute("IFD") ? perImage : 1;
                int startK = rank(order, fc, fz, ft, c, z, t);
                for (int k = 0; k < count; k++) {
                    place(file, target, ifd + k, p, order, startK + k, c, z, t, nc, nz, nt);
                }
            }
        }
        for (int i = 0; i < pages; i++) {
            if (target[i] < 0) {
                throw new ImageFormatException(file, "its OME-XML maps no plane to page " + (i + 1) + " of " + pages);
            }
        }
        if ((long) np * nc * nz * nt != pages) {
            throw new ImageFormatException(file, "its OME-XML describes " + (long) np * nc * nz * nt + " planes, but the"
                    + " file holds " + pages);
        }
        return new StackLayout(target, np, nc, nz, nt, true, cal);
    }

    /** Rank of (c, z, t) in the sequence a DimensionOrder such as XYCZT walks (first letter after XY fastest). */
    private static int rank(String order, int c, int z, int t, int sc, int sz, int st) {
        String o = order.length() == 5 ? order.substring(2) : "CZT";
        int[] v = new int[3];
        int[] size = new int[3];
        for (int i = 0; i < 3; i++) {
            char a = o.charAt(i);
            v[i] = a == 'C' ? c : a == 'Z' ? z : t;
            size[i] = a == 'C' ? sc : a == 'Z' ? sz : st;
        }
        return v[0] + size[0] * (v[1] + size[1] * v[2]);
    }

    private static void place(Path file, int[] target, int page, int p, String order, int k, int c, int z, int t,
            int nc, int nz, int nt) throws ImageFormatException {
        if (page < 0 || page >= target.length) {
            throw new ImageFormatException(file, "its OME-XML refers to page " + (page + 1) + " but the file holds "
                    + target.length);
        }
        String o = order.length() == 5 ? order.substring(2) : "CZT";
        int[] size = new int[3];
        for (int i = 0; i < 3; i++) {
            char a = o.charAt(i);
            size[i] = a == 'C' ? c : a == 'Z' ? z : t;
        }
        int v0 = k % size[0], v1 = (k / size[0]) % size[1], v2 = k / (size[0] * size[1]);
        if (v2 >= size[2]) {
            throw new ImageFormatException(file, "its OME-XML plane map runs past the image's " + c * z * t + " planes");
        }
        int[] v = {v0, v1, v2};
        int ci = 0, zi = 0, ti = 0;
        for (int i = 0; i < 3; i++) {
            char a = o.charAt(i);
            if (a == 'C') ci = v[i];
            else if (a == 'Z') zi = v[i];
            else ti = v[i];
        }
        if (target[page] >= 0) {
            throw new ImageFormatException(file, "its OME-XML maps two planes to page " + (page + 1));
        }
        target[page] = flat(p, ci, zi, ti, nc, nz, nt);
    }

    private static int flat(int p, int c, int z, int t, int nc, int nz, int nt) {
        return ((p * nt + t) * nz + z) * nc + c;
    }

    private static Calibration omeCalibration(Element px, int channels) {
        double pw = number(px.getAttribute("PhysicalSizeX"));
        double ph = number(px.getAttribute("PhysicalSizeY"));
        double pz = number(px.getAttribute("PhysicalSizeZ"));
        String unitX = px.hasAttribute("PhysicalSizeXUnit") ? px.getAttribute("PhysicalSizeXUnit") : "\u00B5m";
        String unit = pw > 0 ? imagejUnit(unitX) : null;
        double ti = number(px.getAttribute("TimeIncrement"));
        String tu = px.hasAttribute("TimeIncrementUnit") ? px.getAttribute("TimeIncrementUnit") : "s";
        double toSeconds = "ms".equals(tu) ? 1e-3 : "min".equals(tu) ? 60 : "h".equals(tu) ? 3600
                : "\u00B5s".equals(tu) || "us".equals(tu) ? 1e-6 : 1;
        List<String> names = new ArrayList<>();
        for (Element ch : children(px, "Channel")) names.add(ch.getAttribute("Name"));
        if (names.size() != channels || names.stream().anyMatch(String::isBlank)) names = Collections.emptyList();
        return new Calibration(pw, ph > 0 ? ph : pw, unit, pz, ti * toSeconds, names);
    }

    private static Document parse(Path file, String xml) throws ImageFormatException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new ImageFormatException(file, "its OME-XML description cannot be read: " + e.getMessage());
        }
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element && localName.equals(local(n))) out.add((Element) n);
        }
        return out;
    }

    private static Element first(Element parent, String localName) {
        List<Element> l = children(parent, localName);
        return l.isEmpty() ? null : l.get(0);
    }

    private static String local(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    private static int attrInt(Path file, Element e, String name, int dflt) throws ImageFormatException {
        if (!e.hasAttribute(name)) return dflt;
        String v = e.getAttribute(name).trim();
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException ex) {
            throw new ImageFormatException(file, "its OME-XML has " + e.getTagName() + " " + name + "=\"" + v
                    + "\", expected a whole number ≥ 0");
        }
    }

    private static double number(String s) {
        if (s == null || s.isBlank()) return 0;
        try {
            double v = Double.parseDouble(s.trim());
            return Double.isFinite(v) && v > 0 ? v : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int integer(String s, int dflt) {
        if (s == null) return dflt;
        try {
            int v = Integer.parseInt(s.trim());
            return v >= 1 ? v : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d×%d×%d×%d %s", positions, frames, slices, channels, calibration);
    }
}
