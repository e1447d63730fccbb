package org.adpo.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pool metrics of one theta (docs/method.md "The metrics"), as means over the pool. The logit errors and
 * the error rate are over all {@code rows}; accuracy, margin and nll over the {@code labelled} rows
 * (NaN when there are none).
 *
 * @param maxLogitError max_i |phi_i . (theta - theta_star)|
 * @param meanLogitError mean_i |phi_i . (theta - theta_star)|
 * @param errorRate share of rows with sign(phi_i . theta - b_i) != sign(phi_i . theta_star - b_i)
 * @param accuracy share of labelled rows whose logit sign agrees with the label (+ for s = 1, - for s = 0)
 * @param margin mean of beta (phi_i . theta - b_i) signed by the label (+ for s = 1, - for s = 0)
 * @param nll mean negative log-likelihood of the labels
 */
public record Metrics(
    double maxLogitError, double meanLogitError, double errorRate, double accuracy, double margin, double nll,
    long rows, long labelled) {

  /** The metric values by their CSV column names, in {@link MetricTable#METRICS} order. */
  public Map<String, Double> values() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("max_logit_error", maxLogitError);
    m.put("mean_logit_error", meanLogitError);
    m.put("error_rate", errorRate);
    m.put("accuracy", accuracy);
    m.put("margin", margin);
    m.put("nll", nll);
    return m;
  }
}
