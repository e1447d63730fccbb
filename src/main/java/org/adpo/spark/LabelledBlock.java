package org.adpo.spark;

import java.io.Serializable;

/**
 * A block of labelled rows as shipped to executors: row-major feature differences phi (rows x d),
 * reference log-ratios b and labels s. Blocks amortise per-record overhead in the RDD and let the
 * loss kernels run over contiguous arrays. Arrays are held, not copied; treat them as read-only.
 */
final class LabelledBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int d;
  private final double[] phi;
  private final double[] b;
  private final double[] s;

  /**
   * @param phi row-major, exactly rows * d entries
   * @param b rows entries, or null for all 0 (SPEC: an absent b means 0)
   * @param s rows entries, labels in [0, 1]
   */
  public LabelledBlock(int rows, int d, double[] phi, double[] b, double[] s) {
    if (rows < 0 || d < 0) {
      throw new IllegalArgumentException("rows and d must be >= 0, got " + rows + ", " + d);
    }
    if (phi == null || phi.length != (long) rows * d) {
      throw new IllegalArgumentException(
          "phi must have rows*d = " + (long) rows * d + " entries, got " + (phi == null ? "null" : phi.length));
    }
    if (b != null && b.length != rows) {
      throw new IllegalArgumentException("b must have " + rows + " entries, got " + b.length);
    }
    if (s == null || s.length != rows) {
      throw new IllegalArgumentException(
          "s must have " + rows + " entries, got " + (s == null ? "null" : s.length));
    }
    this.rows = rows;
    this.d = d;
    this.phi = phi;
    this.b = b == null ? new double[rows] : b;
    this.s = s;
  }

  /** The labelled rows of a pool block, widened to double (rows without a label are left out). */
  public static LabelledBlock of(org.adpo.data.PoolBlock p) {
    int n = 0;
    for (int i = 0; i < p.rows; i++) {
      if (!Double.isNaN(p.s[i])) {
        n++;
      }
    }
    double[] phi = new double[n * p.d];
    double[] b = new double[n];
    double[] s = new double[n];
    int k = 0;
    for (int i = 0; i < p.rows; i++) {
      if (!Double.isNaN(p.s[i])) {
        for (int j = 0; j < p.d; j++) {
          phi[k * p.d + j] = p.phi[i * p.d + j];
        }
        b[k] = p.b[i];
        s[k] = p.s[i];
        k++;
      }
    }
    return new LabelledBlock(n, p.d, phi, b, s);
  }

  public int rows() {
    return rows;
  }

  public int d() {
    return d;
  }

  /** Row-major rows x d. */
  public double[] phi() {
    return phi;
  }

  public double[] b() {
    return b;
  }

  public double[] s() {
    return s;
  }

  @Override
  public String toString() {
    return "LabelledBlock[rows=" + rows + ", d=" + d + "]";
  }
}
