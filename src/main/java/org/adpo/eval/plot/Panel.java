package org.adpo.eval.plot;

import java.util.List;

/**
 * One chart of a {@link Figure}: a title and its lines against a log2 x-axis (a linear one when
 * {@code logX} is false), with {@code yLabel} along the y-axis. With {@code logY} the y-axis is log10
 * when every value is positive and they span at least a factor of 10 (linear otherwise).
 */
public record Panel(String title, boolean logY, List<Series> series, boolean logX, String yLabel) {
  public Panel {
    series = List.copyOf(series);
  }

  /** A panel whose y-axis is labelled with its title. */
  public Panel(String title, boolean logY, List<Series> series, boolean logX) {
    this(title, logY, series, logX, title);
  }

  /** A panel with a log2 x-axis, its y-axis labelled with its title. */
  public Panel(String title, boolean logY, List<Series> series) {
    this(title, logY, series, true, title);
  }
}
