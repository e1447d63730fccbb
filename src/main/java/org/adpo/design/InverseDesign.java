package org.adpo.design;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The driver's design H = gamma I + sum v v^T and its inverse A = H^-1, kept current by
 * Sherman-Morrison rank-one updates (O(d^2) per pick). The score of a candidate is
 * {@code scale^2 * phi^T A phi} = v^T H^-1 v with v = scale * phi; executors compute the same number
 * with the same static {@link #score} on a copy of {@link #inverse()}, so a score computed on the
 * driver and one computed in a task for the same A and row are bit-for-bit equal.
 */
public final class InverseDesign {
  private final int d;
  private final double gamma;
  private final DMatrixRMaj h;
  private final DMatrixRMaj a;
  private final double[] u;
  private int updates;

  public InverseDesign(int d, double gamma) {
    if (d < 1 || !(gamma > 0)) {
      throw new IllegalArgumentException("need d >= 1 and gamma > 0");
    }
    this.d = d;
    this.gamma = gamma;
    this.h = CommonOps_DDRM.identity(d);
    CommonOps_DDRM.scale(gamma, h);
    this.a = CommonOps_DDRM.identity(d);
    CommonOps_DDRM.scale(1.0 / gamma, a);
    this.u = new double[d];
  }

  /** v^T A v for v = scale * phi[off .. off+d), A row-major d x d. The one scoring formula. */
  public static double score(double[] inverse, int d, double[] phi, int off, double scale) {
    double q = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      int base = i * d;
      for (int j = 0; j < d; j++) {
        row += inverse[base + j] * phi[off + j];
      }
      q += phi[off + i] * row;
    }
    // Clamp: A is positive definite, so a negative value can only be round-off.
    return Math.max(0.0, scale * scale * q);
  }

  /**
   * The same formula for a float32 row: every element is widened to double and the operations run in
   * the same order, so the result equals {@link #score(double[], int, double[], int, double)} on the
   * widened row bit for bit.
   */
  public static double score(double[] inverse, int d, float[] phi, int off, double scale) {
    double q = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      int base = i * d;
      for (int j = 0; j < d; j++) {
        row += inverse[base + j] * (double) phi[off + j];
      }
      q += (double) phi[off + i] * row;
    }
    return Math.max(0.0, scale * scale * q);
  }

  /** The current score of a candidate under this design. */
  public double score(double[] phi, int off, double scale) {
    return score(a.data, d, phi, off, scale);
  }

  /**
   * Adds v v^T with v = scale * phi. A loses (A v)(A v)^T / (1 + v^T A v); the update is written as
   * A -= t t^T with t = A v / sqrt(1 + v^T A v) so that A stays exactly symmetric in floating point.
   *
   * @return t: every row x's score scale_x^2 x^T A x falls by scale_x^2 (x . t)^2 (the downdate)
   */
  public double[] add(double[] phi, int off, double scale) {
    double[] ad = a.data;
    double q = 0;
    for (int i = 0; i < d; i++) {
      double row = 0;
      int base = i * d;
      for (int j = 0; j < d; j++) {
        row += ad[base + j] * (scale * phi[off + j]);
      }
      u[i] = row;
      q += scale * phi[off + i] * row;
    }
    double f = 1.0 / Math.sqrt(1.0 + Math.max(0.0, q));
    for (int i = 0; i < d; i++) {
      u[i] *= f;
    }
    double[] hd = h.data;
    for (int i = 0; i < d; i++) {
      int base = i * d;
      double ui = u[i];
      double vi = scale * phi[off + i];
      for (int j = 0; j < d; j++) {
        ad[base + j] -= ui * u[j];
        hd[base + j] += vi * (scale * phi[off + j]);
      }
    }
    updates++;
    return u.clone();
  }

  /** A copy of A = H^-1, row-major, to send to the executors. */
  public double[] inverse() {
    return a.data.clone();
  }

  /** log det H, from a Cholesky factorisation of H itself (independent of the running inverse). */
  public double logDet() {
    DMatrixRMaj copy = h.copy();
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
    if (!chol.decompose(copy)) {
      throw new IllegalStateException("design matrix is not positive definite");
    }
    DMatrixRMaj l = chol.getT(null);
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += Math.log(l.get(i, i));
    }
    return 2 * s;
  }

  public int dimension() {
    return d;
  }

  public double gamma() {
    return gamma;
  }

  public int updates() {
    return updates;
  }
}
