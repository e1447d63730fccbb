package org.adpo.eval.plot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out and draws one {@link Panel} of {@link #WIDTH} x {@link #HEIGHT} pixels: title, axes with
 * ticks (x: log2, powers of two; y: linear "nice" steps, or decades) and labels, one line per
 * series with its own colour and its own marker shape (so that two series stay apart in grey print
 * and for colour-blind readers), and the legend below the axes. Text widths are estimated (not measured) so that the
 * SVG and the PNG get the same layout without a font.
 */
final class ChartPainter {
  static final int WIDTH = 400;
  static final int HEIGHT = 300;
  private static final double LEFT = 72; // the y tick labels and, left of them, the y-axis label
  private static final double RIGHT = 16;
  private static final double TOP = 30;
  private static final double AXIS_BELOW = 36; // tick labels and the x-axis label
  private static final double LEGEND_LINE = 16;
  private static final double CHAR_WIDTH = 6.6; // estimate for 11 px sans-serif
  private static final int AXIS = 0x333333;
  private static final int GRID = 0xdddddd;
  /** Series with more points than this are drawn without point markers. */
  private static final int MAX_DOTS = 64;
  /** Colour-blind-safe palette (Okabe-Ito), then a few more. */
  private static final int[] PALETTE = {
      0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000, 0xF0E442, 0x7F7F7F, 0x8C564B};
  /** Marker shapes, in series order: circle, square, triangle up, diamond, triangle down, star-like cross. */
  static final int MARKERS = 6;

  private ChartPainter() {}

  static int color(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** Draws marker {@code shape} (index mod {@link #MARKERS}) of radius about {@code r} at (cx, cy). */
  static void marker(Canvas c, int shape, double cx, double cy, double r, int rgb) {
    switch (Math.floorMod(shape, MARKERS)) {
      case 0 -> c.dot(cx, cy, r, rgb);
      case 1 -> c.polygon(new double[] {cx - r, cx + r, cx + r, cx - r}, new double[] {cy - r, cy - r, cy + r, cy + r},
          rgb);
      case 2 -> c.polygon(new double[] {cx, cx + 1.2 * r, cx - 1.2 * r},
          new double[] {cy - 1.3 * r, cy + r, cy + r}, rgb);
      case 3 -> c.polygon(new double[] {cx, cx + 1.35 * r, cx, cx - 1.35 * r},
          new double[] {cy - 1.35 * r, cy, cy + 1.35 * r, cy}, rgb);
      case 4 -> c.polygon(new double[] {cx - 1.2 * r, cx + 1.2 * r, cx},
          new double[] {cy - r, cy - r, cy + 1.3 * r}, rgb);
      default -> {
        double a = 0.45 * r;
        double b = 1.3 * r;
        c.polygon(new double[] {cx - a, cx + a, cx + a, cx + b, cx + b, cx + a, cx + a, cx - a, cx - a, cx - b, cx - b,
            cx - a}, new double[] {cy - b, cy - b, cy - a, cy - a, cy + a, cy + a, cy + b, cy + b, cy + a, cy + a,
            cy - a, cy - a}, rgb);
      }
    }
  }

  private record Tick(double value, String label) {}

  /** Draws {@code panel}; colours and legend follow {@code names} (the figure's series order). */
  static void paint(Panel panel, List<String> names, String xLabel, Canvas c) {
    int legendRows = legendRows(names);
    double x0 = LEFT;
    double x1 = WIDTH - RIGHT;
    double y0 = TOP;
    double y1 = HEIGHT - AXIS_BELOW - legendRows * LEGEND_LINE - 6;

    // x: log2 of the positive finite x values, snapped to whole powers of two (or linear, nice steps).
    boolean logX = panel.logX();
    java.util.function.DoubleUnaryOperator tx = logX ? ChartPainter::log2 : v -> v;
    double xLo = Double.POSITIVE_INFINITY;
    double xHi = Double.NEGATIVE_INFINITY;
    List<Double> ys = new ArrayList<>();
    for (Series s : panel.series()) {
      for (int i = 0; i < s.x().length; i++) {
        if (usable(s.x()[i], s.y()[i], logX)) {
          double lx = tx.applyAsDouble(s.x()[i]);
          xLo = Math.min(xLo, lx);
          xHi = Math.max(xHi, lx);
          ys.add(s.y()[i]);
          if (s.hasBars() && Double.isFinite(s.lo()[i]) && Double.isFinite(s.hi()[i])) {
            ys.add(s.lo()[i]);
            ys.add(s.hi()[i]);
          }
        }
      }
    }
    if (xLo > xHi) {
      xLo = 0;
      xHi = 1;
    }
    List<Tick> xTicks = new ArrayList<>();
    if (logX) {
      xLo = Math.floor(xLo);
      xHi = Math.ceil(xHi);
      if (xLo == xHi) {
        xLo -= 1;
        xHi += 1;
      }
      int xStep = (int) Math.max(1, Math.ceil((xHi - xLo) / 8));
      for (double k = xLo; k <= xHi; k += xStep) {
        xTicks.add(new Tick(k, powerOfTwo((int) k)));
      }
    } else {
      if (xLo == xHi) {
        xLo -= 1;
        xHi += 1;
      }
      double step = niceStep((xHi - xLo) / 6);
      xLo = Math.floor(xLo / step) * step;
      xHi = Math.ceil(xHi / step) * step;
      int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      for (int i = 0; xLo + i * step <= xHi + step * 1e-9; i++) {
        xTicks.add(new Tick(xLo + i * step, String.format(Locale.ROOT, "%." + decimals + "f", xLo + i * step)));
      }
    }

    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (double y : ys) {
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
    }
    boolean logY = panel.logY() && !ys.isEmpty() && yMin > 0 && yMax / yMin >= 10;
    double yLo;
    double yHi;
    List<Tick> yTicks = new ArrayList<>();
    if (logY) {
      yLo = Math.floor(Math.log10(yMin));
      yHi = Math.ceil(Math.log10(yMax));
      int step = (int) Math.max(1, Math.ceil((yHi - yLo) / 6));
      for (double k = yLo; k <= yHi; k += step) {
        yTicks.add(new Tick(k, decade((int) k)));
      }
    } else {
      if (ys.isEmpty()) {
        yMin = 0;
        yMax = 1;
      } else if (yMin == yMax) {
        double pad = yMin == 0 ? 1 : Math.abs(yMin) * 0.1;
        yMin -= pad;
        yMax += pad;
      }
      double step = niceStep((yMax - yMin) / 5);
      yLo = Math.floor(yMin / step) * step;
      yHi = Math.ceil(yMax / step) * step;
      int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      for (int i = 0; yLo + i * step <= yHi + step * 1e-9; i++) {
        double v = yLo + i * step;
        yTicks.add(new Tick(v, String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-9 ? 0.0 : v)));
      }
    }
    final double fxLo = xLo;
    final double fxHi = xHi;
    final double fyLo = yLo;
    final double fyHi = yHi;
    java.util.function.DoubleUnaryOperator px = lx -> x0 + (lx - fxLo) / (fxHi - fxLo) * (x1 - x0);
    java.util.function.DoubleUnaryOperator py = v -> y1 - (v - fyLo) / (fyHi - fyLo) * (y1 - y0);

    c.text(WIDTH / 2.0, 18, panel.title(), 13, Canvas.Anchor.MIDDLE, true, AXIS);
    for (Tick t : yTicks) {
      double y = py.applyAsDouble(t.value());
      c.line(x0, y, x1, y, GRID, 1, false);
      c.text(x0 - 6, y + 4, t.label(), 11, Canvas.Anchor.END, false, AXIS);
    }
    for (Tick t : xTicks) {
      double x = px.applyAsDouble(t.value());
      c.line(x, y0, x, y1, GRID, 1, false);
      c.line(x, y1, x, y1 + 4, AXIS, 1, false);
      c.text(x, y1 + 16, t.label(), 11, Canvas.Anchor.MIDDLE, false, AXIS);
    }
    if (!logY && yLo < 0 && yHi > 0) {
      double y = py.applyAsDouble(0);
      c.line(x0, y, x1, y, 0x999999, 1, true);
    }
    c.rect(x0, y0, x1 - x0, y1 - y0, AXIS);
    c.text((x0 + x1) / 2, y1 + 31, xLabel, 11, Canvas.Anchor.MIDDLE, false, AXIS);
    c.textUp(13, (y0 + y1) / 2, fit(panel.yLabel() == null ? "" : panel.yLabel(), y1 - y0), 11, AXIS);

    int barSeries = 0;
    for (Series s : panel.series()) {
      if (s.hasBars()) {
        barSeries++;
      }
    }
    int barIndex = 0;
    for (Series s : panel.series()) {
      int rgb = color(names.indexOf(s.name()));
      int shape = names.indexOf(s.name());
      if (s.hasBars()) {
        // Error bars, nudged sideways per series so that bars at the same n stay apart.
        double dx = (barIndex++ - (barSeries - 1) / 2.0) * 3;
        for (int i = 0; i < s.x().length; i++) {
          double lo = s.lo()[i];
          double hi = s.hi()[i];
          if (!usable(s.x()[i], s.y()[i], logX) || !Double.isFinite(lo) || !Double.isFinite(hi)
              || (logY && !(lo > 0 && hi > 0))) {
            continue;
          }
          double bx = px.applyAsDouble(tx.applyAsDouble(s.x()[i])) + dx;
          double ylo = py.applyAsDouble(logY ? Math.log10(lo) : lo);
          double yhi = py.applyAsDouble(logY ? Math.log10(hi) : hi);
          c.line(bx, ylo, bx, yhi, rgb, 1, false);
          c.line(bx - 2.5, ylo, bx + 2.5, ylo, rgb, 1, false);
          c.line(bx - 2.5, yhi, bx + 2.5, yhi, rgb, 1, false);
        }
      }
      Integer[] order = new Integer[s.x().length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(s.x()[a], s.x()[b]));
      double[] xs = new double[order.length];
      double[] yv = new double[order.length];
      // Point markers only where they stay apart; a long line (a fit's iterations) is drawn plain.
      boolean dots = order.length <= MAX_DOTS;
      int n = 0;
      for (int idx : order) {
        double x = s.x()[idx];
        double y = s.y()[idx];
        if (!usable(x, y, logX) || (logY && !(y > 0))) {
          if (n > 1) {
            c.polyline(xs, yv, n, rgb, 2);
          }
          n = 0;
          continue;
        }
        xs[n] = px.applyAsDouble(tx.applyAsDouble(x));
        yv[n] = py.applyAsDouble(logY ? Math.log10(y) : y);
        if (dots) {
          marker(c, shape, xs[n], yv[n], 3, rgb);
        }
        n++;
      }
      if (n > 1) {
        c.polyline(xs, yv, n, rgb, 2);
      }
    }

    // Legend: entries left to right, wrapped, below the x-axis label.
    double lx = LEFT;
    double ly = y1 + AXIS_BELOW + LEGEND_LINE - 4;
    for (int i = 0; i < names.size(); i++) {
      double w = entryWidth(names.get(i));
      if (lx + w > WIDTH - RIGHT + 8 && lx > LEFT) {
        lx = LEFT;
        ly += LEGEND_LINE;
      }
      c.line(lx, ly - 4, lx + 18, ly - 4, color(i), 2.5, false);
      marker(c, i, lx + 9, ly - 4, 3, color(i));
      c.text(lx + 22, ly, names.get(i), 11, Canvas.Anchor.START, false, AXIS);
      lx += w;
    }
  }

  /** {@code s} cut with an ellipsis to fit {@code length} pixels of 11 px text (estimated). */
  static String fit(String s, double length) {
    int max = (int) Math.floor(length / CHAR_WIDTH);
    return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)).stripTrailing() + "\u2026";
  }

  private static boolean usable(double x, double y, boolean logX) {
    return (x > 0 || !logX) && Double.isFinite(x) && Double.isFinite(y);
  }

  private static double entryWidth(String name) {
    return 22 + CHAR_WIDTH * name.length() + 14;
  }

  static int legendRows(List<String> names) {
    int rows = names.isEmpty() ? 0 : 1;
    double lx = LEFT;
    for (String n : names) {
      double w = entryWidth(n);
      if (lx + w > WIDTH - RIGHT + 8 && lx > LEFT) {
        rows++;
        lx = LEFT;
      }
      lx += w;
    }
    return rows;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  /** 2^k as a plain number up to 2^12 (4096), else as "2^k". */
  static String powerOfTwo(int k) {
    if (k >= 0 && k <= 12) {
      return Long.toString(1L << k);
    }
    return "2^" + k;
  }

  /** 10^k as a plain decimal for -3 <= k <= 4, else as "1e" + k. */
  static String decade(int k) {
    if (k >= -3 && k <= 4) {
      return BigDecimal.ONE.scaleByPowerOfTen(k).toPlainString();
    }
    return "1e" + k;
  }

  /** The smallest of 1, 2, 5 times a power of ten that is >= raw. */
  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw * (1 - 1e-12)) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
