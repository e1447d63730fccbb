package org.adpo.eval.plot;

import java.util.List;
import java.util.Locale;

/** Renders a {@link Panel} as one self-contained {@code <svg>} element (no scripts, no web fonts). */
public final class SvgChart {
  private SvgChart() {}

  /** The SVG of {@code panel}, coloured and with the legend of the whole {@code figure}. */
  public static String render(Figure figure, Panel panel) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
            + " aria-label=\"%s\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
        ChartPainter.WIDTH, ChartPainter.HEIGHT, ChartPainter.WIDTH, ChartPainter.HEIGHT, escape(panel.title())));
    sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
        ChartPainter.WIDTH, ChartPainter.HEIGHT));
    ChartPainter.paint(panel, figure.seriesNames(), figure.xLabel(), new SvgCanvas(sb));
    sb.append("</svg>\n");
    return sb.toString();
  }

  /** Escapes text for XML content and attribute values. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static final class SvgCanvas implements Canvas {
    private final StringBuilder sb;

    SvgCanvas(StringBuilder sb) {
      this.sb = sb;
    }

    private static String rgb(int c) {
      return String.format(Locale.ROOT, "#%06x", c & 0xffffff);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, int rgb, double width, boolean dashed) {
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
          x1, y1, x2, y2, rgb(rgb), width, dashed ? " stroke-dasharray=\"4 3\"" : ""));
    }

    @Override
    public void polyline(double[] xs, double[] ys, int n, int rgb, double width) {
      sb.append("<polyline fill=\"none\" stroke=\"").append(rgb(rgb))
          .append(String.format(Locale.ROOT, "\" stroke-width=\"%.1f\" stroke-linejoin=\"round\" points=\"", width));
      for (int i = 0; i < n; i++) {
        sb.append(String.format(Locale.ROOT, i == 0 ? "%.1f,%.1f" : " %.1f,%.1f", xs[i], ys[i]));
      }
      sb.append("\"/>\n");
    }

    @Override
    public void dot(double cx, double cy, double r, int rgb) {
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n",
          cx, cy, r, rgb(rgb)));
    }

    @Override
    public void polygon(double[] xs, double[] ys, int rgb) {
      sb.append("<polygon class=\"marker\" fill=\"").append(rgb(rgb)).append("\" points=\"");
      for (int i = 0; i < xs.length; i++) {
        sb.append(String.format(Locale.ROOT, i == 0 ? "%.1f,%.1f" : " %.1f,%.1f", xs[i], ys[i]));
      }
      sb.append("\"/>\n");
    }

    @Override
    public void textUp(double x, double y, String s, double size, int rgb) {
      sb.append(String.format(Locale.ROOT,
          "<text class=\"y-label\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\""
              + " transform=\"rotate(-90 %.1f %.1f)\" fill=\"%s\">%s</text>\n", x, y, size, x, y, rgb(rgb), escape(s)));
    }

    @Override
    public void rect(double x, double y, double w, double h, int strokeRgb) {
      sb.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"%s\"/>\n",
          x, y, w, h, rgb(strokeRgb)));
    }

    @Override
    public void text(double x, double y, String s, double size, Anchor anchor, boolean bold, int rgb) {
      String a = anchor == Anchor.START ? "start" : anchor == Anchor.MIDDLE ? "middle" : "end";
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"%s\"%s fill=\"%s\">%s</text>\n",
          x, y, size, a, bold ? " font-weight=\"bold\"" : "", rgb(rgb), escape(s)));
    }
  }
}
