package org.adpo.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.adpo.select.CandidateBlock;
import org.adpo.select.PartitionScorer;
import org.adpo.select.PickBatch;
import org.junit.jupiter.api.Test;

/** The float32 kernels against double arithmetic, and the conservative downdate against exact scores. */
class ScoreKernelTest {

  static float[] randomFloats(SplittableRandom r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * scale);
    }
    return a;
  }

  @Test
  void theSimdKernelIsAvailableInTestsAndAgreesWithScalar() {
    assertTrue(ScoreKernels.best().name().startsWith("vector-api"),
        "tests run with --add-modules jdk.incubator.vector, got " + ScoreKernels.best().name());
    SplittableRandom r = new SplittableRandom(1);
    for (int d : new int[] {1, 3, 8, 17, 64, 255}) {
      int rows = 37;
      int batch = 7;
      float[] phi = randomFloats(r, rows * d, 1);
      float[] t = randomFloats(r, batch * d, 1);
      float[] a = new float[rows * batch];
      float[] b = new float[rows * batch];
      new ScalarScoreKernel().dots(phi, 0, rows, d, t, batch, a);
      ScoreKernels.best().dots(phi, 0, rows, d, t, batch, b);
      for (int i = 0; i < rows; i++) {
        for (int k = 0; k < batch; k++) {
          double exact = 0;
          double np = 0;
          double nt = 0;
          for (int j = 0; j < d; j++) {
            exact += (double) phi[i * d + j] * t[k * d + j];
            np += (double) phi[i * d + j] * phi[i * d + j];
            nt += (double) t[k * d + j] * t[k * d + j];
          }
          double norms = Math.sqrt(np * nt);
          assertTrue(Math.abs(a[i * batch + k] - exact) <= new ScalarScoreKernel().errorBound(d) * norms,
              "scalar d=" + d);
          assertTrue(Math.abs(b[i * batch + k] - exact) <= ScoreKernels.best().errorBound(d) * norms,
              "simd d=" + d);
        }
      }
    }
  }

  @Test
  void downdatedScoresStayUpperBoundsAndStayClose() {
    SplittableRandom r = new SplittableRandom(2);
    int d = 48;
    int rows = 300;
    float[] phi = randomFloats(r, rows * d, 1 / Math.sqrt(d));
    long[] ords = new long[rows];
    double[] w = new double[rows];
    double[] scale = new double[rows];
    for (int i = 0; i < rows; i++) {
      ords[i] = i;
      w[i] = 0.1 + r.nextDouble();
      scale[i] = Math.sqrt(w[i]);
    }
    CandidateBlock block = new CandidateBlock(rows, d, ords, null, phi, w, scale);
    InverseDesign design = new InverseDesign(d, 0.7);
    double[] stored = PartitionScorer.initialScores(block, 0.7);
    List<double[]> ts = new ArrayList<>();
    List<Long> picked = new ArrayList<>();
    for (int step = 0; step < 60; step++) {
      int pick = step * 5;
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = phi[pick * d + j];
      }
      ts.add(design.add(v, 0, scale[pick]));
      picked.add((long) pick);
      if (ts.size() == 6) {
        PickBatch batch = new PickBatch(ts, picked, d);
        PartitionScorer.downdate(block, stored, ScoreKernels.best(), batch.t, batch.size,
            batch.errors(ScoreKernels.best(), d), batch.ords);
        ts.clear();
        picked.clear();
        double[] exact = PartitionScorer.exactScores(block, design.inverse(), new long[0]);
        for (int i = 0; i < rows; i++) {
          if (i % 5 == 0 && i <= pick) {
            assertEquals(Double.NEGATIVE_INFINITY, stored[i], "picked rows leave the pool");
            continue;
          }
          assertTrue(stored[i] >= exact[i] * (1 - 1e-12), "upper bound at row " + i);
          assertTrue(stored[i] <= exact[i] * (1 + 1e-3) + 1e-9, "close to exact at row " + i
              + ": " + stored[i] + " vs " + exact[i]);
        }
      }
    }
  }
}
