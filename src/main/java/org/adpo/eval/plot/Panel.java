package org.adpo.eval.plot;

import java.util.List;

/**
 * One chart of a {@link Figure}: a title and its lines against a log2 x-axis (a linear one when
 * {@code logX} is false). With {@code logY} the y-axis is log10 when every value is positive and they
 * span at least a factor of 10 (linear otherwise).
 */
public record Panel(String title, boolean logY, List<Series> series, boolean logX) {
  public Panel {
    series = List.copyOf(series);
  }

  /** A panel with a log2 x-axis. */
  public Panel(String title, boolean logY, List<Series> series) {
    this(title, logY, series, true);
  }
}
