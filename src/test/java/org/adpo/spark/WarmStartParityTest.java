package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.adpo.io.SelectionReport;
import org.adpo.api.AdpoSelector;
import org.adpo.select.Pick;
import org.adpo.testing.IndependentReference;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * adpo-warm and adpo-safe equal an independent dense two-phase greedy pick for pick (adpo-safe's warm picks are
 * uniform's). adpo-warm: the first 4d picks maximise
 * phi^T H^-1 phi, the later ones v^T H^-1 v with v = beta sqrt(w(theta)) phi, on one H = gamma I +
 * the sum of the picked terms (each with the scale it was picked with), H solved afresh every step,
 * ties to the smallest id; for budgets inside and beyond the warm phase, several partition counts,
 * both exact strategies and pools with duplicate rows.
 */
@ExtendWith(SparkSessionExtension.class)
class WarmStartParityTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        // N, d, duplicates, partitions, budget, strategy, alpha
        Arguments.of(200, 4, 40, 3, 60, "lazy", 0.0),
        Arguments.of(200, 4, 0, 1, 6, "lazy", 0.0),
        Arguments.of(300, 8, 60, 8, 100, "lazy", 0.0),
        Arguments.of(200, 4, 40, 8, 30, "naive", 0.0),
        Arguments.of(300, 5, 30, 4, 80, "lazy", 1.5));
  }

  @ParameterizedTest(name = "N={0} d={1} dup={2} P={3} n={4} {5} alpha={6}")
  @MethodSource("cases")
  void equalsDenseTwoPhaseGreedy(int n, int d, int dup, int partitions, int budget, String strategy, double alpha,
      SparkSession spark) {
    Pools pool = Pools.random(n, d, dup, 11L * n + d + partitions);
    double beta = 1.5;
    double gamma = 0.5;
    SelectionResult r = new AdpoSelector().setAlgorithm("adpo-warm").setBudget(budget).setPartitions(partitions)
        .setBeta(beta).setGamma(gamma).setStrategy(strategy).setAlpha(alpha).run(pool.frame(spark));
    double[] theta = r.fit().theta();
    double[][] phi = pool.phiAsStored();
    // The weighted phase's UCB bound: alpha sqrt(N / n) with Sigma_hat over all N labelled rows (lambda = 1).
    double alphaN = alpha * Math.sqrt((double) n / budget);
    double[][] sigma = alpha == 0 ? null : IndependentReference.sigmaHat(phi, pool.b, theta, beta, 1.0);
    int warm = org.adpo.select.WarmStart.PICKS_PER_DIMENSION * d;

    DMatrixRMaj h = denseTwoPhase(pool, r.picks(), budget, warm, null, beta, gamma, theta, alphaN, sigma);
    SelectionReport.Selection sel = r.report().selection();
    double logDet = Math.log(CommonOps_DDRM.det(h));
    assertEquals(logDet, sel.logDetFinal(), 1e-9 * Math.abs(logDet) + 1e-9);
    assertEquals((long) Math.min(budget, warm), sel.warmStart().warmPicks());
  }

  /**
   * adpo-safe: its first min(n, d) picks are uniform's with the same seed, their terms Fisher-weighted; the rest
   * equal the dense weighted greedy on that design with the UCB bound 2 sqrt(N / n) (Sigma_hat over all N labelled
   * rows), pick for pick; inside the warm phase the selection is uniform's; it refuses an alpha of its own.
   */
  @ParameterizedTest(name = "N={0} d={1} dup={2} P={3} n={4}")
  @MethodSource("safeCases")
  void safeIsUniformThenTheDenseWeightedGreedy(int n, int d, int dup, int partitions, int budget, SparkSession spark) {
    Pools pool = Pools.random(n, d, dup, 7L * n + d + partitions);
    double beta = 1.5;
    double gamma = 0.5;
    SelectionResult safe = new AdpoSelector().setAlgorithm("adpo-safe").setBudget(budget).setPartitions(partitions)
        .setBeta(beta).setGamma(gamma).setSeed(5).run(pool.frame(spark));
    // min(budget, 4d), past 8d picks 4d x 8d / budget: written out, not WarmStart's.
    int warm = budget > 8 * d ? (int) Math.max(1, Math.round(4.0 * d * 8 * d / budget)) : Math.min(budget, 4 * d);
    List<Pick> uniform = new AdpoSelector().setAlgorithm("uniform").setBudget(warm).setPartitions(partitions + 1)
        .setSeed(5).run(pool.frame(spark)).picks();
    double[] theta = safe.fit().theta();
    double[][] sigma = IndependentReference.sigmaHat(pool.phiAsStored(), pool.b, theta, beta, 1.0);
    // 2 sqrt(N / n), past 8d picks times sqrt(8d / n), at least 2: written out, not WarmStart's.
    double alphaN = 2 * Math.sqrt((double) n / budget) * (budget > 8 * d ? Math.sqrt(8.0 * d / budget) : 1);
    alphaN = Math.max(2, alphaN);
    DMatrixRMaj h = denseTwoPhase(pool, safe.picks(), budget, warm, uniform, beta, gamma, theta, alphaN, sigma);
    SelectionReport.Selection sel = safe.report().selection();
    double logDet = Math.log(CommonOps_DDRM.det(h));
    assertEquals(logDet, sel.logDetFinal(), 1e-9 * Math.abs(logDet) + 1e-9);
    assertEquals((long) warm, sel.warmStart().warmPicks());
    assertEquals("UCB-Fisher-weighted", sel.logDetDesign());
    assertEquals(0.0, (Double) safe.report().settings().get("alpha"));
  }

  static Stream<Arguments> safeCases() {
    return Stream.of(
        // N, d, duplicates, partitions, budget
        Arguments.of(300, 5, 30, 3, 70),
        Arguments.of(200, 8, 40, 4, 6),
        Arguments.of(300, 6, 0, 1, 40));
  }

  @org.junit.jupiter.api.Test
  void safeRefusesAnAlphaOfItsOwn(SparkSession spark) {
    Pools pool = Pools.random(100, 4, 0, 7);
    org.adpo.error.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.adpo.error.UsageException.class, () -> new AdpoSelector().setAlgorithm("adpo-safe").setBudget(10)
            .setAlpha(1.0).run(pool.frame(spark)));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("adpo-safe fixes its UCB bound at 2.0"
        + " sqrt(N / n) (past 8d picks times sqrt(8d / n), at least 2.0)"), e.getMessage());
  }

  /**
   * Checks {@code picks} against the dense two-phase greedy and returns its final H. Picks before {@code warm} are
   * {@code forced}'s rows when given (uniform's, their terms Fisher-weighted when {@code weighWarm}), else the
   * argmax on the unweighted design; later ones the argmax of v^T H^-1 v with v = beta sqrt(w(theta)) phi.
   */
  private static DMatrixRMaj denseTwoPhase(Pools pool, List<Pick> picks, int budget, int warm, List<Pick> forced,
      double beta, double gamma, double[] theta, double alphaN, double[][] sigma) {
    int n = pool.ids.length;
    int d = pool.phiAsStored()[0].length;
    double[][] phi = pool.phiAsStored();
    DMatrixRMaj h = new DMatrixRMaj(d, d);
    for (int j = 0; j < d; j++) {
      h.set(j, j, gamma);
    }
    boolean[] taken = new boolean[n];
    assertEquals(budget, picks.size());
    for (int t = 0; t < budget; t++) {
      DMatrixRMaj inv = new DMatrixRMaj(d, d);
      CommonOps_DDRM.invert(h, inv);
      int best = -1;
      double bestQ = -1;
      double[] bestV = null;
      for (int i = 0; i < n; i++) {
        if (taken[i] || (forced != null && t < warm && !forced.get(t).id().equals(pool.ids[i]))) {
          continue;
        }
        double scale = 1.0;
        if (t >= warm || forced != null) {
          scale = beta * Math.sqrt(IndependentReference.weight(phi[i], pool.b[i], theta, beta, alphaN, sigma));
        }
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
          v[j] = scale * phi[i][j];
        }
        double q = 0;
        for (int a = 0; a < d; a++) {
          for (int c = 0; c < d; c++) {
            q += v[a] * inv.get(a, c) * v[c];
          }
        }
        // Equal scores (duplicate rows) tie to the smallest id; 1e-12 relative absorbs the solve's rounding.
        if (best < 0 || q > bestQ * (1 + 1e-12) || (Math.abs(q - bestQ) <= 1e-12 * bestQ && pool.ids[i] < pool.ids[best])) {
          best = i;
          bestQ = q;
          bestV = v;
        }
      }
      assertEquals(pool.ids[best], picks.get(t).id(), "pick " + (t + 1) + (t < warm ? " (warm phase)" : ""));
      assertEquals(Math.log1p(bestQ), picks.get(t).gain(), 1e-9 * Math.log1p(bestQ) + 1e-15, "gain of pick " + (t + 1));
      taken[best] = true;
      for (int a = 0; a < d; a++) {
        for (int c = 0; c < d; c++) {
          h.add(a, c, bestV[a] * bestV[c]);
        }
      }
    }
    return h;
  }
}
