package org.adpo.reference;

/**
 * Single-thread, single-machine exact greedy with the per-pick score downdate (O(N d) per pick):
 * the fastest sequential way to compute the same picks, used as the "one machine" row of the
 * benchmark. Scores and H^-1 in double, features as given (float32).
 */
public final class DenseDowndateGreedy {
  private DenseDowndateGreedy() {}

  /**
   * @param phi N x d row-major features
   * @param order tie-break keys (smaller wins)
   * @return picked row indices in order
   */
  public static int[] select(float[] phi, int count, int d, long[] order, double gamma, int n) {
    double[] scores = new double[count];
    for (int i = 0; i < count; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double x = phi[i * d + j];
        s += x * x;
      }
      scores[i] = s / gamma;
    }
    double[] a = new double[d * d];
    for (int j = 0; j < d; j++) {
      a[j * d + j] = 1 / gamma;
    }
    boolean[] taken = new boolean[count];
    int[] picks = new int[n];
    double[] u = new double[d];
    double[] v = new double[d];
    for (int t = 0; t < n; t++) {
      int best = -1;
      for (int i = 0; i < count; i++) {
        if (!taken[i] && (best < 0 || scores[i] > scores[best]
            || (scores[i] == scores[best] && order[i] < order[best]))) {
          best = i;
        }
      }
      picks[t] = best;
      taken[best] = true;
      for (int j = 0; j < d; j++) {
        v[j] = phi[best * d + j];
      }
      double q = 0;
      for (int r = 0; r < d; r++) {
        double acc = 0;
        for (int c = 0; c < d; c++) {
          acc += a[r * d + c] * v[c];
        }
        u[r] = acc;
        q += v[r] * acc;
      }
      double f = 1 / Math.sqrt(1 + q);
      for (int r = 0; r < d; r++) {
        u[r] *= f;
      }
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          a[r * d + c] -= u[r] * u[c];
        }
      }
      for (int i = 0; i < count; i++) {
        if (!taken[i]) {
          double dot = 0;
          int off = i * d;
          for (int j = 0; j < d; j++) {
            dot += phi[off + j] * u[j];
          }
          scores[i] = Math.max(0, scores[i] - dot * dot);
        }
      }
    }
    return picks;
  }
}
