package org.n2dlive.engine.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Adam with PyTorch's default update (β1 0.9, β2 0.999, ε 1e-8, bias-corrected, no weight decay) and a
 * step schedule: lr = lr0 · 0.5^⌊t / halvingSteps⌋, the reference's StepLR(1000, 0.5).
 *
 * <p>State (first and second moments, step count) persists across calls, which is what lets a streaming
 * model keep adapting frame after frame. All arithmetic is in place on the state arrays; temporaries go to
 * the caller's per-step manager. Threading: owned by the training thread.
 */
public final class TorchAdam implements AutoCloseable {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final NDManager manager;
    private final NDArray[] params;
    private final NDArray[] m;
    private final NDArray[] v;
    private final double baseLr;
    private final int halvingSteps;
    private long step;
    /** The step the halving schedule counts from (0, or the last {@link #restartSchedule}). */
    private long scheduleStart;

    public TorchAdam(TorchNet net, double learningRate, int halvingSteps) {
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        if (halvingSteps <= 0) throw new IllegalArgumentException("halving steps must be positive, got " + halvingSteps);
        this.params = net.parameters();
        this.manager = params[0].getManager().newSubManager();
        this.baseLr = learningRate;
        this.halvingSteps = halvingSteps;
        m = new NDArray[params.length];
        v = new NDArray[params.length];
        for (int i = 0; i < params.length; i++) {
            m[i] = manager.zeros(params[i].getShape());
            v[i] = manager.zeros(params[i].getShape());
        }
    }

    /** The learning rate the next step will use. */
    public double currentLearningRate() {
        return baseLr * Math.pow(0.5, Math.floorDiv(step - scheduleStart, (long) halvingSteps));
    }

    /**
     * Starts the halving schedule again from the base rate, keeping the moments and the bias-correction step count
     * (a warm net re-adapting to a new scene: zeroed moments would make its first steps full-size in every weight).
     */
    public void restartSchedule() {
        scheduleStart = step;
    }

    public long steps() {
        return step;
    }

    /** Forgets moments and step count (after a re-fit from scratch). */
    public void reset() {
        // in place, and overwritten rather than multiplied by 0 so that non-finite moments are cleared too (see
        // TorchNet#load); NDArray.set(Buffer) would re-point the tensor at a Java buffer it does not own
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < params.length; i++) {
                m[i].set(TorchNet.ALL, scratch.zeros(m[i].getShape()));
                v[i].set(TorchNet.ALL, scratch.zeros(v[i].getShape()));
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        step = 0;
        scheduleStart = 0;
    }

    /**
     * Keeps the moments consistent with {@link TorchNet#rescaleInput}: with inputs × a the loss scales by a², so
     * weight gradients by a² and bias gradients by a; moments follow, and the next step is the one it would have
     * been. Parameters alternate weight, bias.
     */
    public void rescaleInput(float a) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < params.length; i++) {
                float g = i % 2 == 0 ? a * a : a;
                m[i].muli(g);
                v[i].muli(g * g);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * A copy of the state (moments, step count, where the halving schedule counts from) in Java memory, so a model can serve another series and later
     * resume this one exactly ({@link #restore}).
     */
    public State save() {
        float[][] ms = new float[m.length][];
        float[][] vs = new float[v.length][];
        for (int i = 0; i < m.length; i++) {
            ms[i] = m[i].toFloatArray();
            vs[i] = v[i].toFloatArray();
        }
        return new State(ms, vs, step, scheduleStart);
    }

    /** Installs a state {@link #save} made on an optimiser of the same net shape, in place. */
    public void restore(State s) {
        if (s.m.length != m.length) throw new IllegalArgumentException("the state is for another net shape");
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < m.length; i++) {
                if (s.m[i].length != m[i].size()) throw new IllegalArgumentException("the state is for another net shape");
                // in place (see TorchNet#load): NDArray.set(Buffer) would re-point the tensor at a Java buffer
                m[i].set(TorchNet.ALL, TorchOps.weights(scratch, s.m[i], s.m[i].length, m[i].getShape()));
                v[i].set(TorchNet.ALL, TorchOps.weights(scratch, s.v[i], s.v[i].length, v[i].getShape()));
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        step = s.step;
        scheduleStart = s.scheduleStart;
    }

    /** Adam's moments, step count and schedule start, copied out of the device. Immutable by convention (the arrays are not shared). */
    public static final class State {
        final float[][] m;
        final float[][] v;
        final long step;
        final long scheduleStart;

        State(float[][] m, float[][] v, long step, long scheduleStart) {
            this.m = m;
            this.v = v;
            this.step = step;
            this.scheduleStart = scheduleStart;
        }

        public long steps() {
            return step;
        }

        /** Bytes held in Java memory. */
        public long bytes() {
            long n = 0;
            for (float[] a : m) n += 4L * a.length;
            for (float[] a : v) n += 4L * a.length;
            return n;
        }
    }

    /** Applies one update from the gradients now in the parameters; temporaries go to {@code scratch}. */
    public void update(NDManager scratch) {
        double lr = currentLearningRate();
        step++;
        double bc1 = 1 - Math.pow(BETA1, step);
        double bc2 = 1 - Math.pow(BETA2, step);
        float stepSize = (float) (lr / bc1);
        float sqrtBc2 = (float) Math.sqrt(bc2);
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < params.length; i++) {
                NDArray g = JniUtils.getGradient((PtNDArray) params[i]);
                g.attach(scratch);
                m[i].muli(BETA1).addi(g.mul(1 - BETA1));
                v[i].muli(BETA2).addi(g.square().muli(1 - BETA2));
                NDArray denom = v[i].sqrt();
                denom.attach(scratch);
                denom.divi(sqrtBc2).addi(EPS);
                NDArray delta = m[i].div(denom);
                delta.attach(scratch);
                params[i].subi(delta.muli(stepSize));
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
