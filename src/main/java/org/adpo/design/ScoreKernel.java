package org.adpo.design;

/**
 * The executors' inner loop: for a block of float32 rows phi_i and a batch of pick vectors t_k
 * (float32, d each), compute every dot product phi_i . t_k. This is where exact greedy spends its
 * N d n multiply-adds, so it has a plain-Java and a SIMD implementation; {@link ScoreKernels}
 * picks the fastest one available in the running JVM.
 */
public interface ScoreKernel {
  /** A short name for reports, e.g. {@code "vector-api-256"} or {@code "scalar"}. */
  String name();

  /**
   * out[i * batch + k] = sum_j phi[(firstRow + i) * d + j] * t[k * d + j] for i in [0, rows) and k in
   * [0, batch), accumulated in float.
   */
  void dots(float[] phi, int firstRow, int rows, int d, float[] t, int batch, float[] out);

  /**
   * Upper bound on |computed - exact| of one dot product of a row of norm 1 with a vector of norm 1
   * (scale by |phi_i| |t_k|): float rounding of the products and the running sums.
   */
  static double relativeErrorBound(int d) {
    return (d + 4) * 0x1p-24;
  }
}
