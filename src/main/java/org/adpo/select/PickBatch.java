package org.adpo.select;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.adpo.design.ScoreKernel;

/**
 * What the executors need to downdate their stored scores after a round: the picks' vectors t_k
 * in float32 (k-major), for each |fl(t_k)| and |t_k - fl(t_k)| (from which an executor bounds the
 * error of its own kernel's dots), and the picked ords (sorted). O(b d) numbers per round instead of
 * a d x d matrix.
 */
public final class PickBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int size;
  public final float[] t;
  public final double[] norm;
  public final double[] rounding;
  public final long[] ords;

  /**
   * Per pick, the bound on |phi . t - kernel(phi, fl(t))| for a row of norm 1:
   * |phi . (t - fl(t))| + kernel error <= |t - fl(t)| + errorBound(d) |fl(t)|, with the kernel's bound
   * for the layout of blocks of dimension d ({@link ScoreKernel#layoutErrorBound}).
   */
  public double[] errors(ScoreKernel kernel, int d) {
    double[] err = new double[size];
    double e = kernel.layoutErrorBound(d);
    for (int k = 0; k < size; k++) {
      err[k] = rounding[k] + e * norm[k];
    }
    return err;
  }

  public PickBatch(List<double[]> downdates, List<Long> picked, int d) {
    size = downdates.size();
    t = new float[size * d];
    norm = new double[size];
    rounding = new double[size];
    for (int k = 0; k < size; k++) {
      double[] tk = downdates.get(k);
      double rounding = 0;
      double norm = 0;
      for (int j = 0; j < d; j++) {
        float f = (float) tk[j];
        t[k * d + j] = f;
        double diff = tk[j] - f;
        rounding += diff * diff;
        norm += (double) f * f;
      }
      this.rounding[k] = Math.sqrt(rounding);
      this.norm[k] = Math.sqrt(norm);
    }
    ords = picked.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(ords);
  }
}
