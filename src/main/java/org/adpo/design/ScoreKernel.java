package org.adpo.design;

/**
 * The executors' inner loop: for a block of float32 rows phi_i and a batch of pick vectors t_k
 * (float32, d each), compute every dot product phi_i . t_k. This is where exact greedy spends its
 * N d n multiply-adds, so it has a plain-Java and a SIMD implementation; {@link ScoreKernels}
 * picks the fastest one available in the running JVM. Blocks of small d are stored tiled
 * ({@link FeatureTiles}) and use {@link #tiledDots}, larger ones row-major and {@link #dots}.
 */
public interface ScoreKernel {
  /** A short name for reports, e.g. {@code "vector-api-256"} or {@code "scalar"}. */
  String name();

  /**
   * Row-major rows: out[i * batch + k] = sum_j phi[(firstRow + i) * d + j] * t[k * d + j] for i in
   * [0, rows) and k in [0, batch), accumulated in float.
   */
  void dots(float[] phi, int firstRow, int rows, int d, float[] t, int batch, float[] out);

  /**
   * Upper bound on |computed - exact| of one {@link #dots} product of length d of a row of norm 1
   * with a vector of norm 1 (scale by |phi_i| |t_k|), from float rounding. With one rounding per
   * fused multiply-add, a sum whose longest chain of dependent roundings has length m is off by at
   * most about m * 2^-24 times sum |phi_j t_j| <= |phi| |t| (Cauchy-Schwarz); a margin of 2 covers
   * the second-order terms.
   */
  double errorBound(int d);

  /**
   * Tiled rows ({@link FeatureTiles}): for the tiles q in [0, count) from {@code firstTile}, their
   * rows r in [0, TILE) and the picks k in [0, batch), out[(q * batch + k) * TILE + r] = the dot of row
   * (firstTile + q) * TILE + r with t_k, summed in this order, fixed by the contract and not by the
   * kernel: for each block of {@link FeatureTiles#BLOCK} consecutive features (the last one may be
   * shorter), in order, p = fma(phi_j, t_kj, p) over the block's j in order from p = +0 (one rounding per
   * step, as {@link Math#fma(float, float, float)}), then s = s + p (float addition) from s = +0. A SIMD
   * lane holds one row's p and s, so any vector width, and plain Java with {@code Math.fma}, give the
   * same bits. (Only a JVM without fused multiply-add instructions rounds product and sum separately:
   * {@link ScalarScoreKernel#ScalarScoreKernel(boolean)}.) out holds count * batch * TILE values;
   * padding rows give 0.
   */
  void tiledDots(float[] tiles, int firstTile, int count, int d, float[] t, int batch, float[] out);

  /** The bound of {@link #errorBound} for {@link #tiledDots}: {@link #tiledChainErrorBound}. */
  default double tiledErrorBound(int d) {
    return tiledChainErrorBound(d);
  }

  /**
   * The bound for {@link #tiledDots}' order: a term passes through at most min(d, BLOCK) roundings in its
   * block's sum and ceil(d / BLOCK) - 1 in the sum of the blocks (the first addition, to +0, is exact),
   * so the longest chain has m = min(d, BLOCK) + ceil(d / BLOCK) - 1 roundings: {@link #chainErrorBound}(m).
   * At d = 64 that is 19 roundings, at 128 23, at 512 47.
   */
  static double tiledChainErrorBound(int d) {
    int b = FeatureTiles.BLOCK;
    return chainErrorBound(Math.min(d, b) + (d + b - 1) / b - 1);
  }

  /** The bound for the kernel's layout at dimension d: tiled or row-major ({@link FeatureTiles#tiled}). */
  default double layoutErrorBound(int d) {
    return FeatureTiles.tiled(d) ? tiledErrorBound(d) : errorBound(d);
  }

  /** The bound for plain sequential summation: a chain of d roundings. */
  static double sequentialErrorBound(int d) {
    return (d + 2) * 0x1p-24;
  }

  /**
   * The bound of a sum of products computed with at most m roundings on the path of any one term, fused
   * (one rounding per multiply-add) or not (the product rounded, then the sum), for |x| = |y| = 1:
   * (m + 2) u / (1 - m u) with u = 2^-24, the unit round-off of float32 (round to nearest).
   *
   * <p>Why it bounds the error: each rounding multiplies what it rounds by some (1 + delta), |delta| <= u.
   * In a sequential chain s_j = fl(s_{j-1} + x_j y_j), j = 1..m from s_0 = 0, the term x_j y_j passes
   * through the roundings of steps j..m, and, unfused, through that of its product; the first step's sum
   * 0 + fl(x_1 y_1) is exact. So every term carries at most m factors (1 + delta), and the same holds for
   * a sum of chains whose results are added in a chain, counting the roundings along each term's path.
   * The computed sum is therefore sum_j x_j y_j (1 + theta_j) with |theta_j| <= gamma_m = m u / (1 - m u)
   * (Higham, Accuracy and Stability of Numerical Algorithms, Lemma 3.1 and (3.4)), hence |computed -
   * exact| <= gamma_m sum_j |x_j y_j| <= gamma_m |x| |y| (Cauchy-Schwarz), and gamma_m <= (m + 2) u /
   * (1 - m u). Only the number of roundings on each term's path enters, not the order of the terms. As
   * for the other bounds here, no product or sum is assumed to underflow into the subnormal range.
   */
  static double chainErrorBound(int m) {
    return (m + 2) * 0x1p-24 / (1 - m * 0x1p-24);
  }
}
