package org.adpo.select;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.adpo.design.ScoreKernel;

/**
 * What the executors need to downdate their stored scores after a round: the picks' vectors t_k
 * in float32 (k-major), for each the bound on a float dot's error with a unit row, and the picked
 * ords (sorted). O(b d) numbers per round instead of a d x d matrix.
 */
public final class PickBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int size;
  public final float[] t;
  public final double[] err;
  public final long[] ords;

  public PickBatch(List<double[]> downdates, List<Long> picked, int d) {
    size = downdates.size();
    t = new float[size * d];
    err = new double[size];
    double kernelError = ScoreKernel.relativeErrorBound(d);
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
      // |phi . t - fl(phi . fl(t))| <= |phi| |t - fl(t)| + kernel error * |phi| |fl(t)|
      err[k] = Math.sqrt(rounding) + kernelError * Math.sqrt(norm);
    }
    ords = picked.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(ords);
  }
}
