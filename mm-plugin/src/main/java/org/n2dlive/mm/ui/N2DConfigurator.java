package org.n2dlive.mm.ui;

import java.awt.BorderLayout;
import java.awt.EventQueue;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.JTextField;
import javax.swing.SpinnerNumberModel;
import javax.swing.Timer;
import javax.swing.WindowConstants;
import org.micromanager.PropertyMap;
import org.micromanager.data.ProcessorConfigurator;
import org.n2dlive.mm.DenoiserHost;
import org.n2dlive.mm.PluginInfo;
import org.n2dlive.mm.PluginSettings;
import org.n2dlive.mm.Telemetry;
import org.n2dlive.profile.ProfileKey;

/**
 * The plugin's settings window (Micro-Manager opens it from the On-The-Fly processor list): profile,
 * engine and device, adaptation budget, stream policy per mode, keep raw, ring memory, warm weights, the GPU folder,
 * and a live readout (frames/s, latency, dropped, model state, estimated quality, guarded frames, the device in use
 * and why the CPU, adaptation loss plot) refreshed twice a second.
 *
 * <p>Settings come in as the PropertyMap Micro-Manager saved and go back out through
 * {@link #getSettings()}; Micro-Manager builds each new pipeline (every acquisition, the live pipeline at
 * its next reset) from them. Swing: the window is built and used on the event thread; getSettings may be
 * called from any thread and reads the controls on the event thread.
 */
public final class N2DConfigurator implements ProcessorConfigurator {
    /** Profiles offered in the list; any other name or a profile file can be typed or browsed. */
    static final String[] PROFILE_CHOICES = org.n2dlive.profile.Profile.BUILT_INS.toArray(new String[0]);
    /** The stream policies by their names (the profile's "live" and "record"). */
    private static final List<String> POLICIES = List.of("LIVE", "RECORD");

    private final PropertyMap original;
    private final DenoiserHost host;
    /** All controls; built at once (works headless), put in a window by the first showGUI. */
    private JPanel content;
    private JFrame frame;
    private Timer refresh;

    private JComboBox<String> profile;
    private JComboBox<String> engine;
    private JComboBox<String> device;
    private JSpinner adaptSteps;
    private JComboBox<String> livePolicy;
    private JComboBox<String> acquisitionPolicy;
    private JCheckBox keepRaw;
    private JSpinner ringMb;
    private JComboBox<String> mode;
    private JTextField weightsFile;
    private JLabel rate;
    private JLabel latency;
    private JLabel dropped;
    private JLabel modelState;
    private JLabel quality;
    private JLabel guarded;
    private JLabel deviceInUse;
    private JLabel status;
    private LossPlot plot;

    public N2DConfigurator(PropertyMap settings, DenoiserHost host) {
        this.original = settings;
        this.host = host;
        PluginSettings s = PluginSettings.from(settings);
        onEdt(() -> build(s));
    }

    @Override
    public void showGUI() {
        onEdt(() -> {
            if (frame == null) {
                frame = new JFrame(PluginInfo.NAME + " " + PluginInfo.VERSION);
                frame.setDefaultCloseOperation(WindowConstants.HIDE_ON_CLOSE);
                frame.setContentPane(content);
                frame.pack();
                frame.setLocationByPlatform(true);
            }
            frame.setVisible(true);
            frame.toFront();
            refresh.start();
        });
    }

    @Override
    public void cleanup() {
        onEdt(() -> {
            refresh.stop();
            if (frame != null) frame.dispose();
        });
    }

    /** The current choices, written over the map Micro-Manager gave (other keys are kept). */
    @Override
    public PropertyMap getSettings() {
        AtomicReference<PluginSettings> s = new AtomicReference<>();
        onEdt(() -> s.set(readControls()));
        PropertyMap.Builder b = original != null ? original.copyBuilder() : org.micromanager.PropertyMaps.builder();
        return s.get().writeTo(b).build();
    }

    /** The window once showGUI ran, else null (tests and screenshots). */
    public JFrame window() {
        return frame;
    }

    /** The panel holding every control (tests). */
    JPanel content() {
        return content;
    }

    /** Refreshes the readout now (tests and screenshots; the timer does it twice a second). */
    public void refreshNow() {
        onEdt(this::refreshReadout);
    }

    private PluginSettings readControls() {
        Object typed = profile.isEditable() && profile.getEditor().getItem() != null
                ? profile.getEditor().getItem() : profile.getSelectedItem();
        String name = typed == null ? "" : typed.toString().trim();
        return PluginSettings.defaults().toBuilder()
                .profile(name.isEmpty() ? PluginSettings.DEFAULT_PROFILE : name)
                .engine((String) engine.getSelectedItem())
                .device((String) device.getSelectedItem())
                .adaptSteps((Integer) adaptSteps.getValue())
                .livePolicy((String) livePolicy.getSelectedItem())
                .acquisitionPolicy((String) acquisitionPolicy.getSelectedItem())
                .keepRaw(keepRaw.isSelected())
                .ringMemoryMb((Integer) ringMb.getValue())
                .mode((String) mode.getSelectedItem())
                .weightsFile(weightsFile.getText())
                .build();
    }

    private void build(PluginSettings s) {
        profile = new JComboBox<>(PROFILE_CHOICES);
        profile.setEditable(true);
        profile.setSelectedItem(s.profile());
        profile.setToolTipText("A built-in profile name, or a profile file");
        JButton browseProfile = new JButton("File…");
        browseProfile.addActionListener(e -> {
            File f = choose("Profile file", false);
            if (f != null) profile.setSelectedItem(f.getPath());
        });
        engine = combo(ProfileKey.ENGINE.options(), s.engine(), "Inference engine: auto picks PyTorch, ONNX Runtime is the CPU alternative");
        device = combo(ProfileKey.DEVICE.options(), s.device(), "auto uses a GPU when the engine finds one");
        adaptSteps = new JSpinner(new SpinnerNumberModel(s.adaptSteps(), -1, ProfileKey.Ranges.MAX_ADAPT_STEPS, 1));
        adaptSteps.setToolTipText("Adaptation (training) steps per frame; -1 keeps the profile's value, 0 freezes the model");
        weightsFile = new JTextField(s.weightsFile(), 18);
        weightsFile.setToolTipText("Warm weights loaded whenever the model starts (empty: start from the profile)");
        JButton load = new JButton("Load…");
        load.setToolTipText("Load a weights file now; it is also used whenever the model starts");
        load.addActionListener(e -> loadWeights());
        JButton save = new JButton("Save…");
        save.setToolTipText("Save the warm model's current weights");
        save.addActionListener(e -> saveWeights());

        livePolicy = combo(POLICIES, s.livePolicy(), "LIVE never waits: the newest finished frame is shown, others are skipped");
        acquisitionPolicy = combo(POLICIES, s.acquisitionPolicy(), "RECORD denoises every frame in order, waiting when the ring is full");
        keepRaw = new JCheckBox("Keep raw frames in acquisitions (adds channels \"<name>" + "-n2d\")", s.keepRaw());
        ringMb = new JSpinner(new SpinnerNumberModel(s.ringMemoryMb(), ProfileKey.Ranges.MIN_RING_MEMORY_MB,
                ProfileKey.Ranges.MAX_RING_MEMORY_MB, 16));
        ringMb.setToolTipText("Memory for frames waiting to be denoised in acquisitions");
        mode = combo(PluginSettings.MODES, s.mode(), "auto: a summary without dimensions or acquisition settings, and images on the Swing event thread, are live mode; anything else is an acquisition");

        JPanel model = section("Model");
        row(model, 0, "Profile", profile, browseProfile);
        row(model, 1, "Engine", engine, labelled("Device", device));
        row(model, 2, "Adaptation steps/frame", adaptSteps, new JLabel("-1 = profile's"));
        row(model, 3, "Warm weights", weightsFile, buttons(load, save));

        JPanel streaming = section("Streaming");
        row(streaming, 0, "Live mode policy", livePolicy, labelled("Acquisition policy", acquisitionPolicy));
        row(streaming, 1, "Ring memory (MiB)", ringMb, labelled("Pipeline detection", mode));
        GridBagConstraints c = gbc(0, 2);
        c.gridwidth = 3;
        streaming.add(keepRaw, c);

        JPanel readout = section("Now");
        rate = new JLabel("–");
        latency = new JLabel("–");
        dropped = new JLabel("–");
        status = new JLabel(" ");
        row(readout, 0, "Frames/s", rate, labelled("Latency", latency));
        row(readout, 1, "Dropped / passed through", dropped, new JLabel(""));
        modelState = new JLabel("–");
        row(readout, 2, "Model", modelState, new JLabel(""));
        quality = new JLabel("–");
        quality.setToolTipText("PSNR of the denoised frames estimated without ground truth from consecutive frames' "
                + "independent noise; needs a still scene and temporal denoising");
        guarded = new JLabel("0");
        guarded.setToolTipText("Denoised frames a check refused: they went out raw, flagged, and the model rolled back");
        row(readout, 3, "Estimated quality", quality, labelled("Guarded frames", guarded));
        deviceInUse = new JLabel("–");
        JButton gpuFolder = new JButton("GPU folder…");
        gpuFolder.setToolTipText("Choose a folder holding a CUDA libtorch (checked at once; shared with `n2d gpu use`)");
        gpuFolder.addActionListener(e -> chooseGpuFolder());
        row(readout, 4, "Device", deviceInUse, gpuFolder);
        c = gbc(0, 5);
        c.gridwidth = 3;
        c.fill = GridBagConstraints.HORIZONTAL;
        readout.add(status, c);
        plot = new LossPlot();
        c = gbc(0, 6);
        c.gridwidth = 3;
        c.fill = GridBagConstraints.BOTH;
        c.weightx = 1;
        c.weighty = 1;
        readout.add(plot, c);

        JPanel body = new JPanel(new GridBagLayout());
        body.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
        GridBagConstraints bc = new GridBagConstraints();
        bc.gridx = 0;
        bc.fill = GridBagConstraints.BOTH;
        bc.weightx = 1;
        bc.insets = new Insets(2, 0, 2, 0);
        body.add(model, bc);
        body.add(streaming, bc);
        bc.weighty = 1;
        body.add(readout, bc);
        JLabel note = new JLabel("Changes apply to the next acquisition and the next live-mode restart.");
        note.setFont(note.getFont().deriveFont(note.getFont().getSize2D() - 1f));
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setBorder(BorderFactory.createEmptyBorder(0, 8, 6, 8));
        bottom.add(note, BorderLayout.WEST);
        JButton close = new JButton("Close");
        close.addActionListener(e -> {
            if (frame != null) frame.setVisible(false);
        });
        bottom.add(close, BorderLayout.EAST);
        content = new JPanel(new BorderLayout());
        content.add(body, BorderLayout.CENTER);
        content.add(bottom, BorderLayout.SOUTH);
        refresh = new Timer(500, e -> refreshReadout());
        refreshReadout();
    }

    private void refreshReadout() {
        Telemetry.Snapshot t = host.telemetry().snapshot(System.nanoTime());
        rate.setText(String.format(Locale.ROOT, "%.1f", t.framesPerSecond));
        double latencyMs = host.latencyMs();
        latency.setText(Double.isNaN(latencyMs) ? "–" : String.format(Locale.ROOT, "%.0f ms", latencyMs));
        dropped.setText(t.dropped + " / " + t.passedThrough + "   (" + t.framesOut + " of " + t.framesIn + " frames out)");
        modelState.setText(modelText(t));
        quality.setText(qualityText(t));
        long g = host.guardedFrames();
        String why = host.firstGuardReason();
        guarded.setText(g == 0 ? "0" : g + (why == null ? "" : " (first: " + why + ")"));
        String dev;
        try {
            dev = deviceText((String) device.getSelectedItem(), (String) engine.getSelectedItem(), host.gpuStatus());
        } catch (RuntimeException ex) {
            dev = "unknown: " + ex.getMessage();
        }
        if (dev.startsWith("CPU")) {
            // which CPU kernels, and the per-shape check: what a user on an unusual CPU needs to see
            dev += ". Kernels: " + org.n2dlive.engine.CpuKernelPath.brief() + "; nets checked: "
                    + org.n2dlive.engine.NumericsCheck.summary();
        }
        deviceInUse.setText("<html><body style='width:360px'>" + escape(dev) + "</body></html>");
        status.setText("<html>" + escape(host.status()) + "</html>");
        plot.setValues(t.losses);
    }

    /** Folder chooser for a CUDA libtorch: checked at once; saved (and reported) only when usable. */
    private void chooseGpuFolder() {
        JFileChooser fc = new JFileChooser();
        fc.setDialogTitle("Folder with a CUDA libtorch (a libtorch download, or a Python torch package)");
        fc.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
        if (fc.showOpenDialog(frame) != JFileChooser.APPROVE_OPTION) return;
        File f = fc.getSelectedFile();
        try {
            String next = host.useGpuFolder(f.toPath());
            JOptionPane.showMessageDialog(frame, next, PluginInfo.NAME, JOptionPane.INFORMATION_MESSAGE);
        } catch (IllegalArgumentException ex) {
            JOptionPane.showMessageDialog(frame, "Not saved: " + ex.getMessage(), PluginInfo.NAME, JOptionPane.ERROR_MESSAGE);
        } catch (Exception ex) {
            JOptionPane.showMessageDialog(frame, "Could not save the GPU folder:\n" + ex, PluginInfo.NAME,
                    JOptionPane.ERROR_MESSAGE);
        }
        refreshReadout();
    }

    /**
     * The device the denoiser uses (or will) and, for the CPU, why: the Device and Engine settings first (they
     * choose the CPU whatever the GPU setup), then what PyTorch loaded or will load.
     */
    public static String deviceText(String deviceSetting, String engineSetting, org.n2dlive.engine.GpuSetup.Status gpu) {
        if ("cpu".equals(deviceSetting)) return "CPU: Device is set to cpu";
        if ("onnx".equals(engineSetting)) return "CPU: the onnx engine runs on the CPU only";
        return gpu == null ? "unknown" : gpu.summary();
    }

    /** "31.4 dB (PSNR estimated on 12 of the last 16 frames)", or why there is none. */
    public static String qualityText(Telemetry.Snapshot t) {
        if (Double.isNaN(t.estimatedPsnrDb)) {
            return t.framesOut == 0 ? "–" : "– (no estimate: it needs a still scene and temporal denoising)";
        }
        return String.format(Locale.ROOT, "%.1f dB PSNR (estimated on %d of the last %d frames)", t.estimatedPsnrDb,
                t.estimatedPsnrFrames, Telemetry.QUALITY_WINDOW);
    }

    private void loadWeights() {
        File f = choose("Load warm weights", false);
        if (f == null) return;
        try {
            host.loadWeights(f.toPath());
            weightsFile.setText(f.getPath());
        } catch (Exception ex) {
            JOptionPane.showMessageDialog(frame, "Could not load " + f + ":\n" + ex.getMessage(),
                    PluginInfo.NAME, JOptionPane.ERROR_MESSAGE);
        }
    }

    private void saveWeights() {
        if (!host.hasWeights()) {
            JOptionPane.showMessageDialog(frame, "No warm model yet: run live mode or an acquisition first.",
                    PluginInfo.NAME, JOptionPane.INFORMATION_MESSAGE);
            return;
        }
        File f = choose("Save warm weights", true);
        if (f == null) return;
        try {
            host.saveWeights(f.toPath());
        } catch (Exception ex) {
            JOptionPane.showMessageDialog(frame, "Could not save " + f + ":\n" + ex.getMessage(),
                    PluginInfo.NAME, JOptionPane.ERROR_MESSAGE);
        }
    }

    private File choose(String title, boolean save) {
        JFileChooser fc = new JFileChooser();
        fc.setDialogTitle(title);
        int r = save ? fc.showSaveDialog(frame) : fc.showOpenDialog(frame);
        return r == JFileChooser.APPROVE_OPTION ? fc.getSelectedFile() : null;
    }

    private static JComboBox<String> combo(List<String> items, String selected, String tip) {
        JComboBox<String> c = new JComboBox<>(items.toArray(new String[0]));
        c.setSelectedItem(selected);
        c.setToolTipText(tip);
        return c;
    }

    private static JPanel section(String title) {
        JPanel p = new JPanel(new GridBagLayout());
        p.setBorder(BorderFactory.createTitledBorder(title));
        return p;
    }

    private static JComponent labelled(String label, JComponent c) {
        JPanel p = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 0));
        p.add(new JLabel(label));
        p.add(c);
        return p;
    }

    private static JComponent buttons(JButton... bs) {
        JPanel p = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 0));
        for (JButton b : bs) p.add(b);
        return p;
    }

    /** "warming up | first output 420 ms | re-fits 1 (scene change: ...) | clipped 0". */
    public static String modelText(Telemetry.Snapshot t) {
        if (Double.isNaN(t.firstOutputMs)) return "–";
        StringBuilder b = new StringBuilder(t.warmingUp ? "warming up" : "warm");
        b.append(String.format(Locale.ROOT, " | first output %.0f ms | re-fits %d", t.firstOutputMs, t.refits));
        if (t.refits > 0 && t.lastRefitReason != null && !t.lastRefitReason.isEmpty()) {
            b.append(" (").append(t.lastRefitReason).append(')');
        }
        b.append(" | clipped ").append(t.clippedPixels);
        return b.toString();
    }

    private static void row(JPanel p, int y, String label, JComponent field, JComponent extra) {
        GridBagConstraints c = gbc(0, y);
        c.anchor = GridBagConstraints.LINE_END;
        p.add(new JLabel(label), c);
        c = gbc(1, y);
        c.fill = GridBagConstraints.HORIZONTAL;
        p.add(field, c);
        c = gbc(2, y);
        c.weightx = 1;
        p.add(extra, c);
    }

    private static GridBagConstraints gbc(int x, int y) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = x;
        c.gridy = y;
        c.anchor = GridBagConstraints.LINE_START;
        c.insets = new Insets(2, 4, 2, 4);
        return c;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void onEdt(Runnable r) {
        if (EventQueue.isDispatchThread()) {
            r.run();
            return;
        }
        try {
            EventQueue.invokeAndWait(r);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Swing event thread", e);
        }
    }
}
