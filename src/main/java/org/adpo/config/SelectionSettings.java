package org.adpo.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.adpo.data.ColumnNames;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;
import org.adpo.select.WarmStart;

/**
 * Every setting of one selection run, validated. Built by name with {@link #builder()} (defaults and the
 * list of settings in {@link SettingTable}): from Typesafe Config by {@link SettingsLoader} (CLI), from the
 * setters of {@link org.adpo.api.AdpoSelector} (Java API), from config.json by the online rounds; all go
 * through {@link #validate()}, so a bad value is reported the same way wherever it came from.
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

  /** A builder at the defaults of {@link SettingTable} (those of reference.conf). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them by name. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (Setting s : SettingTable.ALL) {
      s.set(b, s.get(this)); // each value as report.json shows it, which the setter takes back
    }
    return b;
  }

  /**
   * Builds {@link SelectionSettings} by name, so that no caller passes a long positional list. It starts at
   * the defaults of {@link SettingTable}; {@link #build()} does not validate (call {@link #validate()}).
   */
  public static final class Builder {
    private Algorithm algorithm;
    private long budget;
    private double beta;
    private double gamma;
    private double lambda;
    private double alpha;
    private long seed;
    private int candidates;
    private double epsilon;
    private String strategy;
    private int topK;
    private int refreshEvery;
    private double refreshTolerance;
    private int checkpointEvery;
    private int partitions;
    private int fitMaxIterations;
    private double fitTolerance;
    private final Map<String, String> columns = new LinkedHashMap<>();
    private String oracle;
    private String thetaTrue;
    private String schedule;
    private int batch;

    private Builder() {
      for (Setting s : SettingTable.ALL) {
        s.set(this, s.defaultValue());
      }
    }

    public Builder algorithm(Algorithm v) {
      algorithm = v;
      return this;
    }

    public Builder budget(long v) {
      budget = v;
      return this;
    }

    public Builder beta(double v) {
      beta = v;
      return this;
    }

    public Builder gamma(double v) {
      gamma = v;
      return this;
    }

    public Builder lambda(double v) {
      lambda = v;
      return this;
    }

    public Builder alpha(double v) {
      alpha = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder candidates(int v) {
      candidates = v;
      return this;
    }

    public Builder epsilon(double v) {
      epsilon = v;
      return this;
    }

    public Builder strategy(String v) {
      strategy = v;
      return this;
    }

    public Builder topK(int v) {
      topK = v;
      return this;
    }

    public Builder refreshEvery(int v) {
      refreshEvery = v;
      return this;
    }

    public Builder refreshTolerance(double v) {
      refreshTolerance = v;
      return this;
    }

    public Builder checkpointEvery(int v) {
      checkpointEvery = v;
      return this;
    }

    public Builder partitions(int v) {
      partitions = v;
      return this;
    }

    public Builder fitMaxIterations(int v) {
      fitMaxIterations = v;
      return this;
    }

    public Builder fitTolerance(double v) {
      fitTolerance = v;
      return this;
    }

    /** All seven column names. */
    public Builder columns(ColumnNames v) {
      Objects.requireNonNull(v, "columns");
      column("id", v.id());
      column("phi", v.phi());
      column("phi1", v.phi1());
      column("phi2", v.phi2());
      column("b", v.b());
      column("s", v.s());
      column("weight", v.weight());
      return this;
    }

    /** The column name of one role (id, phi, phi1, phi2, b, s, weight). */
    public Builder column(String role, String name) {
      if (!ROLES.contains(role)) {
        throw new IllegalArgumentException("no column role " + role);
      }
      columns.put(role, name);
      return this;
    }

    public Builder oracle(String v) {
      oracle = v;
      return this;
    }

    public Builder thetaTrue(String v) {
      thetaTrue = v;
      return this;
    }

    public Builder schedule(String v) {
      schedule = v;
      return this;
    }

    public Builder batch(int v) {
      batch = v;
      return this;
    }

    /** The settings as given (not validated). */
    public SelectionSettings build() {
      ColumnNames names = new ColumnNames(columns.get("id"), columns.get("phi"), columns.get("phi1"),
          columns.get("phi2"), columns.get("b"), columns.get("s"), columns.get("weight"));
      return new SelectionSettings(algorithm, budget, beta, gamma, lambda, alpha, seed, candidates, epsilon, strategy,
          topK, refreshEvery, refreshTolerance, checkpointEvery, partitions, fitMaxIterations, fitTolerance, names,
          oracle, thetaTrue, schedule, batch);
    }
  }

  /** The column roles, in the order of {@link ColumnNames}. */
  public static final java.util.List<String> ROLES = java.util.List.of("id", "phi", "phi1", "phi2", "b", "s", "weight");

  /** The column name of {@code role} (one of {@link #ROLES}). */
  public String column(String role) {
    switch (role) {
      case "id":
        return columns.id();
      case "phi":
        return columns.phi();
      case "phi1":
        return columns.phi1();
      case "phi2":
        return columns.phi2();
      case "b":
        return columns.b();
      case "s":
        return columns.s();
      case "weight":
        return columns.weight();
      default:
        throw new IllegalArgumentException("no column role " + role);
    }
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

  /**
   * The UCB constant the Fisher weights use (before adpo-warm's and adpo-safe's budget scaling): alpha, or
   * adpo-safe's fixed one ({@link WarmStart#optimism}). Sigma_hat is needed when it is > 0.
   */
  public double ucbAlpha() {
    return WarmStart.optimism(algorithm, alpha);
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
    if (algorithm == Algorithm.ADPO_SAFE && alpha > 0) {
      throw new UsageException("adpo-safe fixes its UCB bound at " + WarmStart.SAFE_ALPHA + " sqrt(N / n) (past "
          + WarmStart.SAFE_SHRINK_PICKS_PER_DIMENSION + "d picks times sqrt(" + WarmStart.SAFE_SHRINK_PICKS_PER_DIMENSION
          + "d / n), at least " + WarmStart.SAFE_ALPHA + "); alpha"
          + " applies to adpo-plus, adpo-warm and adpo (for another constant use adpo-warm with alpha " + alpha + ")");
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
    for (String role : ROLES) {
      m.put(role, column(role));
    }
    return m;
  }

  /** The settings as a flat, ordered map for report.json: those of {@link SettingTable} its scopes admit. */
  public Map<String, Object> describe() {
    return describe(algorithm.isOnline() ? java.util.EnumSet.allOf(Setting.Scope.class)
        : java.util.EnumSet.of(Setting.Scope.STATE, Setting.Scope.RUN));
  }

  /**
   * The settings of {@code scopes} in the order of {@link SettingTable}, each under its {@link Setting#jsonKey()}
   * (the column names nested in "columns"); after the candidates the greedy's "mode" (exact, candidates=K or
   * stochastic epsilon=E), which is derived and not a setting. report.json's settings are {@link #describe()};
   * the online config.json holds {@link Setting.Scope#STATE}.
   */
  public Map<String, Object> describe(java.util.Set<Setting.Scope> scopes) {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, String> columnNames = null;
    for (Setting s : SettingTable.ALL) {
      if (!scopes.contains(s.scope())) {
        continue;
      }
      if (s.isColumn()) {
        if (columnNames == null) {
          columnNames = new LinkedHashMap<>();
          m.put("columns", columnNames);
        }
        columnNames.put(s.jsonKey(), (String) s.get(this));
        continue;
      }
      m.put(s.jsonKey(), s.get(this));
      if (s.configKey().equals("adpo.select.candidates")) {
        m.put("mode", candidates > 0 ? String.format(Locale.ROOT, "candidates=%d", candidates)
            : epsilon > 0 ? String.format(Locale.ROOT, "stochastic epsilon=%s", epsilon) : "exact");
      }
    }
    return m;
  }
}
