package org.adpo.api;

import org.adpo.data.ColumnNames;
import org.adpo.config.SelectionSettings;
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
  /** The settings so far, at the defaults of reference.conf until a setter changes one. */
  private final SelectionSettings.Builder settings = SelectionSettings.builder();
  private LabelOracle customOracle;
  private org.adpo.io.SelectionReport lastReport;

  public AdpoSelector() {}

  public AdpoSelector setAlgorithm(String name) {
    settings.algorithm(Algorithm.parse(name));
    return this;
  }

  public AdpoSelector setBudget(long n) {
    settings.budget(n);
    return this;
  }

  public AdpoSelector setBeta(double beta) {
    settings.beta(beta);
    return this;
  }

  public AdpoSelector setGamma(double gamma) {
    settings.gamma(gamma);
    return this;
  }

  public AdpoSelector setLambda(double lambda) {
    settings.lambda(lambda);
    return this;
  }

  public AdpoSelector setAlpha(double alpha) {
    settings.alpha(alpha);
    return this;
  }

  public AdpoSelector setSeed(long seed) {
    settings.seed(seed);
    return this;
  }

  /** 0 = exact (default); K > 0 = score only K random unpicked candidates per pick. */
  public AdpoSelector setCandidates(int k) {
    settings.candidates(k);
    return this;
  }

  /** > 0: stochastic greedy with (N/n) ln(1/epsilon) random candidates per pick (approximate). */
  public AdpoSelector setEpsilon(double epsilon) {
    settings.epsilon(epsilon);
    return this;
  }

  /** {@code lazy} (default: certified rounds with score downdates) or {@code naive} (one job per pick). */
  public AdpoSelector setStrategy(String strategy) {
    settings.strategy(strategy);
    return this;
  }

  public AdpoSelector setRefreshEvery(int rounds) {
    settings.refreshEvery(rounds);
    return this;
  }

  public AdpoSelector setRefreshTolerance(double tolerance) {
    settings.refreshTolerance(tolerance);
    return this;
  }

  public AdpoSelector setCheckpointEvery(int rounds) {
    settings.checkpointEvery(rounds);
    return this;
  }

  public AdpoSelector setTopK(int k) {
    settings.topK(k);
    return this;
  }

  public AdpoSelector setPartitions(int p) {
    settings.partitions(p);
    return this;
  }

  public AdpoSelector setFitMaxIterations(int n) {
    settings.fitMaxIterations(n);
    return this;
  }

  public AdpoSelector setFitTolerance(double tol) {
    settings.fitTolerance(tol);
    return this;
  }

  /** Column names: id, phi (or phi1 and phi2), b, s, weight. */
  public AdpoSelector setColumns(ColumnNames columns) {
    if (columns == null) {
      throw new UsageException("columns must not be null");
    }
    settings.columns(columns);
    return this;
  }

  /** adpo / pmc: {@code logged} (default: the pool's s column) or {@code bernoulli} (simulated labels). */
  public AdpoSelector setOracle(String name) {
    settings.oracle(name);
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
    settings.thetaTrue(file);
    return this;
  }

  /** adpo / pmc refit schedule: {@code doubling} (default), {@code every:K} or {@code batch}. */
  public AdpoSelector setSchedule(String schedule) {
    settings.schedule(schedule);
    return this;
  }

  /** adpo / pmc: picks per batch with theta fixed (default 1). */
  public AdpoSelector setBatch(int batch) {
    settings.batch(batch);
    return this;
  }

  /** The validated settings these setters describe. */
  public SelectionSettings settings() {
    return settings.build().validate();
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
