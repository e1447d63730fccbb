package org.adpo.select;

import java.io.Serializable;

/**
 * The candidates of one partition as the greedy loop sees them: tie-break order, id, phi
 * (row-major, shared with the pool block), the weight w_i and the scale that turns phi into the
 * design vector v_i = scale_i * phi_i (beta sqrt(w_i) for ADPO+, sqrt(w_i) for dopt, 1 for apo).
 */
public final class CandidateBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int rows;
  public final int d;
  public final long[] ords;
  public final Object[] ids;
  public final double[] phi;
  public final double[] weight;
  public final double[] scale;

  public CandidateBlock(int rows, int d, long[] ords, Object[] ids, double[] phi, double[] weight, double[] scale) {
    if (ords.length != rows || ids.length != rows || phi.length != (long) rows * d
        || weight.length != rows || scale.length != rows) {
      throw new IllegalArgumentException("inconsistent candidate arrays for " + rows + " rows");
    }
    this.rows = rows;
    this.d = d;
    this.ords = ords;
    this.ids = ids;
    this.phi = phi;
    this.weight = weight;
    this.scale = scale;
  }

  /** Row i as a stand-alone candidate (its phi copied), carrying {@code score}. */
  public Candidate candidate(int i, double score) {
    double[] v = new double[d];
    System.arraycopy(phi, i * d, v, 0, d);
    return new Candidate(ords[i], ids[i], v, weight[i], scale[i], score);
  }
}
