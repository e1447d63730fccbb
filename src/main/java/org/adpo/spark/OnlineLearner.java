package org.adpo.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adpo.io.SelectionReport;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.model.FitResult;
import org.adpo.model.NewtonFit;
import org.adpo.oracle.LabelOracle;
import org.adpo.oracle.PickedRow;
import org.adpo.select.Algorithm;
import org.adpo.select.CandidateBlock;
import org.adpo.select.Pick;
import org.adpo.select.RefitSchedule;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The driver's state of online selection ({@code adpo}, {@code pmc}; SPEC Alg. 1): theta_hat
 * (0 at the start), the labels revealed so far and the refit history. On the greedy loop's request
 * it reveals the labels of the picks made since the last reveal (one small Spark lookup of the
 * picked rows, then the {@link LabelOracle}), refits theta with dense Newton on the driver on the
 * revealed rows in pick order, and re-weighs the candidates under the new theta (a new cached
 * generation of {@link CandidateBlock}s; H itself is never re-weighted).
 *
 * <p>Labels are revealed in one lookup per refit and once at the end, not after each pick: they are
 * used only by refits, and an oracle's answer depends on the row alone, so the outcome is the same.
 * The refit runs on the driver because the revealed rows are there already (budget x d values).
 */
final class OnlineLearner implements AutoCloseable {
  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final SelectionSettings settings;
  private final JavaRDD<PoolBlock> blocks;
  private final int d;
  private final LabelOracle oracle;
  private final RefitSchedule schedule;
  private double[] theta;
  private double[] sigmaHat;
  private final List<PickedRow> revealed = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();
  private final List<SelectionReport.Refit> refits = new ArrayList<>();
  private FitResult lastFit;
  private long lastLog;
  private final List<JavaRDD<CandidateBlock>> generations = new ArrayList<>();
  private final List<BroadcastScope> scopes = new ArrayList<>();
  /**
   * The pool's rows as candidate blocks (unit weights), cached for the whole run: every generation shares
   * their features, so small d keeps one tiled copy of the rows however many refits there are, and no
   * generation's lineage reaches an earlier one (whose broadcasts are destroyed when it retires).
   */
  private JavaRDD<CandidateBlock> features;

  OnlineLearner(SparkSession spark, SelectionSettings settings, JavaRDD<PoolBlock> blocks, int d, LabelOracle oracle) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.settings = settings;
    this.blocks = blocks;
    this.d = d;
    this.oracle = oracle;
    this.schedule = settings.refitSchedule();
    this.theta = new double[d];
    if (settings.algorithm() == Algorithm.ADPO && settings.alpha() > 0) {
      // No label yet: Sigma_hat = (lambda I)^-1.
      sigmaHat = new double[d * d];
      for (int j = 0; j < d; j++) {
        sigmaHat[j * d + j] = 1.0 / settings.lambda();
      }
    }
  }

  /** The pick count after which the next refit happens (> picks). */
  long nextRefit(long picks) {
    return schedule.nextRefit(picks);
  }

  double[] theta() {
    return theta.clone();
  }

  JavaRDD<PoolBlock> poolBlocks() {
    return blocks;
  }

  /**
   * A new cached generation of candidates weighted under the current theta (and Sigma_hat);
   * earlier generations stay cached until {@link #retireOld()}.
   */
  JavaRDD<CandidateBlock> candidates() {
    BroadcastScope scope = new BroadcastScope(jsc);
    if (features == null) {
      features = Candidates.weigh(scope, blocks, Algorithm.APO, settings.beta(), null, 0.0, null,
          "adpo candidate features");
    }
    JavaRDD<CandidateBlock> c = Candidates.weigh(scope, blocks, features, settings.algorithm(), settings.beta(),
        theta.clone(), settings.alpha(), sigmaHat, "adpo candidate blocks (refit " + refits.size() + ")");
    generations.add(c);
    scopes.add(scope);
    return c;
  }

  /** Releases every generation of candidates but the newest (call once nothing refers to them). */
  void retireOld() {
    while (generations.size() > 1) {
      generations.remove(0).unpersist(false);
      scopes.remove(0).close();
    }
  }

  /** Reveals the labels of the picks not revealed yet (in pick order). */
  void reveal(List<Pick> picks) {
    int from = revealed.size();
    if (from >= picks.size()) {
      return;
    }
    List<Pick> fresh = picks.subList(from, picks.size());
    long[] wanted = new long[fresh.size()];
    for (int i = 0; i < wanted.length; i++) {
      wanted[i] = fresh.get(i).ord();
    }
    Arrays.sort(wanted);
    SparkJobs.describe(spark, "online: reveal labels of picks " + (from + 1) + ".." + picks.size());
    Broadcast<long[]> bc = jsc.broadcast(wanted);
    List<PickedRow> found;
    try {
      found = blocks.flatMap(p -> lookup(p, bc.value()).iterator()).collect();
    } finally {
      bc.destroy();
    }
    Map<Long, PickedRow> byOrd = new HashMap<>();
    for (PickedRow r : found) {
      byOrd.put(r.ord(), r);
    }
    List<PickedRow> rows = new ArrayList<>(fresh.size());
    for (Pick p : fresh) {
      PickedRow r = byOrd.get(p.ord());
      if (r == null) {
        throw new IllegalStateException("picked row id=" + p.id() + " not found in the pool");
      }
      rows.add(r);
    }
    int[] s = oracle.reveal(rows);
    revealed.addAll(rows);
    for (int v : s) {
      labels.add(v);
    }
  }

  private static List<PickedRow> lookup(PoolBlock p, long[] wanted) {
    List<PickedRow> out = new ArrayList<>();
    for (int i = 0; i < p.rows; i++) {
      if (Arrays.binarySearch(wanted, p.ords[i]) >= 0) {
        double[] phi = new double[p.d];
        for (int j = 0; j < p.d; j++) {
          phi[j] = p.phi[i * p.d + j];
        }
        out.add(new PickedRow(p.ords[i], p.id(i), phi, p.b[i], p.s[i]));
      }
    }
    return out;
  }

  /** Reveals the labels picked so far and refits theta on all of them (before pick picks.size() + 1). */
  void refit(List<Pick> picks) {
    reveal(picks);
    int n = revealed.size();
    double[][] phi = new double[n][];
    double[] b = new double[n];
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      phi[i] = revealed.get(i).phi();
      b[i] = revealed.get(i).b();
      s[i] = labels.get(i);
    }
    SparkJobs.describe(spark, "online: refit theta on " + n + " labels");
    lastFit = NewtonFit.fit(phi, b, s, settings.beta(), settings.lambda(), settings.fitMaxIterations(),
        settings.fitTolerance());
    theta = lastFit.theta();
    if (sigmaHat != null) {
      double[][] sigma = NewtonFit.penalizedHessianInverse(phi, b, settings.beta(), settings.lambda(), theta);
      for (int i = 0; i < d; i++) {
        System.arraycopy(sigma[i], 0, sigmaHat, i * d, d);
      }
    }
    refits.add(new SelectionReport.Refit(picks.size() + 1, n, lastFit.iterations(), lastFit.converged(),
        lastFit.gradientNorm()));
    long now = System.nanoTime();
    if (now - lastLog < 1_000_000_000L && refits.size() > 1) {
      return; // at most one refit line per second (every:1 refits before every pick)
    }
    lastLog = now;
    ProgressLog.info(String.format(java.util.Locale.ROOT, "refit before pick %d on %d labels: %d Newton iterations%s",
        picks.size() + 1, n, lastFit.iterations(), lastFit.converged() ? "" : " (not converged)"));
  }

  /** The rows revealed so far, in pick order (phi widened from the stored float32). */
  List<PickedRow> revealedRows() {
    return java.util.Collections.unmodifiableList(revealed);
  }

  /** Refits made so far. */
  int refitCount() {
    return refits.size();
  }

  /** The last refit, or null when none happened. */
  FitResult lastFit() {
    return lastFit;
  }

  /** The revealed label of each revealed row, by ord. */
  Map<Long, Integer> labelsByOrd() {
    Map<Long, Integer> m = new HashMap<>();
    for (int i = 0; i < revealed.size(); i++) {
      m.put(revealed.get(i).ord(), labels.get(i));
    }
    return m;
  }

  /** Refit history, oracle and reveal count, for the report. */
  SelectionReport.Online describe() {
    long ones = labels.stream().filter(v -> v == 1).count();
    return new SelectionReport.Online(oracle.name(), schedule.toString(), settings.batch(), oracle.reveals(), ones,
        labels.size() - ones, refits.size(), List.copyOf(refits));
  }

  @Override
  public void close() {
    for (JavaRDD<CandidateBlock> g : generations) {
      g.unpersist(false);
    }
    generations.clear();
    if (features != null) {
      features.unpersist(false);
      features = null;
    }
    scopes.forEach(BroadcastScope::close);
    scopes.clear();
  }
}
