package org.adpo.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.adpo.io.MetricsReport;

/**
 * What {@code results.json} of {@code bin/adpo experiment} holds, written by {@link org.adpo.io.ReportJson} as
 * report.json is (snake-case keys in declaration order; {@code NON_NULL} components left out when null, the
 * others written as null).
 *
 * @param settings the experiment's settings and what its numbers mean
 * @param pools per seed ({@code seed_1}, ...): the generated pool's facts and theta*
 * @param spark where it ran
 * @param timingsS wall time per phase in seconds, in run order: {@code read_images} (generated pools), each
 *     seed's {@link SeedTimes} under {@code seed_K}, {@code run}, and the command's {@code write} and
 *     {@code total} (a map: the phases depend on the seeds run)
 * @param warnings what the evaluations noticed, each prefixed by its seed
 * @param claims the paper's claims checked on the numbers
 * @param command the command line that made it
 */
public record ExperimentReport(Settings settings, Map<String, SeedPool> pools, Spark spark,
    Map<String, Object> timingsS, List<String> warnings, ExperimentClaims.Claims claims, String command) {

  /**
   * The settings: {@code pool} for a given pool, else {@code pairs}, {@code dim}, {@code images} and
   * {@code labels} of the generated ones; the texts say what the metrics are on and how picks were made.
   */
  public record Settings(@JsonInclude(JsonInclude.Include.NON_NULL) String pool,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer pairs,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer dim,
      double testFraction, String metricsOn, List<Long> budgets, List<Long> seeds, List<String> methods,
      double alpha, List<String> alphaAppliesTo, double beta, double lambda,
      @JsonInclude(JsonInclude.Include.NON_NULL) String images,
      @JsonInclude(JsonInclude.Include.NON_NULL) String labels,
      String features, String onlineSchedule, String selectionAtN) {}

  /**
   * One seed's pool: the positive class, share of ones and teacher fit of a generated pool (absent for a given
   * pool), theta* of the evaluation and the held-out pool when there is one.
   */
  public record SeedPool(@JsonInclude(JsonInclude.Include.NON_NULL) Integer positiveClass,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double shareOfOnes,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer teacherIterations,
      MetricsReport.ThetaStar thetaStar,
      @JsonInclude(JsonInclude.Include.NON_NULL) MetricsReport.TestPool testPool) {}

  /** One seed's wall times: generating its pool (absent for a given pool), each method's run, the evaluation. */
  public record SeedTimes(@JsonInclude(JsonInclude.Include.NON_NULL) Double generatePool,
      Map<String, Double> select, double evaluate) {}

  /** The Spark version and master URL. */
  public record Spark(String version, String master) {}
}
