package org.n2dlive.mm.ui;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.util.Locale;
import javax.swing.JComponent;
import javax.swing.UIManager;

/**
 * A small line plot of the recent adaptation losses (oldest left), scaled to their range, with the
 * latest value printed. Swing component: used on the event thread only.
 */
final class LossPlot extends JComponent {
    private static final long serialVersionUID = 1L;
    private double[] values = new double[0];

    LossPlot() {
        setPreferredSize(new Dimension(360, 90));
        setToolTipText("Adaptation loss of recent frames (lower: the model fits the current scene better)");
    }

    void setValues(double[] v) {
        values = v == null ? new double[0] : v;
        repaint();
    }

    @Override
    protected void paintComponent(Graphics g0) {
        Graphics2D g = (Graphics2D) g0.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int w = getWidth();
            int h = getHeight();
            Color bg = UIManager.getColor("TextField.background");
            Color fg = UIManager.getColor("Label.foreground");
            g.setColor(bg != null ? bg : Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.GRAY);
            g.drawRect(0, 0, w - 1, h - 1);
            Font small = getFont() != null ? getFont().deriveFont(10f) : new Font(Font.SANS_SERIF, Font.PLAIN, 10);
            g.setFont(small);
            g.setColor(fg != null ? fg : Color.BLACK);
            if (values.length < 2) {
                g.drawString("adaptation loss: waiting for frames", 6, h / 2 + 4);
                return;
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1e-12);
            int top = 14;
            int bottom = h - 4;
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < values.length; i++) {
                double x = 2 + (w - 4) * (double) i / (values.length - 1);
                double y = bottom - (bottom - top) * (values[i] - lo) / span;
                if (i == 0) path.moveTo(x, y);
                else path.lineTo(x, y);
            }
            g.drawString(String.format(Locale.ROOT, "adaptation loss %.3g (range %.3g – %.3g, last %d frames)",
                    values[values.length - 1], lo, hi, values.length), 6, 11);
            g.setColor(new Color(0x2F7FD0));
            g.setStroke(new BasicStroke(1.5f));
            g.draw(path);
        } finally {
            g.dispose();
        }
    }
}
