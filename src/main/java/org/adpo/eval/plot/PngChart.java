package org.adpo.eval.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Renders a whole {@link Figure} as one PNG with java.awt in headless mode: the figure title on
 * top, then the panels in a grid of at most {@link #COLUMNS} columns, each {@code 400 x 300} pixels.
 * The image is {@link #width} x {@link #height} pixels.
 */
public final class PngChart {
  public static final int COLUMNS = 3;
  public static final int TITLE_HEIGHT = 32;

  static {
    // No display is needed (or wanted) to draw into an image; must be set before AWT starts.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private PngChart() {}

  public static int columns(Figure f) {
    return Math.max(1, Math.min(COLUMNS, f.panels().size()));
  }

  public static int width(Figure f) {
    return columns(f) * ChartPainter.WIDTH;
  }

  public static int height(Figure f) {
    int rows = (f.panels().size() + columns(f) - 1) / columns(f);
    return TITLE_HEIGHT + Math.max(1, rows) * ChartPainter.HEIGHT;
  }

  /** The figure as an RGB image. */
  public static BufferedImage image(Figure f) {
    BufferedImage img = new BufferedImage(width(f), height(f), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      AwtCanvas top = new AwtCanvas(g);
      top.text(img.getWidth() / 2.0, 22, f.title(), 15, Canvas.Anchor.MIDDLE, true, 0x222222);
      int cols = columns(f);
      for (int i = 0; i < f.panels().size(); i++) {
        Graphics2D pg = (Graphics2D) g.create((i % cols) * ChartPainter.WIDTH,
            TITLE_HEIGHT + (i / cols) * ChartPainter.HEIGHT, ChartPainter.WIDTH, ChartPainter.HEIGHT);
        try {
          ChartPainter.paint(f.panels().get(i), f.seriesNames(), f.xLabel(), new AwtCanvas(pg));
        } finally {
          pg.dispose();
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The figure encoded as PNG bytes. */
  public static byte[] png(Figure f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image(f), "png", out)) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static final class AwtCanvas implements Canvas {
    private final Graphics2D g;

    AwtCanvas(Graphics2D g) {
      this.g = g;
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, int rgb, double width, boolean dashed) {
      g.setColor(new Color(rgb));
      g.setStroke(dashed
          ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {4f, 3f}, 0f)
          : new BasicStroke((float) width));
      g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, int rgb, double width) {
      Path2D.Double p = new Path2D.Double();
      p.moveTo(xs[0], ys[0]);
      for (int i = 1; i < n; i++) {
        p.lineTo(xs[i], ys[i]);
      }
      g.setColor(new Color(rgb));
      g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(p);
    }

    @Override
    public void dot(double cx, double cy, double r, int rgb) {
      g.setColor(new Color(rgb));
      g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
    }

    @Override
    public void polygon(double[] xs, double[] ys, int rgb) {
      Path2D.Double p = new Path2D.Double();
      p.moveTo(xs[0], ys[0]);
      for (int i = 1; i < xs.length; i++) {
        p.lineTo(xs[i], ys[i]);
      }
      p.closePath();
      g.setColor(new Color(rgb));
      g.fill(p);
    }

    @Override
    public void textUp(double x, double y, String s, double size, int rgb) {
      Graphics2D r = (Graphics2D) g.create();
      try {
        r.translate(x, y);
        r.rotate(-Math.PI / 2);
        new AwtCanvas(r).text(0, 0, s, size, Anchor.MIDDLE, false, rgb);
      } finally {
        r.dispose();
      }
    }

    @Override
    public void rect(double x, double y, double w, double h, int strokeRgb) {
      g.setColor(new Color(strokeRgb));
      g.setStroke(new BasicStroke(1f));
      g.draw(new Rectangle2D.Double(x, y, w, h));
    }

    @Override
    public void text(double x, double y, String s, double size, Anchor anchor, boolean bold, int rgb) {
      g.setColor(new Color(rgb));
      g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size)));
      double w = anchor == Anchor.START ? 0 : g.getFontMetrics().getStringBounds(s, g).getWidth();
      double left = anchor == Anchor.START ? x : anchor == Anchor.MIDDLE ? x - w / 2 : x - w;
      g.drawString(s, (float) left, (float) y);
    }
  }
}
