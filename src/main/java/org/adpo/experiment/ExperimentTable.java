package org.adpo.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.adpo.eval.MetricTable;
import org.adpo.eval.Metrics;
import org.adpo.eval.plot.Figure;
import org.adpo.eval.plot.Panel;
import org.adpo.eval.plot.Series;

/**
 * The results of an experiment: one row per (seed, method, n) with the pool metrics of theta_hat_n
 * (from {@link org.adpo.spark.EvaluationJob}), and the summary over seeds (mean, min, max of each
 * metric per (method, n)). Metric names and chart titles are those of {@link MetricTable#METRICS}.
 */
public final class ExperimentTable {
  /** One evaluated prefix of one seed. */
  public record Row(long seed, String method, long n, Metrics metrics, int fitIterations, boolean fitConverged) {}

  /** Mean, min and max over seeds of one metric at one (method, n). */
  public record Stat(double mean, double min, double max) {}

  /** One (method, n) of the summary: the number of seeds and each metric's statistics by column name. */
  public record SummaryRow(String method, long n, int seeds, Map<String, Stat> stats) {}

  private final List<Row> rows = new ArrayList<>();

  public void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Methods in order of first appearance. */
  public List<String> methods() {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      if (!out.contains(r.method())) {
        out.add(r.method());
      }
    }
    return out;
  }

  /** results.csv: seed, method, n, the six metrics, fit_iterations, fit_converged. */
  public String csv() {
    StringBuilder sb = new StringBuilder("seed,").append(String.join(",", MetricTable.CSV_COLUMNS)).append('\n');
    for (Row r : rows) {
      sb.append(r.seed()).append(',').append(r.method()).append(',').append(r.n());
      for (double v : r.metrics().values().values()) {
        sb.append(',').append(v);
      }
      sb.append(',').append(r.fitIterations()).append(',').append(r.fitConverged()).append('\n');
    }
    return sb.toString();
  }

  /** Per method (in order of appearance) and n (ascending): the statistics over the seeds that have it. */
  List<SummaryRow> summary() {
    List<SummaryRow> out = new ArrayList<>();
    for (String method : methods()) {
      TreeSet<Long> ns = new TreeSet<>();
      for (Row r : rows) {
        if (r.method().equals(method)) {
          ns.add(r.n());
        }
      }
      for (long n : ns) {
        List<Map<String, Double>> values = new ArrayList<>();
        for (Row r : rows) {
          if (r.method().equals(method) && r.n() == n) {
            values.add(r.metrics().values());
          }
        }
        Map<String, Stat> stats = new LinkedHashMap<>();
        for (MetricTable.Metric metric : MetricTable.METRICS) {
          double sum = 0;
          double min = Double.POSITIVE_INFINITY;
          double max = Double.NEGATIVE_INFINITY;
          for (Map<String, Double> v : values) {
            double x = v.get(metric.column());
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
          }
          stats.put(metric.column(), new Stat(sum / values.size(), min, max));
        }
        out.add(new SummaryRow(method, n, values.size(), stats));
      }
    }
    return out;
  }

  /** summary.csv's header. */
  public static List<String> summaryColumns() {
    List<String> h = new ArrayList<>(List.of("method", "n", "seeds"));
    for (MetricTable.Metric metric : MetricTable.METRICS) {
      h.add(metric.column() + "_mean");
      h.add(metric.column() + "_min");
      h.add(metric.column() + "_max");
    }
    return h;
  }

  /** summary.csv's cells, row by row. */
  public List<List<String>> summaryCells() {
    List<List<String>> out = new ArrayList<>();
    for (SummaryRow r : summary()) {
      List<String> c = new ArrayList<>(List.of(r.method(), Long.toString(r.n()), Integer.toString(r.seeds())));
      for (Stat s : r.stats().values()) {
        c.add(Double.toString(s.mean()));
        c.add(Double.toString(s.min()));
        c.add(Double.toString(s.max()));
      }
      out.add(c);
    }
    return out;
  }

  public String summaryCsv() {
    StringBuilder sb = new StringBuilder(String.join(",", summaryColumns())).append('\n');
    for (List<String> c : summaryCells()) {
      sb.append(String.join(",", c)).append('\n');
    }
    return sb.toString();
  }

  /** One panel per metric: the mean over seeds per method against n, with min-max error bars. */
  public Figure figure(String title) {
    List<SummaryRow> summary = summary();
    List<Panel> panels = new ArrayList<>();
    for (MetricTable.Metric metric : MetricTable.METRICS) {
      List<Series> series = new ArrayList<>();
      for (String method : methods()) {
        List<SummaryRow> mine = new ArrayList<>();
        for (SummaryRow r : summary) {
          if (r.method().equals(method)) {
            mine.add(r);
          }
        }
        int k = mine.size();
        double[] x = new double[k];
        double[] y = new double[k];
        double[] lo = new double[k];
        double[] hi = new double[k];
        for (int i = 0; i < k; i++) {
          Stat s = mine.get(i).stats().get(metric.column());
          x[i] = mine.get(i).n();
          y[i] = s.mean();
          lo[i] = s.min();
          hi[i] = s.max();
        }
        series.add(new Series(method, x, y, lo, hi));
      }
      panels.add(metric.panel(series));
    }
    return new Figure(title, "n (log2); mean over seeds, bars min-max", panels);
  }
}
