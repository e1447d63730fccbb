package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.adpo.data.PoolBlock;
import org.adpo.design.InverseDesign;
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
    assertArrayEquals(phi, CandidateWeights.apply(p, Algorithm.APO, beta, null, 0, null).phi);
  }
}
