package org.adpo.api;

import java.util.Map;
import org.adpo.data.ColumnNames;
import org.adpo.config.SelectionSettings;
import org.adpo.config.SettingsLoader;
import org.adpo.error.UsageException;
import org.adpo.oracle.LabelOracle;
import org.adpo.select.Algorithm;
import org.adpo.spark.SelectionJob;
import org.adpo.spark.SelectionResult;
import org.adpo.spark.SparkFeatures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Java API for notebooks and applications: configure with setters (defaults as in
 * {@code reference.conf}), call {@link #select} on a pool {@code Dataset<Row>}, get back the selected
 * rows with the same columns as the CLI's {@code selection/}. It uses the pool's own SparkSession
 * and never stops it. Example:
 *
 * <pre>{@code
 * Dataset<Row> picks = new AdpoSelector().setAlgorithm("adpo-plus").setBudget(500).select(pool);
 * }</pre>
 */
public final class AdpoSelector {
  private String algorithm;
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
  private ColumnNames columns;
  private String oracle;
  private String thetaTrue;
  private String schedule;
  private int batch;
  private LabelOracle customOracle;
  private org.adpo.io.SelectionReport lastReport;

  public AdpoSelector() {
    SelectionSettings d = SettingsLoader.selection(SettingsLoader.load(null, Map.of()));
    algorithm = d.algorithm().cliName();
    budget = d.budget();
    beta = d.beta();
    gamma = d.gamma();
    lambda = d.lambda();
    alpha = d.alpha();
    seed = d.seed();
    candidates = d.candidates();
    epsilon = d.epsilon();
    strategy = d.strategy();
    topK = d.topK();
    refreshEvery = d.refreshEvery();
    refreshTolerance = d.refreshTolerance();
    checkpointEvery = d.checkpointEvery();
    partitions = d.partitions();
    fitMaxIterations = d.fitMaxIterations();
    fitTolerance = d.fitTolerance();
    columns = d.columns();
    oracle = d.oracle();
    thetaTrue = d.thetaTrue();
    schedule = d.schedule();
    batch = d.batch();
  }

  public AdpoSelector setAlgorithm(String name) {
    Algorithm.parse(name);
    this.algorithm = name;
    return this;
  }

  public AdpoSelector setBudget(long n) {
    this.budget = n;
    return this;
  }

  public AdpoSelector setBeta(double beta) {
    this.beta = beta;
    return this;
  }

  public AdpoSelector setGamma(double gamma) {
    this.gamma = gamma;
    return this;
  }

  public AdpoSelector setLambda(double lambda) {
    this.lambda = lambda;
    return this;
  }

  public AdpoSelector setAlpha(double alpha) {
    this.alpha = alpha;
    return this;
  }

  public AdpoSelector setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /** 0 = exact (default); K > 0 = score only K random unpicked candidates per pick. */
  public AdpoSelector setCandidates(int k) {
    this.candidates = k;
    return this;
  }

  /** > 0: stochastic greedy with (N/n) ln(1/epsilon) random candidates per pick (approximate). */
  public AdpoSelector setEpsilon(double epsilon) {
    this.epsilon = epsilon;
    return this;
  }

  /** {@code lazy} (default: certified rounds with score downdates) or {@code naive} (one job per pick). */
  public AdpoSelector setStrategy(String strategy) {
    this.strategy = strategy;
    return this;
  }

  public AdpoSelector setRefreshEvery(int rounds) {
    this.refreshEvery = rounds;
    return this;
  }

  public AdpoSelector setRefreshTolerance(double tolerance) {
    this.refreshTolerance = tolerance;
    return this;
  }

  public AdpoSelector setCheckpointEvery(int rounds) {
    this.checkpointEvery = rounds;
    return this;
  }

  public AdpoSelector setTopK(int k) {
    this.topK = k;
    return this;
  }

  public AdpoSelector setPartitions(int p) {
    this.partitions = p;
    return this;
  }

  public AdpoSelector setFitMaxIterations(int n) {
    this.fitMaxIterations = n;
    return this;
  }

  public AdpoSelector setFitTolerance(double tol) {
    this.fitTolerance = tol;
    return this;
  }

  /** Column names: id, phi (or phi1 and phi2), b, s, weight. */
  public AdpoSelector setColumns(ColumnNames columns) {
    if (columns == null) {
      throw new UsageException("columns must not be null");
    }
    this.columns = columns;
    return this;
  }

  /** adpo / pmc: {@code logged} (default: the pool's s column) or {@code bernoulli} (simulated labels). */
  public AdpoSelector setOracle(String name) {
    this.oracle = name;
    this.customOracle = null;
    return this;
  }

  /**
   * adpo / pmc: use this oracle instance instead of a named one (e.g. labels from annotators, or a
   * {@link org.adpo.oracle.LoggedOracle} whose record of reveals the caller inspects afterwards).
   * The oracle is called on the driver. The settings' oracle name stays what it was, for validation.
   */
  public AdpoSelector setOracle(LabelOracle oracle) {
    this.customOracle = oracle;
    return this;
  }

  /** bernoulli oracle: file holding theta_true (JSON array or one number per line); "" = fit on all labels. */
  public AdpoSelector setThetaTrue(String file) {
    this.thetaTrue = file;
    return this;
  }

  /** adpo / pmc refit schedule: {@code doubling} (default), {@code every:K} or {@code batch}. */
  public AdpoSelector setSchedule(String schedule) {
    this.schedule = schedule;
    return this;
  }

  /** adpo / pmc: picks per batch with theta fixed (default 1). */
  public AdpoSelector setBatch(int batch) {
    this.batch = batch;
    return this;
  }

  /** The validated settings these setters describe. */
  public SelectionSettings settings() {
    return new SelectionSettings(Algorithm.parse(algorithm), budget, beta, gamma, lambda, alpha, seed,
        candidates, epsilon, strategy, topK, refreshEvery, refreshTolerance, checkpointEvery, partitions,
        fitMaxIterations, fitTolerance, columns, oracle, thetaTrue, schedule, batch).validate();
  }

  /** Selects from {@code pool}; the result has the input columns plus rank, gain and weight. */
  public Dataset<Row> select(Dataset<Row> pool) {
    return run(pool).selection();
  }

  /** Like {@link #select} but also returns the picks and the report (what report.json holds). */
  public SelectionResult run(Dataset<Row> pool) {
    SparkFeatures.requireClassicSpark(pool.sparkSession());
    SelectionResult r = SelectionJob.run(pool.sparkSession(), pool, "the pool DataFrame", settings(), customOracle);
    lastReport = r.report();
    return r;
  }

  /** The report of the last run, or null. */
  public org.adpo.io.SelectionReport lastReport() {
    return lastReport;
  }
}
