package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.adpo.io.SelectionReport;
import org.adpo.api.AdpoSelector;
import org.adpo.error.UsageException;
import org.adpo.model.NewtonFit;
import org.adpo.oracle.BernoulliOracle;
import org.adpo.oracle.LoggedOracle;
import org.adpo.select.Pick;
import org.adpo.testing.IndependentReference;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Online selection (adpo, Alg. 1, and pmc) against a dense reference written here: its own refit
 * points, weights (plain and UCB), Sigma_hat, Cholesky scoring and greedy loop; only the theta fit
 * is the engine's deterministic {@link NewtonFit}, fed the same rows in pick order. Also: the logged
 * oracle reveals exactly the picked labels, and the bernoulli oracle is reproducible and
 * independent of partitioning.
 */
@ExtendWith(SparkSessionExtension.class)
class OnlineSelectionTest {
  static final double BETA = 1.5;
  static final double GAMMA = 0.5;
  static final double LAMBDA = 0.7;

  /** The reference's own statement of the schedules (c = picks made when the refit happens). */
  static boolean refitAfter(String schedule, int batch, long c) {
    if (c % batch != 0) {
      return false;
    }
    for (long p = c - batch + 1; p <= c; p++) {
      boolean point = schedule.equals("doubling") ? Long.bitCount(p + 1) == 1
          : schedule.equals("batch") ? p % batch == 0
          : p % Long.parseLong(schedule.substring(6)) == 0;
      if (point) {
        return true;
      }
    }
    return false;
  }

  record Reference(long[] ids, double[] gains, double[] weights, List<Long> refitBefore) {}

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Algorithm 1 (or pmc), densely, with the logged labels. */
  static Reference reference(Pools pool, String algorithm, String schedule, int batch, double alpha, int n) {
    double[][] phi = pool.phiAsStored();
    int count = phi.length;
    int d = phi[0].length;
    double[] theta = new double[d];
    DMatrixRMaj h = CommonOps_DDRM.identity(d);
    CommonOps_DDRM.scale(GAMMA, h);
    boolean[] taken = new boolean[count];
    List<Integer> order = new ArrayList<>();
    long[] ids = new long[n];
    double[] gains = new double[n];
    double[] weights = new double[n];
    List<Long> refits = new ArrayList<>();
    for (int t = 1; t <= n; t++) {
      if (refitAfter(schedule, batch, t - 1) && t > 1) {
        refits.add((long) t);
        double[][] x = new double[order.size()][];
        double[] b = new double[order.size()];
        double[] s = new double[order.size()];
        for (int k = 0; k < order.size(); k++) {
          x[k] = phi[order.get(k)];
          b[k] = pool.b[order.get(k)];
          s[k] = pool.s[order.get(k)];
        }
        theta = NewtonFit.fit(x, b, s, BETA, LAMBDA, 500, 1e-9).theta();
      }
      // Sigma_hat = (lambda I + beta^2 sum_{revealed} w_j phi_j phi_j^T)^-1, by plain inversion.
      DMatrixRMaj sigma = null;
      if (alpha > 0) {
        DMatrixRMaj m = CommonOps_DDRM.identity(d);
        CommonOps_DDRM.scale(LAMBDA, m);
        int revealed = t == 1 ? 0 : (int) lastRefitLabels(refits);
        for (int k = 0; k < revealed; k++) {
          double[] f = phi[order.get(k)];
          double z = BETA * (dot(f, theta) - pool.b[order.get(k)]);
          double w = sigmoid(z) * (1 - sigmoid(z));
          for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
              m.add(r, c, BETA * BETA * w * f[r] * f[c]);
            }
          }
        }
        sigma = new DMatrixRMaj(d, d);
        CommonOps_DDRM.invert(m, sigma);
      }
      DMatrixRMaj l = cholesky(h);
      int best = -1;
      double bestKey = 0;
      double bestW = 0;
      for (int i = 0; i < count; i++) {
        if (taken[i]) {
          continue;
        }
        double w;
        double key;
        double[] v = new double[d];
        if (algorithm.equals("pmc")) {
          w = 1;
          key = Math.abs(dot(phi[i], theta) - pool.b[i]);
        } else {
          double z = BETA * (dot(phi[i], theta) - pool.b[i]);
          if (alpha > 0) {
            z = Math.max(Math.abs(z) - alpha * Math.sqrt(quad(sigma, phi[i])), 0);
          }
          w = sigmoid(z) * (1 - sigmoid(z));
          for (int j = 0; j < d; j++) {
            v[j] = BETA * Math.sqrt(w) * phi[i][j];
          }
          key = solveNorm(l, v);
        }
        if (best < 0 || key > bestKey || (key == bestKey && pool.ids[i] < pool.ids[best])) {
          best = i;
          bestKey = key;
          bestW = w;
        }
      }
      double scale = algorithm.equals("pmc") ? 1 : BETA * Math.sqrt(bestW);
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = scale * phi[best][j];
      }
      gains[t - 1] = Math.log1p(solveNorm(l, v));
      weights[t - 1] = bestW;
      ids[t - 1] = pool.ids[best];
      taken[best] = true;
      order.add(best);
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          h.add(r, c, v[r] * v[c]);
        }
      }
    }
    return new Reference(ids, gains, weights, refits);
  }

  private static long lastRefitLabels(List<Long> refits) {
    return refits.isEmpty() ? 0 : refits.get(refits.size() - 1) - 1;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  static double quad(DMatrixRMaj m, double[] x) {
    double q = 0;
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < x.length; c++) {
        q += x[r] * m.get(r, c) * x[c];
      }
    }
    return q;
  }

  /** |L^-1 v|^2 = v^T H^-1 v. */
  static double solveNorm(DMatrixRMaj l, double[] v) {
    int d = v.length;
    double[] y = new double[d];
    double q = 0;
    for (int r = 0; r < d; r++) {
      double acc = v[r];
      for (int c = 0; c < r; c++) {
        acc -= l.get(r, c) * y[c];
      }
      y[r] = acc / l.get(r, r);
      q += y[r] * y[r];
    }
    return q;
  }

  static DMatrixRMaj cholesky(DMatrixRMaj h) {
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(h.numRows, true);
    if (!chol.decompose(h.copy())) {
      throw new IllegalStateException("H is not positive definite");
    }
    return chol.getT(null);
  }

  static AdpoSelector selector(String algorithm, int n, int partitions, String schedule, int batch, double alpha) {
    return new AdpoSelector().setAlgorithm(algorithm).setBudget(n).setPartitions(partitions).setBeta(BETA)
        .setGamma(GAMMA).setLambda(LAMBDA).setAlpha(alpha).setSchedule(schedule).setBatch(batch).setTopK(3);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // algorithm, N, d, duplicates, partitions, budget, schedule, batch, alpha
        Arguments.of("adpo", 60, 3, 10, 1, 30, "doubling", 1, 0.0),
        Arguments.of("adpo", 120, 4, 30, 3, 50, "doubling", 1, 0.0),
        Arguments.of("adpo", 120, 4, 30, 8, 40, "every:5", 1, 0.0),
        Arguments.of("adpo", 100, 3, 20, 3, 40, "batch", 4, 0.0),
        Arguments.of("adpo", 100, 3, 20, 3, 37, "doubling", 3, 0.0),
        Arguments.of("adpo", 50, 3, 10, 3, 50, "every:1", 1, 0.0),
        Arguments.of("adpo", 100, 3, 20, 3, 40, "doubling", 1, 3.0),
        Arguments.of("adpo", 80, 4, 10, 8, 30, "every:4", 2, 1.0),
        Arguments.of("pmc", 100, 3, 20, 1, 40, "doubling", 1, 0.0),
        Arguments.of("pmc", 100, 3, 20, 8, 45, "every:7", 1, 0.0),
        Arguments.of("pmc", 100, 3, 20, 3, 40, "batch", 5, 0.0));
  }

  @ParameterizedTest(name = "{0} N={1} d={2} dup={3} P={4} n={5} {6} B={7} alpha={8}")
  @MethodSource("cases")
  void equalsDenseReferenceAndRevealsOnlyPicks(String algorithm, int count, int d, int dup, int partitions, int n,
      String schedule, int batch, double alpha, SparkSession spark) {
    Pools pool = Pools.random(count, d, dup, 31L * count + d + partitions);
    LoggedOracle oracle = new LoggedOracle();
    SelectionResult r = selector(algorithm, n, partitions, schedule, batch, alpha).setOracle(oracle)
        .run(pool.frame(spark));
    Reference ref = reference(pool, algorithm, schedule, batch, alpha, n);

    List<Pick> picks = r.picks();
    assertEquals(n, picks.size());
    List<Object> pickedIds = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      Pick p = picks.get(t);
      assertEquals(ref.ids()[t], p.id(), "pick " + (t + 1));
      assertEquals(ref.gains()[t], p.gain(), 1e-9 * Math.abs(ref.gains()[t]) + 1e-15, "gain of pick " + (t + 1));
      assertEquals(ref.weights()[t], p.weight(), 1e-12, "weight of pick " + (t + 1));
      pickedIds.add(p.id());
    }
    // The oracle saw exactly the picked rows, in pick order, each once.
    assertEquals(n, oracle.reveals());
    assertEquals(pickedIds, oracle.revealedIds());
    SelectionReport.Online online = r.report().online();
    assertEquals((long) n, online.reveals());
    List<Long> before = new ArrayList<>();
    for (SelectionReport.Refit m : online.refits()) {
      long t = m.beforePick();
      before.add(t);
      assertEquals(t - 1, m.labels(), "labels used by the refit before pick " + t);
    }
    assertEquals(ref.refitBefore(), before, "refit schedule");
    // The selection carries the revealed (logged) label of each pick.
    List<Row> rows = r.selection().collectAsList();
    assertEquals(n, rows.size());
    for (Row row : rows) {
      assertEquals((int) row.getAs("s"), (int) row.getAs("label"));
    }
  }

  @Test
  void refitPointsOfTheSchedulesAreExact(SparkSession spark) {
    Pools pool = Pools.random(80, 3, 0, 5);
    assertEquals(List.of(2L, 4L, 8L, 16L), refitsOf(selector("adpo", 20, 3, "doubling", 1, 0).run(pool.frame(spark))));
    assertEquals(List.of(7L, 13L, 19L), refitsOf(selector("adpo", 20, 3, "every:6", 1, 0).run(pool.frame(spark))));
    assertEquals(List.of(6L, 11L, 16L), refitsOf(selector("adpo", 20, 3, "batch", 5, 0).run(pool.frame(spark))));
    assertEquals(List.of(6L, 11L, 16L), refitsOf(selector("pmc", 20, 3, "batch", 5, 0).run(pool.frame(spark))));
  }

  private static List<Long> refitsOf(SelectionResult r) {
    List<Long> out = new ArrayList<>();
    for (SelectionReport.Refit m : r.report().online().refits()) {
      out.add((long) m.beforePick());
    }
    return out;
  }

  @Test
  void bernoulliIsSeededAndIndependentOfPartitioning(SparkSession spark, @TempDir Path dir) throws Exception {
    Pools pool = Pools.random(120, 4, 10, 9);
    Path thetaFile = dir.resolve("theta.json");
    Files.writeString(thetaFile, Arrays.toString(pool.thetaTrue));
    List<Row> one = null;
    for (int partitions : new int[] {1, 3, 8}) {
      SelectionResult r = selector("adpo", 40, partitions, "doubling", 1, 0).setOracle("bernoulli")
          .setThetaTrue(thetaFile.toString()).setSeed(17).run(pool.frame(spark));
      List<Row> rows = r.selection().select("id", "label", "rank").collectAsList();
      if (one == null) {
        one = rows;
      } else {
        assertEquals(one, rows, "partitions " + partitions);
      }
    }
    // Each label is the seeded draw of its row under theta_true.
    BernoulliOracle expected = new BernoulliOracle(pool.thetaTrue, BETA, 17);
    double[][] phi = pool.phiAsStored();
    int differ = 0;
    for (Row row : one) {
      long id = row.getLong(0);
      int i = indexOf(pool.ids, id);
      int label = BernoulliOracle.uniform(17, id) < expected.probability(phi[i], pool.b[i]) ? 1 : 0;
      assertEquals(label, row.getInt(1), "label of id " + id);
      differ += label != pool.s[i] ? 1 : 0;
    }
    // Another seed draws other labels.
    List<Row> other = selector("adpo", 40, 3, "doubling", 1, 0).setOracle("bernoulli")
        .setThetaTrue(thetaFile.toString()).setSeed(18).run(pool.frame(spark))
        .selection().select("id", "label", "rank").collectAsList();
    assertNotEquals(one, other);
    // The labels are drawn, not read: some differ from the pool's logged labels.
    assertTrue(differ > 0, "all " + one.size() + " bernoulli labels equal the logged ones");
  }

  @Test
  void bernoulliWithoutFileFitsThetaTrueOnAllLabels(SparkSession spark) {
    Pools pool = Pools.random(60, 3, 0, 4);
    SelectionResult r = selector("pmc", 12, 3, "doubling", 1, 0).setOracle("bernoulli").setSeed(5)
        .run(pool.frame(spark));
    assertEquals(12, r.picks().size());
    assertEquals("bernoulli", r.report().online().oracle());
    // theta_true is the fit on all labels of the pool (test-side Newton, not the engine's fit): every
    // revealed label is the seeded draw under it, and some differ from the logged labels.
    double[][] phi = pool.phiAsStored();
    double[] thetaTrue = IndependentReference.fit(phi, pool.b, pool.s, BETA, LAMBDA);
    int differ = 0;
    for (Row row : r.selection().select("id", "label").collectAsList()) {
      long id = row.getLong(0);
      int i = indexOf(pool.ids, id);
      double p = IndependentReference.sigmoid(IndependentReference.logit(phi[i], pool.b[i], thetaTrue, BETA));
      int label = BernoulliOracle.uniform(5, id) < p ? 1 : 0;
      assertEquals(label, row.getInt(1), "label of id " + id);
      differ += label != pool.s[i] ? 1 : 0;
    }
    assertTrue(differ > 0, "all 12 bernoulli labels equal the logged ones");
  }

  @Test
  void rejectsOnlineOptionsThatDoNotApply() {
    assertThrows(UsageException.class, () -> selector("adpo-plus", 10, 1, "doubling", 2, 0).settings());
    assertThrows(UsageException.class, () -> selector("adpo", 10, 1, "every:0", 1, 0).settings());
    assertThrows(UsageException.class, () -> selector("adpo", 10, 1, "doubling", 1, 0).setOracle("crowd").settings());
    assertThrows(UsageException.class, () -> selector("adpo", 10, 1, "doubling", 1, 0).setThetaTrue("t.json").settings());
    assertThrows(UsageException.class, () -> selector("pmc", 10, 1, "doubling", 1, 0).setCandidates(8).settings());
  }

  private static int indexOf(long[] ids, long id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    throw new IllegalArgumentException("no id " + id);
  }
}
