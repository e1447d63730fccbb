package org.adpo.data;

import java.io.Serializable;

/**
 * The decoded rows of one Spark partition, column by column: the tie-break order {@code ords}, the
 * original ids (Long or String, for the output join), phi row-major, b, s (NaN when unlabelled)
 * and the weight column (1 when absent). Built once, cached, never mutated.
 */
public final class PoolBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int rows;
  public final int d;
  public final long[] ords;
  public final Object[] ids;
  public final double[] phi;
  public final double[] b;
  public final double[] s;
  public final double[] weight;

  public PoolBlock(int rows, int d, long[] ords, Object[] ids, double[] phi, double[] b, double[] s, double[] weight) {
    if (ords.length != rows || ids.length != rows || phi.length != (long) rows * d
        || b.length != rows || s.length != rows || weight.length != rows) {
      throw new IllegalArgumentException("inconsistent block arrays for " + rows + " rows of dimension " + d);
    }
    this.rows = rows;
    this.d = d;
    this.ords = ords;
    this.ids = ids;
    this.phi = phi;
    this.b = b;
    this.s = s;
    this.weight = weight;
  }
}
