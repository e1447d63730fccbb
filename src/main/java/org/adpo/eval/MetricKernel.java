package org.adpo.eval;

import java.io.Serializable;
import org.adpo.model.Logistic;

/**
 * The per-row arithmetic of the pool metrics for a stack of K thetas against theta_star: plain
 * Java, shared by the distributed pass (one kernel is broadcast, every partition feeds its rows
 * into a {@link MetricSums}) and by tests.
 *
 * <p>Sign convention: sign(z) is -1, 0 or +1, and 0 is a class of its own. A row counts as an
 * error-rate disagreement when sign(phi . theta - b) and sign(phi . theta_star - b) differ as such
 * (so 0 vs +1 disagrees, 0 vs 0 agrees), and as accurate only when the sign of the logit is +1 for
 * s = 1 or -1 for s = 0: a logit of exactly 0 predicts nothing and is never accurate.
 *
 * <p>The logit error is computed as phi . (theta - theta_star) with the difference taken once per
 * theta, not as the difference of two dot products, so it stays accurate when theta is close to
 * theta_star.
 */
public final class MetricKernel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int d;
  private final double beta;
  private final double[] thetas; // K x d, row-major
  private final double[] deltas; // theta_k - theta_star, K x d
  private final double[] thetaStar;

  /**
   * @param thetas K thetas of dimension d (the estimates to evaluate; theta_star itself may be one)
   * @param thetaStar the reference fit on all labelled rows
   * @param beta DPO temperature, > 0
   */
  public MetricKernel(double[][] thetas, double[] thetaStar, double beta) {
    this.d = thetaStar.length;
    this.beta = beta;
    this.thetaStar = thetaStar.clone();
    this.thetas = new double[thetas.length * d];
    this.deltas = new double[thetas.length * d];
    for (int k = 0; k < thetas.length; k++) {
      if (thetas[k].length != d) {
        throw new IllegalArgumentException("theta " + k + " has " + thetas[k].length + " entries, need d = " + d);
      }
      for (int j = 0; j < d; j++) {
        this.thetas[k * d + j] = thetas[k][j];
        this.deltas[k * d + j] = thetas[k][j] - thetaStar[j];
      }
    }
  }

  public int size() {
    return thetas.length / Math.max(d, 1);
  }

  public int dimension() {
    return d;
  }

  /** An empty accumulator for this kernel's K thetas. */
  public MetricSums newSums() {
    return new MetricSums(thetas.length / Math.max(d, 1));
  }

  /**
   * Adds {@code rows} rows into {@code sums}: phi row-major (rows x d), b (null = all 0), s with
   * NaN for an unlabelled row (such rows count for the logit errors and the error rate only).
   */
  public void add(MetricSums sums, double[] phi, int rows, double[] b, double[] s) {
    check(phi.length, rows, b, s);
    for (int i = 0; i < rows; i++) {
      addRow(sums, phi, i * d, b == null ? 0.0 : b[i], s[i]);
    }
  }

  /** As {@link #add(MetricSums, double[], int, double[], double[])}, for phi stored as float32. */
  public void add(MetricSums sums, float[] phi, int rows, double[] b, double[] s) {
    check(phi.length, rows, b, s);
    double[] row = new double[d];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = phi[i * d + j]; // widening is exact
      }
      addRow(sums, row, 0, b == null ? 0.0 : b[i], s[i]);
    }
  }

  private void check(long phiLength, int rows, double[] b, double[] s) {
    if (phiLength < (long) rows * d || (b != null && b.length < rows) || s.length < rows) {
      throw new IllegalArgumentException("arrays too short for " + rows + " rows of dimension " + d);
    }
  }

  private void addRow(MetricSums sums, double[] phi, int off, double bi, double si) {
    boolean labelled = !Double.isNaN(si);
    double zStar = dot(phi, off, thetaStar, 0) - bi;
    double starSign = Math.signum(zStar);
    sums.rows++;
    if (labelled) {
      sums.labelled++;
    }
    for (int k = 0; k < sums.size(); k++) {
      double err = Math.abs(dot(phi, off, deltas, k * d));
      if (err > sums.maxError[k]) {
        sums.maxError[k] = err;
      }
      sums.sumError[k] += err;
      double z = dot(phi, off, thetas, k * d) - bi;
      if (Math.signum(z) != starSign) {
        sums.disagree[k]++;
      }
      if (labelled) {
        double logit = beta * z;
        double y = si == 1.0 ? 1.0 : -1.0; // labels are validated to be 0 or 1
        if (Math.signum(logit) == y) {
          sums.correct[k]++;
        }
        sums.sumMargin[k] += y * logit;
        sums.sumNll[k] += Logistic.negLogLikelihood(logit, si);
      }
    }
  }

  private double dot(double[] phi, int off, double[] v, int voff) {
    double acc = 0.0;
    for (int j = 0; j < d; j++) {
      acc += phi[off + j] * v[voff + j];
    }
    return acc;
  }
}
