package org.adpo.data;

import java.io.Serializable;

/**
 * The decoded rows of one Spark partition, column by column: the tie-break order {@code ords}, the
 * original ids (only for string ids; for integer ids the id is the ord and {@code ids} is null),
 * phi row-major in float32, b, s (NaN when unlabelled) and the weight column (1 when absent).
 * Features are stored as float32, like the embeddings they come from; all arithmetic on them is
 * done in double. Built once, cached, never mutated.
 */
public final class PoolBlock implements Serializable {
  private static final long serialVersionUID = 2L;

  public final int rows;
  public final int d;
  public final long[] ords;
  public final String[] ids;
  public final float[] phi;
  public final double[] b;
  public final double[] s;
  public final double[] weight;

  public PoolBlock(int rows, int d, long[] ords, String[] ids, float[] phi, double[] b, double[] s, double[] weight) {
    if (ords.length != rows || (ids != null && ids.length != rows) || phi.length != (long) rows * d
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

  /** The id of row i: its String id, or its integer id (= ord). */
  public Object id(int i) {
    return ids == null ? (Object) ords[i] : ids[i];
  }
}
