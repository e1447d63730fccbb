package org.adpo.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adpo.io.SelectionReport;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.Pick;
import org.adpo.select.WarmStart;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * The two phases of {@code adpo-warm} and {@code adpo-safe} ({@link WarmStart}) on Spark. The candidate sets are
 * weighed from the pool blocks up front: the Fisher-weighted one, and for adpo-warm the warm phase's w = 1 one.
 * The warm phase is a selection of its own (adpo-warm: an exact greedy on w = 1; adpo-safe: {@code uniform}'s
 * seeded picks on the weighted candidates, so their terms carry the Fisher-weighted scale); its picks are then
 * handed to the main greedy with {@link DistributedGreedy#resume}, which adds their terms to H in pick order with
 * the same rank-one updates, so the second phase continues the very design the first one built and never
 * picks a warm row again. Each phase equals its dense reference, so the whole selection equals the dense
 * two-phase reference pick for pick.
 */
final class WarmStartSelection implements AutoCloseable {
  private final SparkSession spark;
  private final SelectionSettings settings;
  private final int d;
  /** The warm phase's w = 1 candidates (adpo-warm); null for adpo-safe, whose warm picks are uniform's. */
  private final JavaRDD<CandidateBlock> warm;
  private final JavaRDD<CandidateBlock> weighted;
  private int warmRounds;
  private long warmPicks;

  /**
   * @param labelled the labelled rows theta (and Sigma_hat) were fitted on, which with the budget sets the
   *     weighted phase's UCB optimism ({@link WarmStart#weightedAlpha}, {@link WarmStart#safeAlpha})
   */
  WarmStartSelection(SparkSession spark, BroadcastScope scope, JavaRDD<PoolBlock> blocks, SelectionSettings settings,
      int d, double[] theta, double[] sigmaHat, long labelled) {
    this.spark = spark;
    this.settings = settings;
    this.d = d;
    double beta = settings.beta();
    boolean safe = settings.algorithm() == Algorithm.ADPO_SAFE;
    double alpha = safe ? WarmStart.safeAlpha(labelled, settings.budget(), d)
        : WarmStart.weightedAlpha(settings.ucbAlpha(), labelled, settings.budget());
    if (alpha > 0 && settings.budget() > WarmStart.warmPicks(settings.algorithm(), d, settings.budget())) {
      ProgressLog.info(String.format(java.util.Locale.ROOT, "%s: weighted phase with UCB alpha %.4g"
          + " (%s, N = %d, n = %d)", settings.algorithm().cliName(), alpha,
          safe ? "2 sqrt(N / n), past 8d picks times sqrt(8d / n), at least 2" : settings.ucbAlpha() + " sqrt(N / n)",
          labelled, settings.budget()));
    }
    Algorithm rule = WarmStart.warmRule(settings.algorithm());
    if (rule == Algorithm.UNIFORM) {
      // Uniform warm picks are made on the weighted candidates themselves: only the scales they carry matter.
      warm = null;
      weighted = Candidates.weigh(scope, blocks, Algorithm.ADPO_PLUS, beta, theta, alpha, sigmaHat,
          "adpo candidate blocks");
    } else {
      warm = Candidates.weigh(scope, blocks, rule, beta, null, 0.0, null, "adpo candidate blocks (warm start)");
      // The same rows under the Fisher weights, sharing the warm blocks' features (warm lives as long).
      weighted = Candidates.weigh(scope, blocks, warm, Algorithm.ADPO_PLUS, beta, theta, alpha, sigmaHat,
          "adpo candidate blocks");
    }
    SparkJobs.describe(spark, "candidate weights");
    if (warm != null) {
      warm.count();
    }
    weighted.count();
  }

  /** The Fisher-weighted candidates (the ones most of the picks come from). */
  JavaRDD<CandidateBlock> weighted() {
    return weighted;
  }

  /**
   * Makes the warm picks with a greedy of their own, hands them to {@code main} and lets it pick
   * on to {@code n} from the weighted candidates. Returns all n picks in rank order.
   *
   * @param prior picks of an interrupted run of the same selection to continue from (null = none):
   *     inside the warm phase its greedy is resumed with them, beyond it the main greedy is
   * @param priorPhi their features (float32 widened), in pick order
   * @param priorScales their scales
   * @param listener told the picks so far after every round of either phase (null = none)
   */
  List<Pick> run(DistributedGreedy main, long n, long poolRows, List<Pick> prior, List<double[]> priorPhi,
      List<Double> priorScales,
      java.util.function.BiConsumer<List<Pick>, List<Double>> listener) {
    long m = WarmStart.warmPicks(settings.algorithm(), d, n);
    if (prior != null && prior.size() >= m) {
      // The warm phase was complete: its picks are the first m, and the main greedy had these terms too.
      warmPicks = m;
      main.resume(prior, priorPhi, priorScales);
      return n <= prior.size() ? prior : main.run(weighted, n, poolRows);
    }
    boolean uniform = warm == null;
    // Uniform's warm picks: the uniform selection with the same seed (one pass; an interrupted run's part of it
    // is made again, the same rows).
    SelectionSettings firstSettings = uniform ? settings.toBuilder().algorithm(Algorithm.UNIFORM).build()
        : settings;
    JavaRDD<CandidateBlock> firstCandidates = uniform ? weighted : warm;
    DistributedGreedy first = new DistributedGreedy(spark, firstSettings, d, new ProgressLog());
    if (listener != null) {
      first.onRound(listener);
    }
    if (!uniform && prior != null && !prior.isEmpty()) {
      first.resume(prior, priorPhi, priorScales);
    }
    List<Pick> warmPicks = new ArrayList<>(first.run(firstCandidates, m, poolRows));
    warmRounds = first.rounds();
    this.warmPicks = warmPicks.size();
    main.resume(warmPicks, DistributedGreedy.featuresOf(spark, firstCandidates, warmPicks), first.scales());
    if (n <= warmPicks.size()) {
      return warmPicks;
    }
    return main.run(weighted, n, poolRows);
  }

  /** Rounds of the warm phase's greedy. */
  int rounds() {
    return warmRounds;
  }

  /** For report.json's selection section. */
  SelectionReport.WarmStart describe() {
    return new SelectionReport.WarmStart(warmPicks, warmRounds, WarmStart.describe(settings.algorithm()));
  }

  @Override
  public void close() {
    if (warm != null) {
      warm.unpersist(false);
    }
    weighted.unpersist(false);
  }
}
