package org.adpo.model;

/**
 * The fit objective of docs/method.md on in-memory rows: L(theta) + (lambda/2)||theta||^2, where L is the
 * DPO loss (logistic regression with features beta*phi_i, offset -beta*b_i, no intercept).
 * For the driver and small fits; {@code org.adpo.spark.DistributedDpoFit} is the distributed twin.
 */
public final class PenalizedDpoLoss implements DifferentiableFunction {
  private final double[] phi;
  private final int rows;
  private final int d;
  private final double[] b;
  private final double[] s;
  private final double beta;
  private final double lambda;

  /**
   * @param phi row-major rows x d feature differences (not copied)
   * @param b reference log-ratios, or null for all 0
   * @param s labels in [0, 1] (1 = first response preferred)
   * @param lambda L2 penalty, >= 0 (docs/method.md requires > 0 for a unique minimiser)
   */
  public PenalizedDpoLoss(double[] phi, int rows, int d, double[] b, double[] s, double beta, double lambda) {
    if (rows < 0 || d < 0 || phi.length != (long) rows * d) {
      throw new IllegalArgumentException("phi has " + phi.length + " entries, need rows*d = " + (long) rows * d);
    }
    if ((b != null && b.length != rows) || s.length != rows) {
      throw new IllegalArgumentException("b and s need " + rows + " entries");
    }
    if (!(lambda >= 0) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("need lambda >= 0 and finite beta, got " + lambda + ", " + beta);
    }
    this.phi = phi;
    this.rows = rows;
    this.d = d;
    this.b = b;
    this.s = s;
    this.beta = beta;
    this.lambda = lambda;
  }

  /** Same from one array per row (copied into a row-major block). */
  public static PenalizedDpoLoss of(double[][] phi, double[] b, double[] s, double beta, double lambda) {
    int d = phi.length == 0 ? 0 : phi[0].length;
    return new PenalizedDpoLoss(flatten(phi, d), phi.length, d, b, s, beta, lambda);
  }

  @Override
  public double valueAndGradient(double[] theta, double[] gradOut) {
    double sq = 0.0;
    for (int j = 0; j < d; j++) {
      gradOut[j] = lambda * theta[j];
      sq += theta[j] * theta[j];
    }
    double loss = DpoObjective.addLossAndGradient(phi, rows, d, b, s, beta, theta, gradOut);
    return loss + 0.5 * lambda * sq;
  }

  public int dimension() {
    return d;
  }

  public int rows() {
    return rows;
  }

  static double[] flatten(double[][] rowsArr, int d) {
    double[] flat = new double[rowsArr.length * d];
    for (int i = 0; i < rowsArr.length; i++) {
      if (rowsArr[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + rowsArr[i].length + " entries, expected " + d);
      }
      System.arraycopy(rowsArr[i], 0, flat, i * d, d);
    }
    return flat;
  }
}
