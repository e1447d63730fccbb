package org.adpo.eval.plot;

/**
 * One line of a chart: a name (shown in the legend) and its points. Points with a non-finite
 * coordinate, or x <= 0 (the x-axis is log2), are left out and break the line. Optional
 * {@code lo} / {@code hi} (same length as x, or null) draw a vertical error bar from lo to hi at each
 * point (e.g. the min-max spread over seeds); a non-finite bound leaves that point's bar out.
 */
public record Series(String name, double[] x, double[] y, double[] lo, double[] hi) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x and " + y.length + " y values");
    }
    if ((lo == null) != (hi == null) || (lo != null && (lo.length != x.length || hi.length != x.length))) {
      throw new IllegalArgumentException("series '" + name + "': lo and hi must both be null or have " + x.length
          + " values");
    }
    x = x.clone();
    y = y.clone();
    lo = lo == null ? null : lo.clone();
    hi = hi == null ? null : hi.clone();
  }

  /** A line without error bars. */
  public Series(String name, double[] x, double[] y) {
    this(name, x, y, null, null);
  }

  /** True when the series carries error bars. */
  public boolean hasBars() {
    return lo != null;
  }
}
