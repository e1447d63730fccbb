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
   * Upper bound on |computed - exact| of one dot product of length d of a row of norm 1 with a
   * vector of norm 1 (scale by |phi_i| |t_k|), from float rounding. With one rounding per
   * fused multiply-add, a sum whose longest chain of dependent roundings has length m is off by at
   * most about m * 2^-24 times sum |phi_j t_j| <= |phi| |t| (Cauchy-Schwarz); a margin of 2 covers
   * the second-order terms.
   */
  double errorBound(int d);

  /** The bound for plain sequential summation: a chain of d roundings. */
  static double sequentialErrorBound(int d) {
    return (d + 2) * 0x1p-24;
  }
}
