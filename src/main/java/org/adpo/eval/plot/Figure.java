package org.adpo.eval.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of charts drawn side by side (PNG) or one after another (HTML) that share the x-axis label
 * and the colours: a series name has the same colour in every panel, in order of first appearance.
 * A plain table of numbers, so any command (evaluate, experiment) can build one and render it with
 * {@link SvgChart}, {@link PngChart} or {@link HtmlPage}.
 */
public record Figure(String title, String xLabel, List<Panel> panels) {
  public Figure {
    panels = List.copyOf(panels);
  }

  /** Every series name, in order of first appearance (the legend and colour order). */
  public List<String> seriesNames() {
    List<String> names = new ArrayList<>();
    for (Panel p : panels) {
      for (Series s : p.series()) {
        if (!names.contains(s.name())) {
          names.add(s.name());
        }
      }
    }
    return names;
  }
}
