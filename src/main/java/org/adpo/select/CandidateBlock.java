package org.adpo.select;

import java.io.Serializable;

/**
 * The candidates of one partition as the greedy loop sees them: tie-break order, string ids (null
 * for integer ids, which equal the ord), phi row-major in float32 (shared with the pool block),
 * |phi_i|_2, the weight w_i and the scale that turns phi into the design vector v_i = scale_i phi_i
 * (beta sqrt(w_i) for ADPO+, sqrt(w_i) for dopt, 1 for apo and uniform).
 */
public final class CandidateBlock implements Serializable {
  private static final long serialVersionUID = 2L;

  public final int rows;
  public final int d;
  public final long[] ords;
  public final String[] ids;
  public final float[] phi;
  public final double[] norm;
  public final double[] weight;
  public final double[] scale;

  public CandidateBlock(int rows, int d, long[] ords, String[] ids, float[] phi, double[] weight, double[] scale) {
    if (ords.length != rows || (ids != null && ids.length != rows) || phi.length != (long) rows * d
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
    this.norm = new double[rows];
    for (int i = 0; i < rows; i++) {
      double sq = 0;
      for (int j = 0; j < d; j++) {
        double x = phi[i * d + j];
        sq += x * x;
      }
      norm[i] = Math.sqrt(sq);
    }
  }

  /** Row i as a stand-alone candidate (phi widened to double, exactly), carrying {@code score}. */
  public Candidate candidate(int i, double score) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) {
      v[j] = phi[i * d + j];
    }
    return new Candidate(ords[i], ids == null ? (Object) ords[i] : ids[i], v, weight[i], scale[i], score);
  }
}
