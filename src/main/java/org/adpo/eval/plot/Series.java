package org.adpo.eval.plot;

/**
 * One line of a chart: a name (shown in the legend) and its points. Points with a non-finite
 * coordinate, or x <= 0 (the x-axis is log2), are left out and break the line.
 */
public record Series(String name, double[] x, double[] y) {
  public Series {
    if (x.length != y.length) {
      throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x and " + y.length + " y values");
    }
    x = x.clone();
    y = y.clone();
  }
}
