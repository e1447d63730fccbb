package org.adpo.reference;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Single-machine greedy D-optimal selection written independently of the engine, as the reference
 * the distributed selection must equal pick for pick. It keeps H itself (no inverse, no
 * Sherman-Morrison) and scores every remaining candidate by a fresh Cholesky solve each step:
 * q_i = |L^-1 v_i|^2 with H = L L^T. O(n (d^3 + N d^2)): for small pools and benchmarks only.
 */
public final class DenseGreedy {
  private DenseGreedy() {}

  /** Picks in order: row indices and gains log(1 + q) at pick time. */
  public record Result(int[] picks, double[] gains, double logDet) {}

  /**
   * @param v design vectors v_i (already scaled), N x d
   * @param order tie-break keys: among equal scores the smallest key wins
   * @param gamma H_0 = gamma I
   * @param n number of picks (<= N)
   */
  public static Result select(double[][] v, long[] order, double gamma, int n) {
    int count = v.length;
    int d = v[0].length;
    DMatrixRMaj h = new DMatrixRMaj(d, d);
    for (int i = 0; i < d; i++) {
      h.set(i, i, gamma);
    }
    boolean[] taken = new boolean[count];
    int[] picks = new int[n];
    double[] gains = new double[n];
    double[] y = new double[d];
    for (int t = 0; t < n; t++) {
      DMatrixRMaj l = cholesky(h);
      int best = -1;
      double bestQ = -1;
      for (int i = 0; i < count; i++) {
        if (taken[i]) {
          continue;
        }
        // forward substitution L y = v_i
        double q = 0;
        for (int r = 0; r < d; r++) {
          double acc = v[i][r];
          for (int c = 0; c < r; c++) {
            acc -= l.get(r, c) * y[c];
          }
          y[r] = acc / l.get(r, r);
          q += y[r] * y[r];
        }
        if (best < 0 || q > bestQ || (q == bestQ && order[i] < order[best])) {
          best = i;
          bestQ = q;
        }
      }
      taken[best] = true;
      picks[t] = best;
      gains[t] = Math.log1p(bestQ);
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          h.add(r, c, v[best][r] * v[best][c]);
        }
      }
    }
    DMatrixRMaj l = cholesky(h);
    double logDet = 0;
    for (int i = 0; i < d; i++) {
      logDet += 2 * Math.log(l.get(i, i));
    }
    return new Result(picks, gains, logDet);
  }

  private static DMatrixRMaj cholesky(DMatrixRMaj h) {
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(h.numRows, true);
    if (!chol.decompose(h.copy())) {
      throw new IllegalStateException("H is not positive definite");
    }
    return chol.getT(null);
  }
}
