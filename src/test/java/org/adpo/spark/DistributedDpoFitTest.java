package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.model.FitResult;
import org.adpo.model.Lbfgs;
import org.adpo.model.NewtonFit;
import org.adpo.model.PenalizedDpoLoss;
import org.adpo.model.SimulatedDpoData;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(SparkSessionExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedDpoFitTest {
  private static final int N = 5000;
  private static final int D = 8;
  private static final double BETA = 2.0;
  private static final double LAMBDA = 1.0;

  private JavaSparkContext sc;
  private SimulatedDpoData data;
  private FitResult newton;
  private final List<JavaRDD<LabelledBlock>> cached = new ArrayList<>();

  @BeforeAll
  void setUp(SparkSession spark) {
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    data = SimulatedDpoData.generate(99L, N, D, 2.0, 0.25, 0.5, BETA);
    newton = NewtonFit.fit(data.phi, data.b, data.s, BETA, LAMBDA, 50, 1e-13);
    assertTrue(newton.converged());
  }

  @AfterAll
  void tearDown() {
    cached.forEach(JavaRDD::unpersist);
  }

  /** Rows cut into blocks of {@code blockRows} (the last one shorter), spread over the partitions. */
  static List<LabelledBlock> blocks(double[][] phi, double[] b, double[] s, int blockRows) {
    int d = phi[0].length;
    List<LabelledBlock> out = new ArrayList<>();
    for (int start = 0; start < phi.length; start += blockRows) {
      int rows = Math.min(blockRows, phi.length - start);
      double[] flat = new double[rows * d];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(phi[start + i], 0, flat, i * d, d);
      }
      out.add(new LabelledBlock(rows, d, flat,
          Arrays.copyOfRange(b, start, start + rows), Arrays.copyOfRange(s, start, start + rows)));
    }
    return out;
  }

  private JavaRDD<LabelledBlock> rdd(int partitions) {
    JavaRDD<LabelledBlock> r = sc.parallelize(blocks(data.phi, data.b, data.s, 700), partitions).cache();
    cached.add(r);
    return r;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void matchesTheDenseNewtonFit(int partitions) {
    FitResult r = DistributedDpoFit.fit(rdd(partitions), D, BETA, LAMBDA, 200, 1e-10);
    assertTrue(r.converged(), r.toString());
    double[] a = r.theta();
    double[] b = newton.theta();
    double scale = Arrays.stream(b).map(Math::abs).max().orElseThrow();
    for (int j = 0; j < D; j++) {
      assertEquals(b[j], a[j], 1e-6 * scale, "coordinate " + j);
    }
    // The reported loss and gradient norm are those of the penalised objective at theta.
    double[] g = new double[D];
    double f = PenalizedDpoLoss.of(data.phi, data.b, data.s, BETA, LAMBDA).valueAndGradient(a, g);
    assertEquals(f, r.loss(), 1e-10 * f);
    assertEquals(Math.sqrt(Arrays.stream(g).map(x -> x * x).sum()), r.gradientNorm(), 1e-9 * f);
  }

  /**
   * Ill-conditioned features (columns scaled from 0.03 to 100): 50 L-BFGS iterations do not converge, so the fit of
   * a large labelled set goes on with Newton steps from there and reaches the dense Newton fit's optimum.
   */
  @Test
  void aSlowLbfgsFitIsFinishedByNewtonSteps() {
    double[] scales = {1, 100, 0.03, 30, 3, 0.1, 10, 1};
    double[][] phi = new double[N][D];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < D; j++) {
        phi[i][j] = data.phi[i][j] * scales[j];
      }
    }
    JavaRDD<LabelledBlock> r = sc.parallelize(blocks(phi, data.b, data.s, 700), 3).cache();
    cached.add(r);
    double tol = 1e-12;
    FitResult lbfgs = DistributedDpoFit.fit(r, D, BETA, LAMBDA, DistributedDpoFit.LBFGS_BEFORE_NEWTON, tol);
    assertTrue(!lbfgs.converged(), "50 L-BFGS iterations are not enough here: " + lbfgs);
    FitResult fit = DistributedDpoFit.lbfgsThenNewton(r, D, BETA, LAMBDA, 300, tol);
    assertTrue(fit.converged(), fit.toString());
    assertTrue(fit.iterations() > DistributedDpoFit.LBFGS_BEFORE_NEWTON, fit.toString());
    assertEquals(fit.iterations() + 2, fit.trace().size(), "both optimisers' paths, each with its start");
    FitResult dense = NewtonFit.fit(phi, data.b, data.s, BETA, LAMBDA, 100, tol);
    assertTrue(dense.converged());
    for (int j = 0; j < D; j++) {
      assertEquals(dense.theta()[j], fit.theta()[j], 1e-7 * (1 + Math.abs(dense.theta()[j])), "coordinate " + j);
    }
    // The same bits again: Newton's Hessian partials are added in partition order.
    assertTrue(Arrays.equals(fit.theta(), DistributedDpoFit.lbfgsThenNewton(r, D, BETA, LAMBDA, 300, tol).theta()));
  }

  @Test
  void warmStartAtTheOptimumNeedsOneEvaluation() {
    Lbfgs lbfgs = new Lbfgs().withGradientTolerance(1e-9);
    FitResult r = DistributedDpoFit.fit(rdd(2), D, BETA, LAMBDA, lbfgs, newton.theta());
    assertTrue(r.converged());
    assertEquals(0, r.iterations());
    assertEquals(1, r.evaluations());
  }

  @Test
  void eachEvaluationIsAJobNamedAfterIt() throws InterruptedException {
    List<String> descriptions = java.util.Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart jobStart) {
        java.util.Properties p = jobStart.properties();
        descriptions.add(p == null ? null : p.getProperty("spark.job.description"));
      }
    };
    JavaRDD<LabelledBlock> data = rdd(2);
    data.count(); // materialise the cache outside the observed window
    sc.sc().addSparkListener(listener);
    try {
      FitResult r = DistributedDpoFit.fit(data, D, BETA, LAMBDA, new Lbfgs().withMaxIterations(2), new double[D]);
      // The listener bus is asynchronous: wait (bounded) until every job has been reported.
      for (int k = 0; k < 200 && descriptions.size() < r.evaluations(); k++) {
        Thread.sleep(50);
      }
      List<String> expected = new ArrayList<>();
      for (int e = 1; e <= r.evaluations(); e++) {
        expected.add("theta fit: evaluation " + e);
      }
      assertEquals(expected, new ArrayList<>(descriptions));
    } finally {
      sc.sc().removeSparkListener(listener);
    }
  }

  @Test
  void fisherHessianEqualsTheDenseSum() {
    double[] theta = newton.theta();
    double[] h = DistributedDpoFit.fisherHessian(rdd(3), D, BETA, theta);
    double[][] dense = new double[D][D];
    for (int i = 0; i < N; i++) {
      double z = 0;
      for (int j = 0; j < D; j++) {
        z += data.phi[i][j] * theta[j];
      }
      double mu = 1 / (1 + Math.exp(-BETA * (z - data.b[i])));
      for (int p = 0; p < D; p++) {
        for (int q = 0; q < D; q++) {
          dense[p][q] += BETA * BETA * mu * (1 - mu) * data.phi[i][p] * data.phi[i][q];
        }
      }
    }
    double scale = 0;
    for (double[] row : dense) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    assertTrue(scale > 10);
    for (int p = 0; p < D; p++) {
      for (int q = 0; q < D; q++) {
        assertEquals(dense[p][q], h[p * D + q], 1e-9 * scale, "H[" + p + "][" + q + "]");
      }
    }
  }

  @Test
  void failuresPropagateAndTheCallersJobDescriptionIsRestored() {
    JavaRDD<LabelledBlock> wrongD = sc.parallelize(blocks(data.phi, data.b, data.s, 1000), 2);
    sc.setJobDescription("outer job");
    try {
      Exception e = assertThrows(Exception.class, () -> DistributedDpoFit.fit(wrongD, D + 1, BETA, LAMBDA, 10, 1e-9));
      assertTrue(String.valueOf(e.getMessage()).contains("fit expects d = " + (D + 1)), e.getMessage());
      assertEquals("outer job", sc.getLocalProperty("spark.job.description"));
    } finally {
      sc.setLocalProperty("spark.job.description", null);
    }
  }

  private static final int BIG_D = 8192;
  private static final int BIG_BLOCKS = 6;
  private static final int BIG_BLOCK_ROWS = 50;

  /** Block k of the d = 8192 data set, generated from seeds alone (so executors build it themselves). */
  static SimulatedDpoData bigBlock(int k) {
    double[] theta = SimulatedDpoData.randomTheta(new java.util.SplittableRandom(5L), BIG_D, 20.0);
    // ||phi_i|| ~ 3 and ||theta_true|| = 20: logits of order 1.
    return SimulatedDpoData.generateRows(
        new java.util.SplittableRandom(1000L + k), BIG_BLOCK_ROWS, theta, 3.0 / Math.sqrt(BIG_D), 0.3, 1.0);
  }

  @Test
  void highDimensionalFitConverges() {
    // N = 300 rows, d = 8192; tasks carry only block numbers, not the 20 MB of features.
    List<Integer> ids = new ArrayList<>();
    for (int k = 0; k < BIG_BLOCKS; k++) {
      ids.add(k);
    }
    JavaRDD<LabelledBlock> r = sc.parallelize(ids, 2).map(k -> {
      SimulatedDpoData blk = bigBlock(k);
      return blocks(blk.phi, blk.b, blk.s, BIG_BLOCK_ROWS).get(0);
    }).cache();
    cached.add(r);
    FitResult fit = DistributedDpoFit.fit(r, BIG_D, 1.0, 1.0, 300, 1e-9);
    assertTrue(fit.converged(), fit.toString());
    assertTrue(fit.gradientNorm() <= 1e-9 * Math.max(1, fit.loss()));

    // Independent check on the driver: the penalised gradient vanishes at the returned theta.
    double[][] phi = new double[BIG_BLOCKS * BIG_BLOCK_ROWS][];
    double[] b = new double[phi.length];
    double[] s = new double[phi.length];
    for (int k = 0; k < BIG_BLOCKS; k++) {
      SimulatedDpoData blk = bigBlock(k);
      for (int i = 0; i < BIG_BLOCK_ROWS; i++) {
        phi[k * BIG_BLOCK_ROWS + i] = blk.phi[i];
        b[k * BIG_BLOCK_ROWS + i] = blk.b[i];
        s[k * BIG_BLOCK_ROWS + i] = blk.s[i];
      }
    }
    double[] g = new double[BIG_D];
    double f = PenalizedDpoLoss.of(phi, b, s, 1.0, 1.0).valueAndGradient(fit.theta(), g);
    double norm = Math.sqrt(Arrays.stream(g).map(x -> x * x).sum());
    assertTrue(norm < 1e-6, "local gradient norm " + norm);
    assertEquals(f, fit.loss(), 1e-10 * f);
    // The optimum is a non-trivial point (the labels pull theta away from 0).
    double thetaNorm = Math.sqrt(Arrays.stream(fit.theta()).map(x -> x * x).sum());
    assertTrue(thetaNorm > 0.5, "theta norm " + thetaNorm);
  }
}
