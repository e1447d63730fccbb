package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.adpo.api.AdpoSelector;
import org.adpo.design.ScalarScoreKernel;
import org.adpo.design.ScoreKernels;
import org.adpo.select.Pick;
import org.adpo.testing.IndependentReference;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The distributed selection against {@link IndependentReference}, which shares no code with the
 * engine: for ADPO+ theta is fitted test-side (Newton on the penalised DPO loss), the weights (Fisher,
 * or the UCB bound with a test-side Sigma_hat when alpha > 0) and the greedy are computed test-side
 * from the pool as generated. The engine's theta, every pick, its weight and its gain must match.
 * Dimensions cover d < 16 and d = 16, 64, 100 (full SIMD chunks, none, and a tail), each run once
 * with the vector kernel the tests' JVM starts with and once with the scalar kernel forced.
 */
@ExtendWith(SparkSessionExtension.class)
class IndependentParityTest {
  private static final double BETA = 1.5;
  private static final double GAMMA = 0.5;

  static Stream<Arguments> cases() {
    Object[][] pools = {
        // n, d, duplicates, partitions, budget, topK, algorithm, lambda, alpha
        {200, 4, 50, 3, 60, 16, "adpo-plus", 1.0, 0.0},
        {300, 8, 0, 8, 50, 8, "adpo-plus", 0.5, 3.0},
        {120, 16, 20, 3, 40, 8, "adpo-plus", 1.0, 0.0},
        {150, 64, 20, 4, 40, 8, "adpo-plus", 2.0, 3.0},
        {160, 100, 30, 3, 50, 8, "adpo-plus", 1.0, 3.0},
        {160, 100, 30, 3, 50, 16, "dopt", 1.0, 0.0},
        {120, 64, 10, 2, 30, 4, "apo", 1.0, 0.0},
        // Above FeatureTiles.MAX_D the blocks stay row-major: the other downdate path.
        {80, 520, 10, 3, 20, 8, "dopt", 1.0, 0.0},
    };
    return Stream.of("vector", "scalar").flatMap(kernel -> Stream.of(pools).map(p -> {
      Object[] a = new Object[p.length + 1];
      System.arraycopy(p, 0, a, 0, p.length);
      a[p.length] = kernel;
      return Arguments.of(a);
    }));
  }

  @ParameterizedTest(name = "N={0} d={1} dup={2} P={3} n={4} k={5} {6} lambda={7} alpha={8} kernel={9}")
  @MethodSource("cases")
  void picksWeightsAndGainsEqualTheIndependentReference(int n, int d, int dup, int partitions, int budget,
      int topK, String algorithm, double lambda, double alpha, String kernel, SparkSession spark) {
    Pools pool = Pools.random(n, d, dup, 11L * n + d + partitions);
    SelectionResult r;
    ScoreKernels.forceForTests(kernel.equals("scalar") ? new ScalarScoreKernel() : null);
    try {
      r = new AdpoSelector().setAlgorithm(algorithm).setBudget(budget).setPartitions(partitions).setTopK(topK)
          .setBeta(BETA).setGamma(GAMMA).setLambda(lambda).setAlpha(alpha).run(pool.frame(spark));
    } finally {
      ScoreKernels.forceForTests(null);
    }
    String used = r.report().selection().kernel();
    assertTrue(kernel.equals("scalar") ? used.equals("scalar") : used.startsWith("vector-api"),
        "kernel " + kernel + " requested, report says " + used);

    // Everything below is computed from the pool as generated, rounded to float32 as stored.
    double[][] phi = pool.phiAsStored();
    double[] weight = new double[n];
    double[][] v = new double[n][d];
    double tolerance = 1e-9;
    if (algorithm.equals("adpo-plus")) {
      double[] theta = IndependentReference.fit(phi, pool.b, pool.s, BETA, lambda);
      double[] engine = r.fit().theta();
      for (int j = 0; j < d; j++) {
        assertEquals(theta[j], engine[j], 1e-6 * (1 + Math.abs(theta[j])), "theta[" + j + "]");
      }
      double[][] sigma = alpha > 0 ? IndependentReference.sigmaHat(phi, pool.b, theta, BETA, lambda) : null;
      for (int i = 0; i < n; i++) {
        weight[i] = IndependentReference.weight(phi[i], pool.b[i], theta, BETA, alpha, sigma);
      }
      // The engine's theta meets a gradient tolerance of 1e-9 relative, so weights agree to ~1e-7.
      tolerance = 1e-5;
    }
    for (int i = 0; i < n; i++) {
      double scale;
      switch (algorithm) {
        case "adpo-plus":
          scale = BETA * Math.sqrt(weight[i]);
          break;
        case "dopt":
          weight[i] = pool.weight[i];
          scale = Math.sqrt(weight[i]);
          break;
        default:
          weight[i] = 1;
          scale = 1;
      }
      for (int j = 0; j < d; j++) {
        v[i][j] = scale * phi[i][j];
      }
    }
    IndependentReference.Greedy ref = IndependentReference.greedy(v, pool.ids, GAMMA, budget);

    List<Pick> picks = r.picks();
    assertEquals(budget, picks.size());
    for (int t = 0; t < budget; t++) {
      int row = ref.picks()[t];
      Pick p = picks.get(t);
      assertEquals(pool.ids[row], p.id(), "pick " + (t + 1));
      assertEquals(t + 1, p.rank());
      assertEquals(weight[row], p.weight(), tolerance * weight[row], "weight of pick " + (t + 1));
      assertEquals(ref.gains()[t], p.gain(), tolerance * ref.gains()[t] + 1e-15, "gain of pick " + (t + 1));
    }
    double logDet = r.report().selection().logDetFinal();
    assertEquals(ref.logDet(), logDet, tolerance * Math.abs(ref.logDet()) + 1e-9);
  }

  /**
   * An exact tie at a partition bound: partition 0 holds z (the best row) and x1, partition 1 holds
   * x2, a copy of x1 with a larger id; one row is gathered per partition (top-k = 1). After z is
   * picked, x2's exact score equals bit for bit partition 0's bound (x1's stored score: all values
   * are exact binary fractions and z is orthogonal to x). Sequential greedy picks x1 first; a
   * certificate that accepted a tie with the bound would pick x2. The input's 4 partitions are kept
   * (partitions = 0 and 4 is a multiple of the session's parallelism), so the layout is the one built
   * here.
   */
  @org.junit.jupiter.api.Test
  void aTieWithAPartitionBoundGoesToTheSmallestIdInAnotherPartition(SparkSession spark) {
    int d = 4;
    // Per partition: rows as (id, axis, length); fillers on axes 2 and 3 score below x, and no two
    // fillers have the same length (no other exact ties).
    double[][][] parts = {
        {{300, 0, 1.0}, {101, 1, 0.875}, {120, 2, 0.5}, {121, 3, 0.375}},
        {{150, 1, 0.875}, {130, 2, 0.25}, {131, 3, 0.4375}},
        {{140, 2, 0.3125}, {141, 3, 0.1875}},
        {{110, 3, 0.625}, {111, 2, 0.5625}, {112, 3, 0.125}},
    };
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    List<double[]> phiList = new java.util.ArrayList<>();
    List<Long> idList = new java.util.ArrayList<>();
    List<Integer> slice = new java.util.ArrayList<>();
    for (int p = 0; p < parts.length; p++) {
      for (double[] r : parts[p]) {
        double[] phi = new double[d];
        phi[(int) r[1]] = r[2];
        // A row built for an RDD holds arrays as double[] (Java lists are converted only by createDataFrame(List)).
        rows.add(org.apache.spark.sql.RowFactory.create((long) r[0], phi.clone(), 0.0, 1, 1.0, "p" + p));
        phiList.add(phi);
        idList.add((long) r[0]);
        slice.add(p);
      }
    }
    // One task per partition index, each emitting that partition's rows: the layout is exactly parts.
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.api.java.JavaRDD<org.apache.spark.sql.Row> rdd = jsc.parallelize(
        java.util.Arrays.asList(0, 1, 2, 3), 4).flatMap(p -> {
          List<org.apache.spark.sql.Row> mine = new java.util.ArrayList<>();
          for (int i = 0; i < slice.size(); i++) {
            if (slice.get(i).intValue() == p.intValue()) {
              mine.add(rows.get(i));
            }
          }
          return mine.iterator();
        });
    int budget = 8;
    SelectionResult r = new AdpoSelector().setAlgorithm("apo").setBudget(budget).setPartitions(0).setTopK(1)
        .setGamma(GAMMA).run(spark.createDataFrame(rdd, Pools.SCHEMA));
    double[][] phi = phiList.toArray(new double[0][]);
    long[] ids = idList.stream().mapToLong(Long::longValue).toArray();
    IndependentReference.Greedy ref = IndependentReference.greedy(phi, ids, GAMMA, budget);
    assertEquals(300L, ids[ref.picks()[0]]);
    assertEquals(101L, ids[ref.picks()[1]], "the reference breaks the tie by the smaller id");
    List<Pick> picks = r.picks();
    for (int t = 0; t < budget; t++) {
      assertEquals(ids[ref.picks()[t]], picks.get(t).id(), "pick " + (t + 1));
      assertEquals(ref.gains()[t], picks.get(t).gain(), 1e-12 * ref.gains()[t], "gain of pick " + (t + 1));
    }
  }
}
