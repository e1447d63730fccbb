package org.adpo.model;

/**
 * The unpenalised DPO loss of docs/method.md on a block of rows, with its gradient and Hessian in theta.
 * Pure array code shared by the driver (small fits) and the executors (one block per call).
 *
 * <p>Row i has logit_i = beta * (phi_i . theta - b_i); its loss is the negative log-likelihood of
 * s_i under mu(logit_i), its gradient beta * (mu_i - s_i) * phi_i and its Hessian
 * beta^2 * w_i * phi_i phi_i^T with w_i = mu_i (1 - mu_i). {@code phi} is row-major
 * (rows x d); {@code b == null} means all b_i = 0. Nothing is allocated.
 */
public final class DpoObjective {
  private DpoObjective() {}

  /**
   * Returns the summed loss of the rows and ADDS its gradient into {@code gradOut} (length d).
   */
  public static double addLossAndGradient(
      double[] phi, int rows, int d, double[] b, double[] s, double beta, double[] theta, double[] gradOut) {
    checkShapes(phi, rows, d, b, theta);
    if (s.length < rows || gradOut.length != d) {
      throw new IllegalArgumentException("s needs " + rows + " entries and gradOut " + d);
    }
    double loss = 0.0;
    for (int i = 0, off = 0; i < rows; i++, off += d) {
      double logit = beta * (dot(phi, off, theta, d) - (b == null ? 0.0 : b[i]));
      loss += Logistic.negLogLikelihood(logit, s[i]);
      double c = beta * (Logistic.sigmoid(logit) - s[i]);
      if (c != 0.0) {
        for (int j = 0; j < d; j++) {
          gradOut[j] += c * phi[off + j];
        }
      }
    }
    return loss;
  }

  /**
   * ADDS sum_i beta^2 w_i phi_i phi_i^T into {@code hessOut} (d x d, row-major). {@code hessOut}
   * must be symmetric on entry (zero is fine): only the upper triangle is accumulated, then copied
   * to the lower one. Cost rows * d^2 / 2 multiply-adds.
   */
  public static void addHessian(
      double[] phi, int rows, int d, double[] b, double beta, double[] theta, double[] hessOut) {
    checkShapes(phi, rows, d, b, theta);
    if (hessOut.length != (long) d * d) {
      throw new IllegalArgumentException("hessOut needs d*d = " + (long) d * d + " entries");
    }
    double[] c = new double[rows];
    for (int i = 0, off = 0; i < rows; i++, off += d) {
      double logit = beta * (dot(phi, off, theta, d) - (b == null ? 0.0 : b[i]));
      c[i] = beta * beta * Logistic.fisherWeight(logit);
    }
    addWeightedGram(phi, rows, d, c, hessOut);
  }

  /**
   * ADDS sum_i c_i phi_i phi_i^T into the upper triangle of {@code out}, then mirrors it into the
   * lower triangle. Rows are taken four at a time so that each pass over a row of {@code out}
   * serves four rank-one updates (out is the memory-bound operand when d is large).
   */
  static void addWeightedGram(double[] phi, int rows, int d, double[] c, double[] out) {
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      int o0 = i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
      double c0 = c[i], c1 = c[i + 1], c2 = c[i + 2], c3 = c[i + 3];
      for (int p = 0; p < d; p++) {
        double a0 = c0 * phi[o0 + p], a1 = c1 * phi[o1 + p], a2 = c2 * phi[o2 + p], a3 = c3 * phi[o3 + p];
        if (a0 == 0.0 && a1 == 0.0 && a2 == 0.0 && a3 == 0.0) {
          continue;
        }
        int row = p * d;
        for (int q = p; q < d; q++) {
          out[row + q] += a0 * phi[o0 + q] + a1 * phi[o1 + q] + a2 * phi[o2 + q] + a3 * phi[o3 + q];
        }
      }
    }
    for (; i < rows; i++) {
      int o = i * d;
      for (int p = 0; p < d; p++) {
        double a = c[i] * phi[o + p];
        if (a == 0.0) {
          continue;
        }
        int row = p * d;
        for (int q = p; q < d; q++) {
          out[row + q] += a * phi[o + q];
        }
      }
    }
    for (int p = 0; p < d; p++) {
      for (int q = p + 1; q < d; q++) {
        out[q * d + p] = out[p * d + q];
      }
    }
  }

  static double dot(double[] phi, int off, double[] theta, int d) {
    double acc = 0.0;
    for (int j = 0; j < d; j++) {
      acc += phi[off + j] * theta[j];
    }
    return acc;
  }

  private static void checkShapes(double[] phi, int rows, int d, double[] b, double[] theta) {
    if (rows < 0 || d < 0 || phi.length < (long) rows * d) {
      throw new IllegalArgumentException(
          "phi has " + phi.length + " entries, need rows*d = " + (long) rows * d);
    }
    if (theta.length != d) {
      throw new IllegalArgumentException("theta has " + theta.length + " entries, need d = " + d);
    }
    if (b != null && b.length < rows) {
      throw new IllegalArgumentException("b has " + b.length + " entries, need " + rows);
    }
  }
}
