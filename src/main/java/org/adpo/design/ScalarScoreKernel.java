package org.adpo.design;

/**
 * Plain Java dot products; the portable fallback. Row-major: four pick vectors per pass over a row.
 * Tiled: each row's sum by {@link Math#fma}, in the order {@link ScoreKernel#tiledDots} fixes, so its
 * bits are those of the SIMD kernel.
 */
public final class ScalarScoreKernel implements ScoreKernel {
  /** Whether tiled sums use fused multiply-add (false only where the JVM has no such instruction). */
  private final boolean fused;

  /** The fallback of a JVM with fused multiply-add instructions (every x86-64 since 2013, every ARMv8). */
  public ScalarScoreKernel() {
    this(true);
  }

  /**
   * @param fused false: tiled sums round the product and then the sum (a JVM without fused multiply-add
   *     instructions computes {@code Math.fma} in software, hundreds of times slower). The error bound is
   *     the same ({@link ScoreKernel#tiledChainErrorBound}); the bits differ from the SIMD kernel's.
   */
  public ScalarScoreKernel(boolean fused) {
    this.fused = fused;
  }

  @Override
  public String name() {
    return fused ? "scalar" : "scalar-no-fma";
  }

  @Override
  public double errorBound(int d) {
    // Each accumulator sums its d products one after another (a multiply and an add: two roundings).
    return 2 * ScoreKernel.sequentialErrorBound(d);
  }

  @Override
  public void dots(float[] phi, int firstRow, int rows, int d, float[] t, int batch, float[] out) {
    for (int i = 0; i < rows; i++) {
      int row = (firstRow + i) * d;
      int k = 0;
      for (; k + 4 <= batch; k += 4) {
        int t0 = k * d;
        int t1 = t0 + d;
        int t2 = t1 + d;
        int t3 = t2 + d;
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        for (int j = 0; j < d; j++) {
          float x = phi[row + j];
          a0 += x * t[t0 + j];
          a1 += x * t[t1 + j];
          a2 += x * t[t2 + j];
          a3 += x * t[t3 + j];
        }
        out[i * batch + k] = a0;
        out[i * batch + k + 1] = a1;
        out[i * batch + k + 2] = a2;
        out[i * batch + k + 3] = a3;
      }
      for (; k < batch; k++) {
        int tk = k * d;
        float a = 0;
        for (int j = 0; j < d; j++) {
          a += phi[row + j] * t[tk + j];
        }
        out[i * batch + k] = a;
      }
    }
  }

  /**
   * Row by row of each tile, four picks side by side (four independent chains sharing each load), each
   * sum in the contract's order; the row's values are 16 floats apart, within one tile.
   */
  @Override
  public void tiledDots(float[] tiles, int firstTile, int count, int d, float[] t, int batch, float[] out) {
    int tile = FeatureTiles.TILE;
    int block = FeatureTiles.BLOCK;
    int quads = batch & ~3;
    for (int q = 0; q < count; q++) {
      int base = (firstTile + q) * tile * d;
      int o = q * batch * tile;
      for (int r = 0; r < tile; r++) {
        int x0 = base + r;
        int k = 0;
        for (; k < quads; k += 4) {
          int t0 = k * d;
          int t1 = t0 + d;
          int t2 = t1 + d;
          int t3 = t2 + d;
          float s0 = 0f;
          float s1 = 0f;
          float s2 = 0f;
          float s3 = 0f;
          for (int j0 = 0; j0 < d; j0 += block) {
            int j1 = Math.min(d, j0 + block);
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            if (fused) {
              for (int j = j0; j < j1; j++) {
                float x = tiles[x0 + j * tile];
                a0 = Math.fma(x, t[t0 + j], a0);
                a1 = Math.fma(x, t[t1 + j], a1);
                a2 = Math.fma(x, t[t2 + j], a2);
                a3 = Math.fma(x, t[t3 + j], a3);
              }
            } else {
              for (int j = j0; j < j1; j++) {
                float x = tiles[x0 + j * tile];
                a0 += x * t[t0 + j];
                a1 += x * t[t1 + j];
                a2 += x * t[t2 + j];
                a3 += x * t[t3 + j];
              }
            }
            s0 += a0;
            s1 += a1;
            s2 += a2;
            s3 += a3;
          }
          out[o + k * tile + r] = s0;
          out[o + (k + 1) * tile + r] = s1;
          out[o + (k + 2) * tile + r] = s2;
          out[o + (k + 3) * tile + r] = s3;
        }
        for (; k < batch; k++) {
          int tk = k * d;
          float s0 = 0f;
          for (int j0 = 0; j0 < d; j0 += block) {
            int j1 = Math.min(d, j0 + block);
            float a0 = 0f;
            if (fused) {
              for (int j = j0; j < j1; j++) {
                a0 = Math.fma(tiles[x0 + j * tile], t[tk + j], a0);
              }
            } else {
              for (int j = j0; j < j1; j++) {
                a0 += tiles[x0 + j * tile] * t[tk + j];
              }
            }
            s0 += a0;
          }
          out[o + k * tile + r] = s0;
        }
      }
    }
  }
}
