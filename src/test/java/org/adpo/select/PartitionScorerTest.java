package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.adpo.data.PoolBlock;
import org.adpo.design.InverseDesign;
import org.adpo.design.FeatureTiles;
import org.adpo.design.ScalarScoreKernel;
import org.adpo.design.ScoreKernel;
import org.adpo.design.ScoreKernels;
import org.junit.jupiter.api.Test;

/**
 * The executor-side pieces of a round on one block, without Spark: initial and exact scores, the
 * partition's top k with its bound, and the weights of each algorithm, each against a formula
 * written here from SPEC.md.
 */
class PartitionScorerTest {

  private static CandidateBlock block(long[] ords, float[][] rows, double[] scale) {
    int d = rows[0].length;
    float[] phi = new float[rows.length * d];
    double[] weight = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, phi, i * d, d);
      weight[i] = 1 + i;
    }
    return new CandidateBlock(rows.length, d, ords, null, phi, weight, scale);
  }

  @Test
  void initialAndExactScoresAreScaleSquaredPhiAPhi() {
    float[][] rows = {{1, 0, 2}, {0.5f, -1, 0}, {3, 3, 3}, {0, 0, 0}};
    double[] scale = {1, 2, 0.5, 1};
    CandidateBlock b = block(new long[] {4, 9, 2, 7}, rows, scale);
    double gamma = 0.5;
    double[] initial = PartitionScorer.initialScores(b, gamma);
    assertArrayEquals(new double[] {5 / gamma, 4 * 1.25 / gamma, 0.25 * 27 / gamma, 0}, initial, 1e-12);

    // A = H^-1 for H = gamma I + u u^T, u = (1, 1, 0): exact scores against phi^T A phi written out.
    InverseDesign design = new InverseDesign(3, gamma);
    design.add(new double[] {1, 1, 0}, 0, 1.0);
    double[] a = design.inverse();
    double[] exact = PartitionScorer.exactScores(b, a, new long[] {7});
    for (int i = 0; i < 3; i++) {
      double q = 0;
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          q += rows[i][r] * a[r * 3 + c] * rows[i][c];
        }
      }
      assertEquals(scale[i] * scale[i] * q, exact[i], 1e-12, "row " + i);
    }
    assertEquals(Double.NEGATIVE_INFINITY, exact[3], "picked rows score -Infinity");
    // Before any pick, exact and initial scores agree.
    assertArrayEquals(initial, PartitionScorer.exactScores(b, new InverseDesign(3, gamma).inverse(), new long[0]),
        1e-12);
  }

  @Test
  void topKeepsTheBestKByScoreThenOrdAndBoundsTheRest() {
    SplittableRandom rnd = new SplittableRandom(5);
    int n = 40;
    float[][] rows = new float[n][2];
    double[] scale = new double[n];
    long[] ords = new long[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      rows[i][0] = (float) rnd.nextGaussian();
      rows[i][1] = (float) rnd.nextGaussian();
      scale[i] = 1;
      ords[i] = 1000 - 7 * i;
      // Few distinct values: many ties, broken by the smaller ord; some rows already picked.
      scores[i] = i % 9 == 4 ? Double.NEGATIVE_INFINITY : rnd.nextInt(6) * 0.5;
    }
    CandidateBlock b = block(ords, rows, scale);
    for (int k : new int[] {1, 3, 10, 35, 36, 37, 50}) { // 36 rows are live
      PartitionTop top = PartitionScorer.top(b, scores, k);
      // Expected: sort the live rows by (score desc, ord asc).
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (scores[i] != Double.NEGATIVE_INFINITY) {
          live.add(i);
        }
      }
      live.sort((x, y) -> scores[x] != scores[y] ? Double.compare(scores[y], scores[x]) : Long.compare(ords[x],
          ords[y]));
      int returned = Math.min(k, live.size());
      assertEquals(returned, top.best().size(), "k = " + k);
      for (int j = 0; j < returned; j++) {
        int i = live.get(j);
        Candidate c = top.best().get(j);
        assertEquals(ords[i], c.ord, "k = " + k + ", place " + j);
        assertEquals(ords[i], c.id);
        assertEquals(scores[i], c.score());
        assertArrayEquals(new double[] {rows[i][0], rows[i][1]}, c.phi, 0.0);
        assertEquals(1.0 + i, c.weight);
      }
      double bound = live.size() > k ? scores[live.get(k)] : Double.NEGATIVE_INFINITY;
      assertEquals(bound, top.bound(), "k = " + k + ": the (k+1)-th score, or -Infinity when all were returned");
    }
  }

  @Test
  void candidateWeightsFollowEachAlgorithm() {
    int d = 3;
    float[] phi = {1, 0, 0, 0.5f, -0.25f, 2, 0, 0, 0};
    double[] b = {0.5, -1, 0};
    double[] w = {2, 0.5, 3};
    PoolBlock p = new PoolBlock(3, d, new long[] {1, 2, 3}, null, phi, b, new double[] {1, 0, 1}, w);
    double beta = 1.5;
    double[] theta = {0.3, -2, 1};
    double[] sigma = {2, 0.5, 0, 0.5, 1, 0, 0, 0, 3}; // symmetric positive definite, row-major
    for (double alpha : new double[] {0, 3}) {
      // As in a run: Sigma_hat exists only when alpha > 0.
      CandidateBlock c =
          CandidateWeights.apply(p, Algorithm.ADPO_PLUS, beta, theta, alpha, alpha > 0 ? sigma : null);
      for (int i = 0; i < 3; i++) {
        double dot = 0;
        double quad = 0;
        for (int j = 0; j < d; j++) {
          dot += phi[i * d + j] * theta[j];
          for (int k = 0; k < d; k++) {
            quad += phi[i * d + j] * sigma[j * d + k] * phi[i * d + k];
          }
        }
        double z = Math.abs(beta * (dot - b[i]));
        z = Math.max(z - alpha * Math.sqrt(quad), 0);
        double mu = 1 / (1 + Math.exp(-z));
        assertEquals(mu * (1 - mu), c.weight[i], 1e-14, "adpo-plus alpha " + alpha + " row " + i);
        assertEquals(beta * Math.sqrt(mu * (1 - mu)), c.scale[i], 1e-14);
      }
    }
    CandidateBlock dopt = CandidateWeights.apply(p, Algorithm.DOPT, beta, null, 0, null);
    assertArrayEquals(w, dopt.weight, 0.0);
    assertArrayEquals(new double[] {Math.sqrt(2), Math.sqrt(0.5), Math.sqrt(3)}, dopt.scale, 1e-15);
    for (Algorithm a : new Algorithm[] {Algorithm.APO, Algorithm.UNIFORM, Algorithm.PMC}) {
      CandidateBlock u = CandidateWeights.apply(p, a, beta, null, 0, null);
      assertArrayEquals(new double[] {1, 1, 1}, u.weight, 0.0, a.cliName());
      assertArrayEquals(new double[] {1, 1, 1}, u.scale, 0.0, a.cliName());
    }
    assertArrayEquals(phi, CandidateWeights.apply(p, Algorithm.APO, beta, null, 0, null).rowMajor());
  }
  @Test
  void smallestKeysIsTheKUnpickedRowsOfSmallestUnsignedKeyInKeyOrder() {
    int n = 60;
    long[] ords = new long[n];
    float[][] rows = new float[n][2];
    double[] scale = new double[n];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ords[i] = 5 * i + 3;
      rows[i][0] = i;
      rows[i][1] = -i;
      scale[i] = 0.5 + i;
      ids[i] = "id-" + i;
    }
    CandidateBlock plain = block(ords, rows, scale);
    CandidateBlock b = new CandidateBlock(n, 2, ords, ids, plain.rowMajor(), plain.weight, scale);
    long[] picked = {ords[0], ords[17], ords[41]};
    for (long step : new long[] {0, 3}) {
      // Brute force: all unpicked rows sorted by unsigned key.
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (i != 0 && i != 17 && i != 41) {
          live.add(i);
        }
      }
      long seed = 77;
      live.sort((x, y) -> Long.compareUnsigned(SeededHash.key(seed, step, ords[x]), SeededHash.key(seed, step, ords[y])));
      for (int k : new int[] {1, 2, 10, 56, 57, 80}) {
        List<PartitionScorer.Keyed> got = PartitionScorer.smallestKeys(b, seed, step, picked, k);
        int expected = Math.min(k, live.size());
        assertEquals(expected, got.size(), "k = " + k);
        for (int j = 0; j < expected; j++) {
          int i = live.get(j);
          PartitionScorer.Keyed e = got.get(j);
          assertEquals(SeededHash.key(seed, step, ords[i]), e.key(), "step " + step + ", k = " + k + ", place " + j);
          assertEquals(ords[i], e.candidate().ord);
          assertEquals("id-" + i, e.candidate().id);
          assertArrayEquals(new double[] {i, -i}, e.candidate().phi, 0.0);
          assertEquals(0.5 + i, e.candidate().scale, 0.0);
          assertEquals(1.0 + i, e.candidate().weight, 0.0);
          assertEquals(0.0, e.candidate().score(), 0.0);
        }
      }
    }
  }

  @Test
  void byKeyOrdersByUnsignedKeyThenOrd() {
    Candidate c1 = new Candidate(1, 1L, new double[0], 1, 1, 0);
    Candidate c2 = new Candidate(2, 2L, new double[0], 1, 1, 0);
    // -1 is the largest unsigned key.
    assertTrue(PartitionScorer.byKey(new PartitionScorer.Keyed(-1L, c1), new PartitionScorer.Keyed(5L, c2)) > 0);
    assertTrue(PartitionScorer.byKey(new PartitionScorer.Keyed(5L, c2), new PartitionScorer.Keyed(-1L, c1)) < 0);
    assertTrue(PartitionScorer.byKey(new PartitionScorer.Keyed(9L, c2), new PartitionScorer.Keyed(9L, c1)) > 0);
    assertTrue(PartitionScorer.byKey(new PartitionScorer.Keyed(9L, c1), new PartitionScorer.Keyed(9L, c2)) < 0);
    assertEquals(0, PartitionScorer.byKey(new PartitionScorer.Keyed(9L, c1), new PartitionScorer.Keyed(9L, c1)));
  }

  @Test
  void downdateLowersEachScoreByTheShrunkSquaredDots() {
    // d = 3: a tiled block; the same three features followed by zeros: a row-major block.
    downdateLowersEachScoreByTheShrunkSquaredDots(3, new ScalarScoreKernel());
    downdateLowersEachScoreByTheShrunkSquaredDots(3, ScoreKernels.best());
    downdateLowersEachScoreByTheShrunkSquaredDots(FeatureTiles.MAX_D + 1, new ScalarScoreKernel());
    downdateLowersEachScoreByTheShrunkSquaredDots(FeatureTiles.MAX_D + 1, ScoreKernels.best());
  }

  private void downdateLowersEachScoreByTheShrunkSquaredDots(int d, ScoreKernel kernel) {
    // Small integer features and pick vectors: every float dot is exact, so the expected stored score
    // s - scale^2 sum_k (|phi . t_k| - |phi| err_k)_+^2, clamped at 0, is computed here in double.
    SplittableRandom rnd = new SplittableRandom(9);
    int n = 3000; // more rows than one chunk of 4096 / batch dots
    int batch = 3;
    float[][] rows = new float[n][d];
    double[] scale = new double[n];
    long[] ords = new long[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        rows[i][j] = rnd.nextInt(-3, 4);
      }
      scale[i] = 0.5 * rnd.nextInt(1, 4);
      ords[i] = 2L * i;
      scores[i] = i % 50 == 7 ? Double.NEGATIVE_INFINITY : rnd.nextInt(0, 400);
    }
    CandidateBlock b = block(ords, rows, scale);
    assertEquals(FeatureTiles.tiled(d), b.tiled);
    float[] t = new float[batch * d];
    for (int j = 0; j < t.length; j++) {
      t[j] = rnd.nextInt(-2, 3);
    }
    double[] err = {0.25, 0.0, 0.5};
    long[] newly = {ords[2], ords[11], ords[2999]};
    double[] expected = scores.clone();
    for (int i = 0; i < n; i++) {
      if (scores[i] == Double.NEGATIVE_INFINITY) {
        continue;
      }
      if (i == 2 || i == 11 || i == 2999) {
        expected[i] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double norm = Math.sqrt(rows[i][0] * rows[i][0] + rows[i][1] * rows[i][1] + rows[i][2] * rows[i][2]);
      double s = scores[i];
      for (int k = 0; k < batch; k++) {
        double dot = rows[i][0] * t[k * d] + rows[i][1] * t[k * d + 1] + rows[i][2] * t[k * d + 2];
        double lower = Math.max(0, Math.abs(dot) - norm * err[k]);
        s -= scale[i] * scale[i] * lower * lower;
      }
      expected[i] = Math.max(0, s);
    }
    double[] got = scores.clone();
    PartitionScorer.downdate(b, got, kernel, t, batch, err, newly);
    int clamped = 0;
    int untouched = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(expected[i], got[i], 1e-9, kernel.name() + " d = " + d + " row " + i);
      clamped += expected[i] == 0 && scores[i] > 0 ? 1 : 0;
      untouched += expected[i] == scores[i] ? 1 : 0;
    }
    assertTrue(clamped > 0 && untouched > 0, "the pool has clamped rows and rows no pick lowered");
    // One row at a time (chunks of one row) gives the same.
    CandidateBlock one = block(new long[] {ords[5]}, new float[][] {rows[5]}, new double[] {scale[5]});
    double[] single = {scores[5]};
    PartitionScorer.downdate(one, single, kernel, t, batch, err, new long[0]);
    assertEquals(expected[5], single[0], 1e-9);
  }

  @Test
  void tiledDowndatesAreTheSameBitsOverAnyRowRangesAndInEveryKernel() {
    // Random float features (dots are rounded): the stored scores of one call over the block, of calls
    // over ranges that cut tiles, and of the scalar kernel are the same doubles.
    SplittableRandom rnd = new SplittableRandom(11);
    int d = 40;
    int n = 1000;
    int batch = 6;
    float[][] rows = new float[n][d];
    double[] scale = new double[n];
    long[] ords = new long[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        rows[i][j] = (float) rnd.nextGaussian();
      }
      scale[i] = 0.5 + rnd.nextDouble();
      ords[i] = i;
      scores[i] = 100 + rnd.nextDouble();
    }
    CandidateBlock b = block(ords, rows, scale);
    assertTrue(b.tiled);
    float[] t = new float[batch * d];
    for (int j = 0; j < t.length; j++) {
      t[j] = (float) (0.3 * rnd.nextGaussian());
    }
    double[] err = new double[batch];
    java.util.Arrays.fill(err, 1e-6);
    long[] newly = {7, 500};
    double[] whole = scores.clone();
    PartitionScorer.downdate(b, whole, ScoreKernels.best(), t, batch, err, newly);
    double[] scalar = scores.clone();
    PartitionScorer.downdate(b, scalar, new ScalarScoreKernel(), t, batch, err, newly);
    double[] pieces = scores.clone();
    int[] cuts = {0, 5, 16, 17, 300, 301, 999, 1000};
    for (int c = 0; c + 1 < cuts.length; c++) {
      PartitionScorer.downdate(b, pieces, cuts[c], cuts[c + 1], ScoreKernels.best(), t, batch, err, newly);
    }
    int lowered = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(Double.doubleToRawLongBits(whole[i]), Double.doubleToRawLongBits(scalar[i]), "scalar row " + i);
      assertEquals(Double.doubleToRawLongBits(whole[i]), Double.doubleToRawLongBits(pieces[i]), "ranges row " + i);
      lowered += whole[i] < scores[i] && whole[i] > Double.NEGATIVE_INFINITY ? 1 : 0;
    }
    assertEquals(Double.NEGATIVE_INFINITY, whole[7]);
    assertEquals(n - 2, lowered);
  }

  @Test
  void topAboveReturnsRowsAboveTheThresholdUpToTheCapAndSamplesTheNext() {
    double[] scores = {5, 1, Double.NEGATIVE_INFINITY, 3, 3, 0, 4, 2};
    long[] ords = {8, 7, 6, 5, 4, 3, 2, 1};
    float[][] rows = new float[8][1];
    double[] scale = new double[8];
    for (int i = 0; i < 8; i++) {
      rows[i][0] = i;
      scale[i] = 1;
    }
    CandidateBlock b = block(ords, rows, scale);
    // Order by (score desc, ord asc): rows 0 (5), 6 (4), 4 (3, ord 4), 3 (3, ord 5), 7 (2), 1 (1), 5 (0).
    PartitionTop t1 = PartitionScorer.topAbove(b, scores, 2.5, 10, 2, 3);
    assertEquals(List.of(8L, 2L, 4L, 5L), t1.best().stream().map(c -> c.ord).toList());
    assertEquals(2.0, t1.bound(), 0.0);
    assertArrayEquals(new double[] {2, 1}, t1.next(), 0.0);
    assertEquals(3, t1.partition());
    // Threshold exactly at a score: only strictly greater rows are returned.
    PartitionTop t2 = PartitionScorer.topAbove(b, scores, 3.0, 10, 1, 0);
    assertEquals(List.of(8L, 2L), t2.best().stream().map(c -> c.ord).toList());
    assertEquals(3.0, t2.bound(), 0.0);
    assertArrayEquals(new double[] {3}, t2.next(), 0.0);
    // The cap cuts before the threshold does.
    PartitionTop t3 = PartitionScorer.topAbove(b, scores, Double.NEGATIVE_INFINITY, 3, 4, 0);
    assertEquals(List.of(8L, 2L, 4L), t3.best().stream().map(c -> c.ord).toList());
    assertEquals(3.0, t3.bound(), 0.0);
    assertArrayEquals(new double[] {3, 2, 1, 0}, t3.next(), 0.0);
    // Everything returned: no bound, no sample.
    PartitionTop t4 = PartitionScorer.topAbove(b, scores, Double.NEGATIVE_INFINITY, 20, 3, 0);
    assertEquals(7, t4.best().size());
    assertEquals(Double.NEGATIVE_INFINITY, t4.bound());
    assertEquals(0, t4.next().length);
  }

  @Test
  void aCandidateBlockChecksItsArraysAndKeepsRowNorms() {
    CandidateBlock b = block(new long[] {1, 2}, new float[][] {{3, 4}, {0, -2}}, new double[] {1, 1});
    assertArrayEquals(new double[] {5, 2}, b.norm, 0.0);
    assertEquals(1L, b.candidate(0, 0).id);
    assertArrayEquals(new double[] {0, -2}, b.candidate(1, 7).phi, 0.0);
    assertEquals(7.0, b.candidate(1, 7).score(), 0.0);
    float[] phi = {1, 2, 3, 4};
    assertThrows(IllegalArgumentException.class,
        () -> new CandidateBlock(2, 2, new long[] {1}, null, phi, new double[2], new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new CandidateBlock(2, 2, new long[] {1, 2}, new String[] {"a"}, phi, new double[2], new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new CandidateBlock(2, 3, new long[] {1, 2}, null, phi, new double[2], new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new CandidateBlock(2, 2, new long[] {1, 2}, null, phi, new double[1], new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new CandidateBlock(2, 2, new long[] {1, 2}, null, phi, new double[2], new double[3]));
  }
  @Test
  void exactScoresUnderTheBroadcastVectorsEqualTheDenseFormula() {
    SplittableRandom rnd = new SplittableRandom(21);
    int d = 4;
    int n = 9;
    float[][] rows = new float[n][d];
    double[] scale = new double[n];
    long[] ords = new long[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        rows[i][j] = (float) rnd.nextGaussian();
      }
      scale[i] = 0.5 + rnd.nextDouble();
      ords[i] = 10 + i;
    }
    CandidateBlock b = block(ords, rows, scale);
    InverseDesign design = new InverseDesign(d, 0.8);
    for (int k = 0; k < 6; k++) { // more picks than one block of four, and past the anchor at d = 4 picks
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = rnd.nextGaussian();
      }
      design.add(v, 0, 1.0);
    }
    double[] a = design.inverse();
    double[] got = PartitionScorer.exactScores(b, design.vectors(), new long[] {12, 17});
    for (int i = 0; i < n; i++) {
      if (ords[i] == 12 || ords[i] == 17) {
        assertEquals(Double.NEGATIVE_INFINITY, got[i], "picked");
        continue;
      }
      double q = 0;
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          q += rows[i][r] * a[r * d + c] * rows[i][c];
        }
      }
      assertEquals(scale[i] * scale[i] * q, got[i], 1e-12, "row " + i);
    }
  }

  @Test
  void topOfManyDistinctScoresIsTheSortedPrefix() {
    SplittableRandom rnd = new SplittableRandom(33);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rnd.nextInt(300);
      float[][] rows = new float[n][1];
      double[] scale = new double[n];
      long[] ords = new long[n];
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        scale[i] = 1;
        ords[i] = rnd.nextLong(1_000_000);
        scores[i] = rnd.nextInt(10) == 0 ? Double.NEGATIVE_INFINITY : rnd.nextDouble() * (1 + rnd.nextInt(3));
      }
      CandidateBlock b = block(ords, rows, scale);
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (scores[i] != Double.NEGATIVE_INFINITY) {
          live.add(i);
        }
      }
      live.sort((x, y) -> scores[x] != scores[y] ? Double.compare(scores[y], scores[x]) : Long.compare(ords[x],
          ords[y]));
      int k = rnd.nextInt(n + 2);
      PartitionTop top = PartitionScorer.top(b, scores, k);
      int returned = Math.min(k, live.size());
      assertEquals(returned, top.best().size());
      for (int j = 0; j < returned; j++) {
        assertEquals(ords[live.get(j)], top.best().get(j).ord, "trial " + trial + ", n " + n + ", k " + k + ", place " + j);
      }
      assertEquals(live.size() > k ? scores[live.get(k)] : Double.NEGATIVE_INFINITY, top.bound());
    }
  }
}
