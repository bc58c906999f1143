package org.n2dlive.engine.onnx;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.n2dlive.engine.InferenceBackend;
import org.n2dlive.engine.Pipeline;
import org.n2dlive.engine.RowBands;
import org.n2dlive.engine.NetWeights;

/**
 * N2D inference on ONNX Runtime (CPU), the runtime that DJL's OnnxRuntime engine ships. The graph comes from
 * {@link N2dOnnxGraph}. DJL brings ONNX Runtime up (its engine owns the process-wide environment); sessions are
 * then made from the graph bytes and run directly on the {@link OrtSession} API, because DJL's Model/NDList path
 * wraps every input and output in new NDArrays per call, cannot write into pinned output buffers, and does not
 * expose its session.
 *
 * <p>Sessions are built lazily, on a pipeline's first {@code infer}. Stage 1, and the shuffle pipelines on frames of
 * 1024² and more, read the weights as graph inputs over direct buffers that {@code setWeights} rewrites in place: one
 * session serves every weight set, and every backend in the process with the same channel counts
 * ({@link SharedSessions}), and its memory arena keeps the band activations from one frame to the next. The shuffle
 * pipelines on smaller frames run on a session with the current weights baked in, which ONNX Runtime reorders for
 * faster kernels, built again (a few ms) after each weight change (see {@link #readsWeightInputs}).
 * {@code setWeights} compares the new values with the installed ones and does nothing when they are equal.
 *
 * <p>Parallelism: the frame is cut into horizontal {@link RowBands} (with a halo of context rows, so the result is
 * the whole-frame one), a multiple of the thread count and each of bounded size, and each thread runs its share of
 * them single-threaded on the same session (ONNX Runtime allows concurrent {@code run} calls). On 2 cores this beat one run with 2 intra-op threads by ~20 % at 512²,
 * because the convolution then scales with no synchronisation between its ops.
 *
 * <p>Per-frame path: each band's input and output tensors sit on reused direct buffers (made once per geometry
 * in use: the frame's and the fresh-pixel pass's tile mosaics); outputs are written into them in place (pinned outputs), and every
 * {@link OrtSession.Result} is closed, so repeated calls leak no native memory.
 *
 * <p>Threading: owned by one thread (the worker), which runs the first lane of bands itself; the others run on this
 * backend's own daemon threads ({@code threads − 1} of them) for the duration of {@link #infer}. Not thread-safe.
 */
public final class OnnxInference implements InferenceBackend {

    private final OrtEnvironment env;
    private final int threads;

    private NetWeights f;
    private NetWeights g;
    /** The installed weights as the sessions read them: direct buffers under input tensors, rewritten in place. */
    private WeightInputs fInputs;
    private WeightInputs gInputs;
    /** The weight inputs by name, for the bands' feeds: f's (every pipeline), g's (FULL only). */
    private final Map<String, OnnxTensor> fFeeds = new HashMap<>();
    private final Map<String, OnnxTensor> gFeeds = new HashMap<>();
    /** Sessions that read the weights as inputs, per pipeline (shared in the process: {@link SharedSessions}). */
    private final OrtSession[] sessions = new OrtSession[Pipeline.values().length];
    /** Sessions with this weight set baked in, per pipeline. */
    private final OrtSession[] bakedSessions = new OrtSession[Pipeline.values().length];
    /**
     * Frames of at least this many pixels run the shuffle pipelines on weight inputs; smaller ones on a session with
     * the weights baked in. See {@link #readsWeightInputs}.
     */
    static final long SHUFFLE_INPUTS_FROM_PIXELS = 1L << 20;
    private int sessionBuilds;
    private long lastBuildNanos;
    private boolean closed;

    // Size-dependent I/O per geometry and pipeline (band layouts differ by halo), kept for the geometries in use: the
    // frame's, and the fresh-pixel pass's tile mosaics (32 or 64 px wide, 1 to 16 tiles high; see TileMosaic). The least
    // recently used go when a new one would exceed MAX_GEOMETRIES, or the buffers IO_BUDGET_BYTES (a user changing the
    // camera's ROI must not pile up frame-sized buffers).
    static final int MAX_GEOMETRIES = 40;
    static final long IO_BUDGET_BYTES = 64L << 20;
    private final List<GeometryIo> geometries = new ArrayList<>();
    private long ioUses;
    private final ExecutorService bandThreads;
    private final List<Future<?>> pendingBands = new ArrayList<>();

    /** One band per available processor. */
    public OnnxInference() {
        this(org.n2dlive.engine.EngineDefaults.threads() > 0 ? org.n2dlive.engine.EngineDefaults.threads()
                : Runtime.getRuntime().availableProcessors());
    }

    /** {@code threads} bands run at once (the caller's thread and {@code threads − 1} of this backend's). */
    public OnnxInference(int threads) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive, got " + threads);
        this.threads = threads;
        try {
            // DJL's engine owns ONNX Runtime's process-wide environment; getEnvironment() then returns that same one.
            Engine.getEngine("OnnxRuntime");
        } catch (RuntimeException e) {
            throw new IllegalStateException("DJL's OnnxRuntime engine is not available: " + e.getMessage(), e);
        }
        this.env = OrtEnvironment.getEnvironment();
        AtomicInteger names = new AtomicInteger();
        this.bandThreads = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "n2d-onnx-band-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "onnx";
    }

    public int threads() {
        return threads;
    }

    /**
     * How many sessions this backend has built (weight changes build none, except for small frames' shuffle pipelines;
     * a session another backend already shares counts for none).
     */
    public int sessionBuilds() {
        return sessionBuilds;
    }

    /** Wall time of the latest session build (graph encoding + ONNX Runtime session creation), in nanoseconds. */
    public long lastBuildNanos() {
        return lastBuildNanos;
    }

    @Override
    public void setWeights(NetWeights f, NetWeights g) {
        checkOpen();
        if (f == null) throw new IllegalArgumentException("net f must not be null");
        if (!same(this.f, f)) {
            this.f = install(this.f, f);
            closeBaked(Pipeline.values());
            if (fInputs == null || fInputs.channels != f.channels) {
                releaseShared(Pipeline.values());
                fInputs = replace(fInputs, "f", f.channels, fFeeds);
            }
            fInputs.write(this.f);
        }
        if (!same(this.g, g)) {
            this.g = g == null ? null : install(this.g, g);
            closeBaked(Pipeline.FULL);
            if (g != null && (gInputs == null || gInputs.channels != g.channels)) {
                releaseShared(Pipeline.FULL);
                gInputs = replace(gInputs, "g", g.channels, gFeeds);
            }
            if (g != null) gInputs.write(this.g);
        }
    }

    /**
     * Whether {@code pipeline} on a {@code width} × {@code height} frame runs on the session that reads the weights
     * as inputs (kept across weight sets, with its arena) rather than on one with the current weights baked in (built
     * per weight set, without an arena). Stage 1 always reads inputs: as fast as baked weights, and it keeps its
     * activations. The shuffle pipelines run their 48-channel nets on batches of sub-images, where baked weights let
     * ONNX Runtime reorder them for its blocked kernels: 10–17 % faster at 256² (balanced). From 1024² on, their
     * activations (~100 MB a tensor per band) are what counts: taken from the C heap each frame, they cost page faults
     * where the heap maps large blocks afresh (glibc's default, as in Micro-Manager) and fragmented it where it keeps
     * them (the launcher's settings: 2.5–3.0 GB resident at 2048² against 1.9 GB). Measured in docs/cost-curve.md,
     * "One session for every weight set".
     */
    static boolean readsWeightInputs(Pipeline pipeline, int width, int height) {
        return !pipeline.shuffles() || (long) width * height >= SHUFFLE_INPUTS_FROM_PIXELS;
    }

    /** New weight inputs for net {@code which} ({@code channels} channels), in place of {@code old} and in {@code feeds}. */
    private WeightInputs replace(WeightInputs old, String which, int channels, Map<String, OnnxTensor> feeds) {
        if (old != null) old.close();
        feeds.clear();
        WeightInputs in = new WeightInputs(which, channels);
        for (int i = 0; i < in.names.length; i++) feeds.put(in.names[i], in.tensors[i]);
        return in;
    }

    @Override
    public void infer(float[] y, int width, int height, Pipeline pipeline, float[][] out) {
        checkOpen();
        int n = checkArguments(y, width, height, pipeline, out);
        if (f == null) throw new IllegalStateException("no weights installed: call setWeights first");
        if (pipeline == Pipeline.FULL && g == null) {
            throw new IllegalStateException("pipeline FULL needs net g, but setWeights was given g = null");
        }
        OrtSession session = session(pipeline, readsWeightInputs(pipeline, width, height));
        BandIo[] bands = ensureIo(width, height, pipeline);
        int lanes = Math.min(threads, bands.length);
        pendingBands.clear();
        for (int lane = 1; lane < lanes; lane++) {
            int first = lane;
            pendingBands.add(bandThreads.submit(() -> runLane(bands, first, lanes, session, y, out)));
        }
        RuntimeException failure = null;
        try {
            runLane(bands, 0, lanes, session, y, out);
        } catch (RuntimeException e) {
            failure = e;
        }
        // Wait for every band, even after a failure: none may still write into out once infer returns.
        for (Future<?> f : pendingBands) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                            : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted while ONNX Runtime ran a band", e);
            }
        }
        pendingBands.clear();
        if (failure != null) throw failure;
    }

    /** Bands first, first + lanes, … on the calling thread. */
    private static void runLane(BandIo[] bands, int first, int lanes, OrtSession session, float[] y, float[][] out) {
        for (int b = first; b < bands.length; b += lanes) bands[b].run(session, y, out);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        releaseShared(Pipeline.values());
        closeBaked(Pipeline.values());
        releaseIo();
        if (fInputs != null) fInputs.close();
        if (gInputs != null) gInputs.close();
        fFeeds.clear();
        gFeeds.clear();
        if (bandThreads != null) bandThreads.shutdownNow();
    }

    // ---- validation ----

    private static int checkArguments(float[] y, int width, int height, Pipeline pipeline, float[][] out) {
        if (pipeline == null) throw new IllegalArgumentException("pipeline must not be null");
        if (y == null) throw new IllegalArgumentException("input image y must not be null");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "×" + height);
        }
        if (width % 4 != 0 || height % 4 != 0) {
            throw new IllegalArgumentException("width and height must be multiples of 4 (pixel-shuffle paths use "
                    + "block sizes 2 and 4), got " + width + "×" + height);
        }
        long pixels = (long) width * height;
        if (pixels > Integer.MAX_VALUE) throw new IllegalArgumentException("image too large: " + width + "×" + height);
        int n = (int) pixels;
        if (y.length < n) {
            throw new IllegalArgumentException("input array holds " + y.length + " values, " + width + "×" + height
                    + " needs " + n);
        }
        if (out == null) throw new IllegalArgumentException("out must not be null");
        if (out.length != pipeline.stages()) {
            throw new IllegalArgumentException("out must have one slot per stage: " + pipeline + " has "
                    + pipeline.stages() + ", out has " + out.length);
        }
        for (int k = 0; k < out.length; k++) {
            if (out[k] != null && out[k].length < n) {
                throw new IllegalArgumentException("out[" + k + "] holds " + out[k].length + " values, " + width + "×"
                        + height + " needs " + n);
            }
        }
        return n;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("this OnnxInference is closed");
    }

    // ---- weights ----

    private static boolean same(NetWeights a, NetWeights b) {
        if (a == null || b == null) return a == b;
        // Exact comparison instead of a hash: no false "unchanged", and no allocation.
        return a.channels == b.channels && Arrays.equals(a.w1, b.w1) && Arrays.equals(a.b1, b.b1)
                && Arrays.equals(a.w2, b.w2) && Arrays.equals(a.b2, b.b2)
                && Arrays.equals(a.w3, b.w3) && Arrays.equals(a.b3, b.b3);
    }

    /** Copies {@code src} into {@code dst} when the shapes match (no allocation), else returns a fresh copy. */
    private static NetWeights install(NetWeights dst, NetWeights src) {
        if (dst == null || dst.channels != src.channels) return src.copy();
        System.arraycopy(src.w1, 0, dst.w1, 0, src.w1.length);
        System.arraycopy(src.b1, 0, dst.b1, 0, src.b1.length);
        System.arraycopy(src.w2, 0, dst.w2, 0, src.w2.length);
        System.arraycopy(src.b2, 0, dst.b2, 0, src.b2.length);
        System.arraycopy(src.w3, 0, dst.w3, 0, src.w3.length);
        System.arraycopy(src.b3, 0, dst.b3, 0, src.b3.length);
        return dst;
    }

    // ---- sessions ----

    private OrtSession session(Pipeline pipeline, boolean inputs) {
        OrtSession[] table = inputs ? sessions : bakedSessions;
        OrtSession s = table[pipeline.ordinal()];
        if (s != null) return s;
        if (inputs) {
            int channelsG = pipeline == Pipeline.FULL ? g.channels : 0;
            s = SharedSessions.acquire(pipeline + " f" + f.channels + " g" + channelsG, () -> newSession(pipeline,
                    N2dOnnxGraph.buildWithWeightInputs(pipeline, f.channels, channelsG), true));
        } else {
            s = newSession(pipeline, N2dOnnxGraph.build(pipeline, f, g), false);
        }
        table[pipeline.ordinal()] = s;
        return s;
    }

    private OrtSession newSession(Pipeline pipeline, byte[] model, boolean arena) {
        long t0 = System.nanoTime();
        OrtSession s;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One thread per run: the parallelism is across bands (see the class comment), each run on its caller.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // An arena only where the session outlives the frame: one per weight set would grow afresh every frame
            // (on a loaded 2-core host the frame after a rebuild then took a median 1.0-5.3x the arithmetic floor,
            // against 1.0-2.4x with plain allocations; docs/cost-curve.md, "ONNX Runtime's arena").
            options.setCPUArenaAllocator(arena);
            s = env.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected the " + pipeline + " graph: " + e.getMessage(), e);
        }
        lastBuildNanos = System.nanoTime() - t0;
        sessionBuilds++;
        return s;
    }

    /** Lets go of the shared sessions of {@code which}. */
    private void releaseShared(Pipeline... which) {
        for (Pipeline p : which) {
            OrtSession s = sessions[p.ordinal()];
            sessions[p.ordinal()] = null;
            if (s != null) SharedSessions.release(s);
        }
    }

    /** Closes this weight set's baked sessions of {@code which}. */
    private void closeBaked(Pipeline... which) {
        for (Pipeline p : which) {
            OrtSession s = bakedSessions[p.ordinal()];
            bakedSessions[p.ordinal()] = null;
            if (s == null) continue;
            try {
                s.close();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed to close a session: " + e.getMessage(), e);
            }
        }
    }

    // ---- I/O tensors ----

    private BandIo[] ensureIo(int width, int height, Pipeline pipeline) {
        GeometryIo g = null;
        for (GeometryIo c : geometries) {
            if (c.width == width && c.height == height) {
                g = c;
                break;
            }
        }
        if (g == null) {
            if (geometries.size() == MAX_GEOMETRIES) {
                GeometryIo oldest = geometries.get(0);
                for (GeometryIo c : geometries) if (c.lastUse < oldest.lastUse) oldest = c;
                oldest.close();
                geometries.remove(oldest);
            }
            g = new GeometryIo(width, height);
            geometries.add(g);
        }
        g.lastUse = ++ioUses;
        BandIo[] bands = g.io[pipeline.ordinal()];
        if (bands != null) return bands;
        RowBands layout = RowBands.forThreads(width, height, pipeline, threads);
        bands = new BandIo[layout.count()];
        // A lane runs its bands one after another, so they share its buffers: the I/O stays lanes × one band.
        int lanes = Math.min(threads, bands.length);
        FloatBuffer[][] laneBuffers = new FloatBuffer[lanes][1 + pipeline.stages()];
        for (FloatBuffer[] lane : laneBuffers) {
            for (int k = 0; k < lane.length; k++) lane[k] = directFloats(layout.maxInRows() * width);
        }
        for (int b = 0; b < bands.length; b++) {
            bands[b] = new BandIo(layout, b, width, pipeline, laneBuffers[b % lanes], b < lanes);
        }
        g.io[pipeline.ordinal()] = bands;
        evictOver(IO_BUDGET_BYTES, g);
        return bands;
    }

    /** Closes the least recently used geometries other than {@code keep} while the buffers exceed {@code budget}. */
    private void evictOver(long budget, GeometryIo keep) {
        while (geometries.size() > 1) {
            long total = 0;
            GeometryIo oldest = null;
            for (GeometryIo c : geometries) {
                total += c.bytes();
                if (c != keep && (oldest == null || c.lastUse < oldest.lastUse)) oldest = c;
            }
            if (total <= budget) return;
            oldest.close();
            geometries.remove(oldest);
        }
    }

    private void releaseIo() {
        for (GeometryIo g : geometries) g.close();
        geometries.clear();
    }

    /** How many geometries this backend holds I/O buffers for (tests). */
    int geometriesHeld() {
        return geometries.size();
    }

    /** One geometry's band I/O, per pipeline. */
    private static final class GeometryIo {
        final int width;
        final int height;
        final BandIo[][] io = new BandIo[Pipeline.values().length][];
        long lastUse;

        GeometryIo(int width, int height) {
            this.width = width;
            this.height = height;
        }

        long bytes() {
            long sum = 0;
            for (BandIo[] bands : io) if (bands != null) for (BandIo b : bands) sum += b.bytes();
            return sum;
        }

        void close() {
            for (int p = 0; p < io.length; p++) {
                if (io[p] != null) for (BandIo b : io[p]) b.close();
                io[p] = null;
            }
        }
    }

    /** One net's weights as input tensors over direct buffers, which {@link #write} overwrites in place. */
    private final class WeightInputs {
        final int channels;
        final String[] names;
        final FloatBuffer[] buffers;
        final OnnxTensor[] tensors;

        WeightInputs(String which, int channels) {
            this.channels = channels;
            names = N2dOnnxGraph.weightNames(which);
            long[][] shapes = new NetWeights(channels).shapes();
            buffers = new FloatBuffer[names.length];
            tensors = new OnnxTensor[names.length];
            for (int i = 0; i < names.length; i++) {
                long n = 1;
                for (long d : shapes[i]) n *= d;
                buffers[i] = directFloats((int) n);
                tensors[i] = tensor(buffers[i], shapes[i]);
            }
        }

        /** Copies {@code w} in: what every later run reads. Only between runs (on the owner thread). */
        void write(NetWeights w) {
            float[][] arrays = w.arrays();
            for (int i = 0; i < arrays.length; i++) {
                buffers[i].position(0);
                buffers[i].put(arrays[i]);
                buffers[i].position(0);
            }
        }

        void close() {
            closeAll(tensors);
        }
    }

    /** One band's pinned input and outputs, and the maps that name them for {@code session.run}. */
    private final class BandIo {
        final int width;
        final int inStart;
        final int coreOffset; // first own row, counted within the band's input
        final int coreStart;
        final int coreRows;
        final int stages;
        final Pipeline pipeline;
        final boolean readsWeights;
        final long laneBytes;
        final FloatBuffer inputBuffer;
        final OnnxTensor input;
        final FloatBuffer[] outputBuffers;
        final Map<String, OnnxTensor> feeds = new HashMap<>();
        final Map<String, OnnxTensor> fetches = new HashMap<>();
        private final OnnxTensor[] outputs;

        /** {@code lane}: the input buffer, then one per stage, each at least this band's size (shared by a lane). */
        BandIo(RowBands layout, int b, int width, Pipeline pipeline, FloatBuffer[] lane, boolean countsLane) {
            this.laneBytes = countsLane ? 4L * lane[0].capacity() * lane.length : 0;
            this.width = width;
            this.inStart = layout.inStart(b);
            this.coreStart = layout.coreStart(b);
            this.coreRows = layout.coreRows(b);
            this.coreOffset = coreStart - inStart;
            this.stages = pipeline.stages();
            this.pipeline = pipeline;
            this.readsWeights = readsWeightInputs(pipeline, width, layout.height());
            long[] shape = {1, 1, layout.inRows(b), width};
            int n = layout.inRows(b) * width;
            inputBuffer = view(lane[0], n);
            input = tensor(inputBuffer, shape);
            outputBuffers = new FloatBuffer[stages];
            outputs = new OnnxTensor[stages];
            for (int k = 0; k < stages; k++) {
                outputBuffers[k] = view(lane[1 + k], n);
                outputs[k] = tensor(outputBuffers[k], shape);
                fetches.put(N2dOnnxGraph.outputName(k + 1), outputs[k]);
            }
            feeds.put(N2dOnnxGraph.INPUT, input);
        }

        /** Copies the band's rows in, runs the session, copies its own rows out. Runs on any one thread. */
        void run(OrtSession session, float[] y, float[][] out) {
            inputBuffer.position(0);
            inputBuffer.put(y, inStart * width, inputBuffer.capacity());
            OrtSession.Result result;
            try {
                if (readsWeights) { // the same tensors every run, until a channel count changes
                    feeds.putAll(fFeeds);
                    if (pipeline == Pipeline.FULL) feeds.putAll(gFeeds);
                }
                result = session.run(feeds, fetches);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on rows " + inStart + "–"
                        + (inStart + inputBuffer.capacity() / width - 1) + " of a " + width + "-wide frame: "
                        + e.getMessage(), e);
            }
            // The outputs are pinned, already in outputBuffers; closing frees whatever else the result owns.
            result.close();
            for (int k = 0; k < stages; k++) {
                if (out[k] == null) continue;
                outputBuffers[k].position(coreOffset * width);
                outputBuffers[k].get(out[k], coreStart * width, coreRows * width);
            }
        }

        /** The lane's buffers, counted on its first band only. */
        long bytes() {
            return laneBytes;
        }

        void close() {
            input.close();
            closeAll(outputs);
        }
    }

    /**
     * A tensor that views {@code buffer} (direct, native order): writes to the buffer are what ONNX Runtime reads.
     * ONNX Runtime sizes it by the buffer's remaining(), so buffers are passed fresh, at position 0.
     */
    private OnnxTensor tensor(FloatBuffer buffer, long[] shape) {
        try {
            return OnnxTensor.createTensor(env, buffer, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not create a tensor of shape "
                    + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /** The first {@code n} floats of a direct buffer, as a buffer of capacity n (the same memory). */
    private static FloatBuffer view(FloatBuffer buffer, int n) {
        FloatBuffer d = buffer.duplicate();
        d.position(0).limit(n);
        return d.slice();
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static void closeAll(OnnxTensor[] tensors) {
        if (tensors == null) return;
        for (OnnxTensor t : tensors) {
            if (t != null) t.close();
        }
    }
}
