package org.adpo.select;

import java.io.Serializable;
import org.adpo.design.FeatureTiles;

/**
 * The candidates of one partition as the greedy loop sees them: tie-break order, string ids (null
 * for integer ids, which equal the ord), the float32 features, |phi_i|_2, the weight w_i and the scale
 * that turns phi into the design vector v_i = scale_i phi_i (beta sqrt(w_i) for ADPO+, sqrt(w_i) for
 * dopt, 1 for apo and uniform).
 *
 * <p>The features are stored in the layout the downdate kernel reads fastest at this d: tiled
 * ({@link FeatureTiles}, a copy made here) for d up to {@link FeatureTiles#MAX_D}, row-major (shared with
 * the pool block) above. One copy either way: the pool block is released once the candidates are
 * cached. Everything else reads rows through {@link #row} / {@link #candidate}, which give the same
 * float32 values in either layout, so every exact score is the same number.
 */
public final class CandidateBlock implements Serializable {
  private static final long serialVersionUID = 3L;

  public final int rows;
  public final int d;
  public final long[] ords;
  public final String[] ids;
  /** Tiled ({@link FeatureTiles}) when {@link #tiled}, else row-major rows x d. */
  public final float[] features;
  public final boolean tiled;
  public final double[] norm;
  public final double[] weight;
  public final double[] scale;

  /** @param phi row-major rows x d (held, not copied, when the block stays row-major) */
  public CandidateBlock(int rows, int d, long[] ords, String[] ids, float[] phi, double[] weight, double[] scale) {
    if (ords.length != rows || (ids != null && ids.length != rows) || phi.length != (long) rows * d
        || weight.length != rows || scale.length != rows) {
      throw new IllegalArgumentException("inconsistent candidate arrays for " + rows + " rows");
    }
    this.rows = rows;
    this.d = d;
    this.ords = ords;
    this.ids = ids;
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
    this.tiled = FeatureTiles.tiled(d);
    this.features = tiled ? FeatureTiles.of(phi, rows, d) : phi;
  }

  /** The same rows, features and norms under other weights and scales (the features are shared). */
  private CandidateBlock(CandidateBlock b, double[] weight, double[] scale) {
    this.rows = b.rows;
    this.d = b.d;
    this.ords = b.ords;
    this.ids = b.ids;
    this.features = b.features;
    this.tiled = b.tiled;
    this.norm = b.norm;
    this.weight = weight;
    this.scale = scale;
  }

  /** This block's rows under new weights and scales, sharing its features (no second copy). */
  public CandidateBlock reweighed(double[] weight, double[] scale) {
    if (weight.length != rows || scale.length != rows) {
      throw new IllegalArgumentException("inconsistent candidate arrays for " + rows + " rows");
    }
    return new CandidateBlock(this, weight, scale);
  }

  /** Copies row i's float32 features into {@code out[off .. off + d)}. */
  public void row(int i, float[] out, int off) {
    if (tiled) {
      FeatureTiles.row(features, i, d, out, off);
    } else {
      System.arraycopy(features, i * d, out, off, d);
    }
  }

  /** Row i's feature j. */
  public float feature(int i, int j) {
    return features[tiled ? FeatureTiles.index(i, j, d) : i * d + j];
  }

  /** All rows row-major: a copy when tiled, else the block's own array (read-only). */
  public float[] rowMajor() {
    if (!tiled) {
      return features;
    }
    float[] phi = new float[rows * d];
    for (int i = 0; i < rows; i++) {
      row(i, phi, i * d);
    }
    return phi;
  }

  /** Row i as a stand-alone candidate (phi widened to double, exactly), carrying {@code score}. */
  public Candidate candidate(int i, double score) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) {
      v[j] = feature(i, j);
    }
    return new Candidate(ords[i], ids == null ? (Object) ords[i] : ids[i], v, weight[i], scale[i], score);
  }
}
