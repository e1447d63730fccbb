package org.adpo.eval.plot;

import java.util.List;

/**
 * One chart of a {@link Figure}: a title and its lines against a log2 x-axis. With {@code logY} the
 * y-axis is log10 when every value is positive and they span at least a factor of 10 (linear
 * otherwise).
 */
public record Panel(String title, boolean logY, List<Series> series) {
  public Panel {
    series = List.copyOf(series);
  }
}
