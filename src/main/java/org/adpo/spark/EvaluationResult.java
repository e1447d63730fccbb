package org.adpo.spark;

import java.util.List;
import org.adpo.eval.MetricTable;
import org.adpo.io.MetricsReport;
import org.adpo.eval.Metrics;
import org.adpo.eval.PrefixFit;
import org.adpo.model.FitResult;

/**
 * What {@link EvaluationJob} computed: the metric table (one row per prefix fit, same order as
 * {@code fits}), the fits themselves, theta_star's fit and its own metrics, and the report for
 * metrics.json.
 */
public record EvaluationResult(
    MetricTable table, List<PrefixFit> fits, FitResult thetaStar, Metrics thetaStarMetrics,
    MetricsReport report) {}
