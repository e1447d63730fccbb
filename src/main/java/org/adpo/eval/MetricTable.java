package org.adpo.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.adpo.eval.plot.Figure;
import org.adpo.eval.plot.Panel;
import org.adpo.eval.plot.Series;

/**
 * The result table of {@code bin/adpo evaluate}: one row per (method, n) with the pool metrics of
 * theta_hat_n and how its fit went. Renders itself as CSV and as a {@link Figure} (one panel per
 * metric against n, one line per method).
 */
public final class MetricTable {
  /** A metric column: CSV name, chart title, and whether its chart may use a log10 y-axis. */
  public record Metric(String column, String title, boolean logY) {
    /** Accuracy and margin grow as theta_hat improves; the errors and the nll shrink. */
    public boolean lowerIsBetter() {
      return !HIGHER_IS_BETTER.contains(column);
    }

    /** "lower is better" or "higher is better", for chart titles and table headers. */
    public String direction() {
      return lowerIsBetter() ? "lower is better" : "higher is better";
    }

    /** The chart of this metric: its title with the direction, the y-axis labelled with the metric. */
    public Panel panel(List<Series> series) {
      return new Panel(title + " (" + direction() + ")", logY, series, true, title);
    }
  }

  private static final java.util.Set<String> HIGHER_IS_BETTER = java.util.Set.of("accuracy", "margin");

  public static final List<Metric> METRICS = List.of(
      new Metric("max_logit_error", "max logit error", true),
      new Metric("mean_logit_error", "mean logit error", true),
      new Metric("error_rate", "error rate (sign vs theta*)", false),
      new Metric("accuracy", "accuracy", false),
      new Metric("margin", "margin", false),
      new Metric("nll", "negative log-likelihood", false));

  public static final List<String> CSV_COLUMNS = List.of(
      "method", "n", "max_logit_error", "mean_logit_error", "error_rate", "accuracy", "margin", "nll",
      "fit_iterations", "fit_converged");

  /** Prefix of the held-out columns: {@code test_accuracy} is the accuracy on the test pool. */
  public static final String TEST_PREFIX = "test_";

  /**
   * One evaluated prefix: its metrics on the pool and, when a test pool was given, on the test pool
   * ({@code test}; null otherwise).
   */
  public record Row(String method, long n, Metrics metrics, int fitIterations, boolean fitConverged, Metrics test) {
    public Row(String method, long n, Metrics metrics, int fitIterations, boolean fitConverged) {
      this(method, n, metrics, fitIterations, fitConverged, null);
    }
  }

  /** The table's columns for an HTML table header: each metric column (held-out ones too) with its direction. */
  public List<String> htmlColumns() {
    return directed(columns());
  }

  /** {@code columns} with each metric column (held-out ones too) followed by its direction. */
  public static List<String> directed(List<String> columns) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      String base = c.startsWith(TEST_PREFIX) ? c.substring(TEST_PREFIX.length()) : c;
      String shown = c;
      for (Metric m : METRICS) {
        if (m.column().equals(base)) {
          shown = c + " (" + m.direction() + ")";
        }
      }
      out.add(shown);
    }
    return out;
  }

  private final List<Row> rows = new ArrayList<>();

  public MetricTable add(Row row) {
    rows.add(row);
    return this;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** True when the rows carry metrics on a test pool. */
  boolean hasTest() {
    return !rows.isEmpty() && rows.get(0).test() != null;
  }

  /**
   * The columns of {@link #csv()}: {@link #CSV_COLUMNS}, and with a test pool the six metrics on it,
   * named {@code test_max_logit_error} .. {@code test_nll}.
   */
  public List<String> columns() {
    List<String> c = new ArrayList<>(CSV_COLUMNS);
    if (hasTest()) {
      for (Metric m : METRICS) {
        c.add(TEST_PREFIX + m.column());
      }
    }
    return c;
  }

  /** The table as CSV with a header line; numbers in Java's shortest round-trip form. */
  public String csv() {
    StringBuilder sb = new StringBuilder(String.join(",", columns())).append('\n');
    for (List<String> cells : cells()) {
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(i == 0 ? csvQuote(cells.get(0)) : cells.get(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Each row's cells as text, in {@link #CSV_COLUMNS} order. */
  public List<List<String>> cells() {
    List<List<String>> out = new ArrayList<>();
    for (Row r : rows) {
      List<String> c = new ArrayList<>();
      c.add(r.method());
      c.add(Long.toString(r.n()));
      for (double v : r.metrics().values().values()) {
        c.add(Double.toString(v));
      }
      c.add(Integer.toString(r.fitIterations()));
      c.add(Boolean.toString(r.fitConverged()));
      if (r.test() != null) {
        for (double v : r.test().values().values()) {
          c.add(Double.toString(v));
        }
      }
      out.add(c);
    }
    return out;
  }

  /**
   * One panel per metric, one series per method (in order of first appearance), x = n; with a test
   * pool, a second series per method named "METHOD (test)" with the metric on the test pool.
   */
  public Figure figure(String title) {
    List<String> methods = new ArrayList<>();
    for (Row r : rows) {
      if (!methods.contains(r.method())) {
        methods.add(r.method());
      }
    }
    List<Panel> panels = new ArrayList<>();
    for (Metric metric : METRICS) {
      List<Series> series = new ArrayList<>();
      for (String method : methods) {
        List<Row> mine = new ArrayList<>();
        for (Row r : rows) {
          if (r.method().equals(method)) {
            mine.add(r);
          }
        }
        double[] x = new double[mine.size()];
        double[] y = new double[mine.size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = mine.get(i).n();
          y[i] = mine.get(i).metrics().values().get(metric.column());
        }
        series.add(new Series(method, x, y));
        if (hasTest()) {
          double[] yt = new double[mine.size()];
          for (int i = 0; i < yt.length; i++) {
            yt[i] = mine.get(i).test().values().get(metric.column());
          }
          series.add(new Series(method + " (test)", x, yt));
        }
      }
      panels.add(metric.panel(series));
    }
    return new Figure(title, "n (selected pairs, log2 scale)", panels);
  }

  private static String csvQuote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "MetricTable[%d rows]", rows.size());
  }
}
