package org.adpo.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;
import org.adpo.eval.Metrics;
import org.adpo.model.FitResult;

/**
 * What {@code metrics.json} of an evaluation holds, written by {@link ReportJson} as {@link SelectionReport}
 * is (snake-case keys in declaration order; {@code NON_NULL} components left out when null, the others
 * written as null). A metric that is not finite (no labelled rows) is written as null.
 *
 * @param settings the evaluation's settings ({@link org.adpo.eval.EvaluationSettings#describe()})
 * @param pool the pool the metrics are over
 * @param testPool the held-out pool, when one was given
 * @param thetaStar the fit on all labels of the pool and its own metrics
 * @param selections each selection by name: where it came from and how it was fitted
 * @param metrics one row per prefix fit, as in metrics.csv, with the fit's diagnostics
 * @param spark where it ran
 * @param timingsS wall time per phase in seconds (the command adds write and total)
 * @param warnings what the run noticed, in order
 */
public record MetricsReport(
    Map<String, Object> settings,
    Pool pool,
    @JsonInclude(JsonInclude.Include.NON_NULL) TestPool testPool,
    ThetaStar thetaStar,
    Map<String, SelectionInfo> selections,
    List<Row> metrics,
    SelectionReport.Spark spark,
    Map<String, Double> timingsS,
    List<String> warnings) {

  /** The evaluation pool; {@code fingerprint} only when evaluate computed one (a selection recorded its pool's). */
  public record Pool(String source, long rows, int dimension, int partitions, long labelsOne, long labelsZero,
      @JsonInclude(JsonInclude.Include.NON_NULL) String fingerprint) {}

  /** The held-out pool, theta*'s metrics on it and what the test_ columns mean. */
  public record TestPool(String source, long rows, int dimension, int partitions, long labelsOne, long labelsZero,
      LabelMetrics thetaStar, String meaning) {}

  /** The label metrics of one theta (null when not finite). */
  public record LabelMetrics(Double accuracy, Double margin, Double nll) {
    public static LabelMetrics of(Metrics m) {
      return new LabelMetrics(finite(m.accuracy()), finite(m.margin()), finite(m.nll()));
    }
  }

  /** theta*: the fit's diagnostics, the labels it used and its own metrics; the trace when recorded. */
  public record ThetaStar(int iterations, int evaluations, double finalLoss, double gradientNorm, boolean converged,
      double thetaNorm, long labelledRows, Double accuracy, Double margin, Double nll,
      @JsonInclude(JsonInclude.Include.NON_NULL) SelectionReport.Trace trace) {

    public static ThetaStar of(FitResult star, long labelledRows, Metrics metrics) {
      SelectionReport.Fit f = SelectionReport.Fit.of(star);
      return new ThetaStar(f.iterations(), f.evaluations(), f.finalLoss(), f.gradientNorm(), f.converged(),
          f.thetaNorm(), labelledRows, finite(metrics.accuracy()), finite(metrics.margin()), finite(metrics.nll()),
          f.trace());
    }

    /** The same without the trace (the tables of report.html). */
    public ThetaStar withoutTrace() {
      return new ThetaStar(iterations, evaluations, finalLoss, gradientNorm, converged, thetaNorm, labelledRows,
          accuracy, margin, nll, null);
    }
  }

  /** One evaluated selection. */
  public record SelectionInfo(String source, String algorithm, int rows, long unlabelledRows, List<Long> grid,
      String fitMode) {}

  /**
   * One row of the metric table: the metrics on the pool, the fit's iterations, the metrics on the test pool
   * under {@code test_} names (absent without a test pool), then the prefix fit's labels, mode and diagnostics.
   */
  public record Row(String method, long n, @JsonUnwrapped Values metrics, int fitIterations, boolean fitConverged,
      @JsonUnwrapped(prefix = "test_") Values test, long labelledRows, String fitMode, int evaluations,
      double finalLoss, double gradientNorm, double thetaNorm) {}

  /** The six metrics of a theta, as the CSV names them ({@link Metrics#values()}). */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Values(Double maxLogitError, Double meanLogitError, Double errorRate, Double accuracy,
      Double margin, Double nll) {
    public static Values of(Metrics m) {
      return m == null ? null : new Values(finite(m.maxLogitError()), finite(m.meanLogitError()),
          finite(m.errorRate()), finite(m.accuracy()), finite(m.margin()), finite(m.nll()));
    }
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
