package org.adpo.design;

/** Plain Java dot products, four pick vectors per pass over a row; the portable fallback. */
public final class ScalarScoreKernel implements ScoreKernel {
  @Override
  public String name() {
    return "scalar";
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
}
