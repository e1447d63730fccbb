package org.adpo.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.adpo.data.ColumnNames;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;

/**
 * Every setting of one selection run, validated. Built from Typesafe Config by {@link
 * SettingsLoader} (CLI) or from the setters of {@link org.adpo.api.AdpoSelector} (Java API); both
 * go through {@link #validate()}, so a bad value is reported the same way wherever it came from.
 */
public record SelectionSettings(
    Algorithm algorithm,
    long budget,
    double beta,
    double gamma,
    double lambda,
    double alpha,
    long seed,
    int candidates,
    double epsilon,
    String strategy,
    int topK,
    int refreshEvery,
    double refreshTolerance,
    int checkpointEvery,
    int partitions,
    int fitMaxIterations,
    double fitTolerance,
    ColumnNames columns,
    String oracle,
    String thetaTrue,
    String schedule,
    int batch) {

  /** Exact strategies: certified lazy rounds with score downdates, or one full rescoring job per pick. */
  public static final java.util.List<String> STRATEGIES = java.util.List.of("lazy", "naive");

  /** Label oracles of the online algorithms (adpo, pmc). */
  public static final java.util.List<String> ORACLES = java.util.List.of("logged", "bernoulli");

  public SelectionSettings {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(columns, "columns");
    oracle = oracle == null ? "logged" : oracle.trim().toLowerCase(Locale.ROOT);
    thetaTrue = thetaTrue == null ? "" : thetaTrue.trim();
    schedule = schedule == null ? "doubling" : schedule.trim().toLowerCase(Locale.ROOT);
  }

  /** The settings of the offline algorithms, with the online ones at their defaults. */
  public SelectionSettings(Algorithm algorithm, long budget, double beta, double gamma, double lambda, double alpha,
      long seed, int candidates, double epsilon, String strategy, int topK, int refreshEvery, double refreshTolerance,
      int checkpointEvery, int partitions, int fitMaxIterations, double fitTolerance, ColumnNames columns) {
    this(algorithm, budget, beta, gamma, lambda, alpha, seed, candidates, epsilon, strategy, topK, refreshEvery,
        refreshTolerance, checkpointEvery, partitions, fitMaxIterations, fitTolerance, columns, "logged", "",
        "doubling", 1);
  }

  /** The refit schedule of the online algorithms. */
  public org.adpo.select.RefitSchedule refitSchedule() {
    return org.adpo.select.RefitSchedule.parse(schedule, batch);
  }

  /**
   * True when the pool must carry labels: adpo-plus, and adpo / pmc unless the bernoulli oracle has
   * theta_true from a file (the logged oracle reveals s; bernoulli without a file fits theta_true on s).
   */
  public boolean needsLabels() {
    return algorithm.needsLabels()
        || (algorithm.isOnline() && (oracle.equals("logged") || thetaTrue.isEmpty()));
  }

  /** Checks every value and names the first bad one with its valid range. */
  public SelectionSettings validate() {
    checkBudget(budget);
    checkPositive("beta", beta);
    checkPositive("gamma", gamma);
    checkPositive("lambda", lambda);
    checkAlpha(alpha);
    checkCandidates(candidates);
    checkEpsilon(epsilon);
    if (candidates > 0 && epsilon > 0) {
      throw new UsageException("give either candidates or epsilon, not both");
    }
    checkStrategy(strategy);
    checkRefreshEvery(refreshEvery);
    checkRefreshTolerance(refreshTolerance);
    checkCheckpointEvery(checkpointEvery);
    checkTopK(topK);
    checkPartitions(partitions);
    checkFitMaxIterations(fitMaxIterations);
    checkPositive("fit.tolerance", fitTolerance);
    checkOracle(oracle);
    checkBatch(batch);
    refitSchedule(); // throws on a bad schedule
    if (!algorithm.isOnline()) {
      if (batch != 1) {
        throw new UsageException("batch applies to the online algorithms adpo and pmc only, not " + algorithm.cliName());
      }
    } else {
      if (candidates > 0 || epsilon > 0) {
        throw new UsageException(algorithm.cliName() + " runs the exact greedy only; candidates and epsilon must be 0");
      }
      if (!strategy.equals("lazy")) {
        throw new UsageException(algorithm.cliName() + " supports strategy lazy only, got " + strategy);
      }
    }
    if (!thetaTrue.isEmpty() && !oracle.equals("bernoulli")) {
      throw new UsageException("theta-true is used by the bernoulli oracle only (oracle is " + oracle + ")");
    }
    for (Map.Entry<String, String> c : columnMap().entrySet()) {
      checkColumn(c.getKey(), c.getValue());
    }
    return this;
  }

  // One check per setting, each naming the setting as reference.conf does. validate() uses them, and so do
  // the validators of the Spark ML Params (org.adpo.ml.AdpoSelectionParams), so a bad value gets the same
  // message from the command line, a configuration file and a Pipeline.

  public static void checkBudget(long budget) {
    if (budget < 1) {
      throw new UsageException("budget must be >= 1, got " + budget);
    }
  }

  /** For beta, gamma, lambda and fit.tolerance. */
  public static void checkPositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new UsageException(name + " must be a finite number > 0, got " + value);
    }
  }

  public static void checkAlpha(double alpha) {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new UsageException("alpha must be a finite number >= 0, got " + alpha);
    }
  }

  public static void checkCandidates(int candidates) {
    if (candidates < 0) {
      throw new UsageException("candidates must be >= 0 (0 = exact), got " + candidates);
    }
  }

  public static void checkEpsilon(double epsilon) {
    if (!(epsilon >= 0 && epsilon < 1)) {
      throw new UsageException("epsilon must be in [0, 1) (0 = off), got " + epsilon);
    }
  }

  public static void checkStrategy(String strategy) {
    if (!STRATEGIES.contains(strategy)) {
      throw new UsageException("unknown strategy '" + strategy + "'; expected one of " + STRATEGIES);
    }
  }

  public static void checkRefreshEvery(int refreshEvery) {
    if (refreshEvery < 0) {
      throw new UsageException("refresh-every must be >= 0 (0 = only when the bounds drift), got " + refreshEvery);
    }
  }

  public static void checkRefreshTolerance(double refreshTolerance) {
    if (!(refreshTolerance > 0) || Double.isInfinite(refreshTolerance)) {
      throw new UsageException("refresh-tolerance must be a finite number > 0, got " + refreshTolerance);
    }
  }

  public static void checkCheckpointEvery(int checkpointEvery) {
    if (checkpointEvery < 1) {
      throw new UsageException("checkpoint-every must be >= 1, got " + checkpointEvery);
    }
  }

  public static void checkTopK(int topK) {
    if (topK < 1) {
      throw new UsageException("top-k must be >= 1, got " + topK);
    }
  }

  public static void checkPartitions(int partitions) {
    if (partitions < 0) {
      throw new UsageException("partitions must be >= 0 (0 = keep the input's), got " + partitions);
    }
  }

  public static void checkFitMaxIterations(int fitMaxIterations) {
    if (fitMaxIterations < 1) {
      throw new UsageException("fit.max-iterations must be >= 1, got " + fitMaxIterations);
    }
  }

  /** The oracle name as the settings hold it (trimmed, lower case), checked. */
  public static void checkOracle(String oracle) {
    String o = oracle == null ? "logged" : oracle.trim().toLowerCase(Locale.ROOT);
    if (!ORACLES.contains(o)) {
      throw new UsageException("unknown oracle '" + o + "'; expected one of " + ORACLES);
    }
  }

  /** A schedule on its own (its combination with batch is checked by {@link #validate()}). */
  public static void checkSchedule(String schedule) {
    org.adpo.select.RefitSchedule.parse(schedule == null ? "doubling" : schedule.trim().toLowerCase(Locale.ROOT), 1);
  }

  public static void checkBatch(int batch) {
    if (batch < 1) {
      throw new UsageException("batch must be >= 1, got " + batch);
    }
  }

  public static void checkColumn(String role, String name) {
    if (name == null || name.isBlank()) {
      throw new UsageException("column name for '" + role + "' must not be empty");
    }
  }

  private Map<String, String> columnMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("id", columns.id());
    m.put("phi", columns.phi());
    m.put("phi1", columns.phi1());
    m.put("phi2", columns.phi2());
    m.put("b", columns.b());
    m.put("s", columns.s());
    m.put("weight", columns.weight());
    return m;
  }

  /** The settings as a flat, ordered map for report.json. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("algorithm", algorithm.cliName());
    m.put("budget", budget);
    m.put("beta", beta);
    m.put("gamma", gamma);
    m.put("lambda", lambda);
    m.put("alpha", alpha);
    m.put("seed", seed);
    m.put("candidates", candidates);
    m.put("mode", candidates > 0 ? String.format(Locale.ROOT, "candidates=%d", candidates)
        : epsilon > 0 ? String.format(Locale.ROOT, "stochastic epsilon=%s", epsilon) : "exact");
    m.put("epsilon", epsilon);
    m.put("strategy", strategy);
    m.put("top_k", topK);
    m.put("refresh_every", refreshEvery);
    m.put("refresh_tolerance", refreshTolerance);
    m.put("checkpoint_every", checkpointEvery);
    m.put("partitions", partitions);
    m.put("fit_max_iterations", fitMaxIterations);
    m.put("fit_tolerance", fitTolerance);
    m.put("columns", columnMap());
    if (algorithm.isOnline()) {
      m.put("oracle", oracle);
      m.put("theta_true", thetaTrue.isEmpty() ? null : thetaTrue);
      m.put("schedule", schedule);
      m.put("batch", batch);
    }
    return m;
  }
}
