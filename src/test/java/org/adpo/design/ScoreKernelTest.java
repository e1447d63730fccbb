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

  /**
   * Row i's dot with t_k as the tiled contract defines it: per block of 16 features p = fma(phi_j, t_kj, p)
   * over j in order from +0, and s = s + p over the blocks in order from +0.
   */
  private static float contractDot(float[] phi, int i, float[] t, int k, int d) {
    float s = 0f;
    for (int j0 = 0; j0 < d; j0 += 16) {
      float p = 0f;
      for (int j = j0; j < Math.min(d, j0 + 16); j++) {
        p = Math.fma(phi[i * d + j], t[k * d + j], p);
      }
      s += p;
    }
    return s;
  }

  @Test
  void tiledDotsAreTheContractsBitsInEveryKernelAndWithinTheChainBound() {
    SplittableRandom r = new SplittableRandom(3);
    ScoreKernel vector = ScoreKernels.best();
    assertTrue(vector.name().startsWith("vector-api"), vector.name());
    ScoreKernel scalar = new ScalarScoreKernel();
    ScoreKernel unfused = new ScalarScoreKernel(false);
    int tile = FeatureTiles.TILE;
    for (int d : new int[] {1, 3, 16, 17, 64, 130}) {
      for (int rows : new int[] {1, 15, 16, 37, 70}) {
        for (int batch : new int[] {1, 2, 3, 4, 5, 7, 9}) {
          float[] phi = randomFloats(r, rows * d, 1);
          float[] t = randomFloats(r, batch * d, 1);
          float[] tiles = FeatureTiles.of(phi, rows, d);
          int count = FeatureTiles.tiles(rows);
          // From the second tile on when there is one (an offset into the array), else all.
          int first = count > 1 ? 1 : 0;
          int n = count - first;
          float[] a = new float[n * batch * tile];
          float[] b = new float[a.length];
          float[] c = new float[a.length];
          vector.tiledDots(tiles, first, n, d, t, batch, a);
          scalar.tiledDots(tiles, first, n, d, t, batch, b);
          unfused.tiledDots(tiles, first, n, d, t, batch, c);
          String at = " d=" + d + " rows=" + rows + " batch=" + batch;
          for (int q = 0; q < n; q++) {
            for (int k = 0; k < batch; k++) {
              for (int lane = 0; lane < tile; lane++) {
                int i = (first + q) * tile + lane;
                int o = (q * batch + k) * tile + lane;
                if (i >= rows) {
                  assertEquals(0f, a[o], 0f, "padding" + at);
                  continue;
                }
                float want = contractDot(phi, i, t, k, d);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(a[o]), "vector" + at);
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(b[o]), "scalar" + at);
                double exact = 0;
                double np = 0;
                double nt = 0;
                for (int j = 0; j < d; j++) {
                  exact += (double) phi[i * d + j] * t[k * d + j];
                  np += (double) phi[i * d + j] * phi[i * d + j];
                  nt += (double) t[k * d + j] * t[k * d + j];
                }
                double bound = ScoreKernel.tiledChainErrorBound(d) * Math.sqrt(np * nt);
                assertTrue(Math.abs(a[o] - exact) <= bound, "fused error" + at);
                assertTrue(Math.abs(c[o] - exact) <= unfused.tiledErrorBound(d) * Math.sqrt(np * nt),
                    "unfused error" + at);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void tilesHoldEveryRowAndPadTheLastTileWithZeros() {
    SplittableRandom r = new SplittableRandom(5);
    for (int d : new int[] {1, 5, 64}) {
      for (int rows : new int[] {0, 1, 16, 17, 40}) {
        float[] phi = randomFloats(r, rows * d, 1);
        float[] tiles = FeatureTiles.of(phi, rows, d);
        assertEquals(FeatureTiles.tiles(rows) * FeatureTiles.TILE * d, tiles.length);
        float[] row = new float[d + 2];
        for (int i = 0; i < rows; i++) {
          FeatureTiles.row(tiles, i, d, row, 2);
          for (int j = 0; j < d; j++) {
            assertEquals(phi[i * d + j], row[2 + j], 0f);
            assertEquals(phi[i * d + j], tiles[FeatureTiles.index(i, j, d)], 0f);
          }
        }
        for (int i = rows; i < FeatureTiles.tiles(rows) * FeatureTiles.TILE; i++) {
          for (int j = 0; j < d; j++) {
            assertEquals(0f, tiles[FeatureTiles.index(i, j, d)], 0f, "padding");
          }
        }
      }
    }
    assertTrue(FeatureTiles.tiled(FeatureTiles.MAX_D) && !FeatureTiles.tiled(FeatureTiles.MAX_D + 1));
  }

  @Test
  void downdatedScoresStayUpperBoundsAndStayClose() {
    // d = 48 is stored tiled, d = 520 row-major: both kernels' paths.
    downdatedScoresStayUpperBoundsAndStayClose(48);
    downdatedScoresStayUpperBoundsAndStayClose(FeatureTiles.MAX_D + 8);
  }

  private void downdatedScoresStayUpperBoundsAndStayClose(int d) {
    SplittableRandom r = new SplittableRandom(2);
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
    assertEquals(FeatureTiles.tiled(d), block.tiled);
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
          assertTrue(stored[i] >= exact[i] * (1 - 1e-12), "upper bound at row " + i + ", d = " + d);
          assertTrue(stored[i] <= exact[i] * (1 + 1e-3) + 1e-9, "close to exact at row " + i
              + ": " + stored[i] + " vs " + exact[i]);
        }
      }
    }
  }
}
