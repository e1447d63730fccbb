package org.adpo.ml;

import java.io.Serializable;
import java.util.List;
import org.adpo.io.ReportJson;
import org.adpo.io.SelectionReport;

/**
 * The report of the run that made an {@link AdpoSelectionModel}: what {@code report.json} holds (settings,
 * pool, fit, selection statistics such as the final log det, Spark jobs, timings, warnings), kept and saved
 * with the model.
 *
 * <p>Why a summary and not a Spark ML {@code Evaluator}: an Evaluator maps one DataFrame of predictions to
 * one number to maximise, for model selection over a grid. The quality of a selection is not such a number:
 * the project measures it by fitting theta on each prefix of the picks and comparing it with the fit on all
 * labels of the pool, a table over prefix sizes and six metrics that needs the pool as well as the picks
 * ({@link org.adpo.api.AdpoEvaluator}, {@code bin/adpo evaluate}). A number an Evaluator could return from the
 * transformed rows alone, such as the log det of the design, is a property of the fit itself, so it belongs
 * in the summary, as MLlib's model summaries hold their training statistics.
 */
public final class AdpoSelectionSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String json;

  AdpoSelectionSummary(String json) {
    this.json = json;
  }

  /** The report as JSON text, as report.json holds it. */
  public String json() {
    return json;
  }

  /** The report, read back from {@link #json()}. */
  public SelectionReport report() {
    return ReportJson.read(json, SelectionReport.class);
  }

  public String algorithm() {
    return report().algorithm();
  }

  /** log det H of the final design (H = gamma I + sum of v v^T over the picks). */
  public double logDetFinal() {
    return report().selection().logDetFinal();
  }

  /** Sum of the picks' gains log(1 + v^T H^-1 v), = logDetFinal - log det H_0. */
  public double sumOfGains() {
    return report().selection().sumOfGains();
  }

  /** Greedy rounds (Spark jobs of the loop). */
  public long rounds() {
    return report().selection().rounds();
  }

  public List<String> warnings() {
    return report().warnings();
  }
}
