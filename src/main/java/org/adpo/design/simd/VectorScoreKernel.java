package org.adpo.design.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.adpo.design.ScoreKernel;

/**
 * SIMD dot products on the JDK Vector API (incubator module {@code jdk.incubator.vector}, which the
 * JVM must be started with: {@code --add-modules jdk.incubator.vector}). Register-blocked: one pass
 * over a row feeds four pick vectors, so each row chunk is loaded once per four FMAs. Loaded only
 * through {@link org.adpo.design.ScoreKernels}, which checks that the module is present.
 */
public final class VectorScoreKernel implements ScoreKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Override
  public String name() {
    return "vector-api-" + S.vectorBitSize();
  }

  @Override
  public double errorBound(int d) {
    // Per lane: d / L fused multiply-adds; then the lanes are reduced (at most L - 1 additions in
    // any order) and the d mod L tail terms are added one by one (a multiply and an add each).
    int lanes = S.length();
    return (d / lanes + lanes + 2 * (d % lanes) + 2) * 0x1p-24;
  }

  @Override
  public void dots(float[] phi, int firstRow, int rows, int d, float[] t, int batch, float[] out) {
    int lanes = S.length();
    int upper = S.loopBound(d);
    for (int i = 0; i < rows; i++) {
      int row = (firstRow + i) * d;
      int k = 0;
      for (; k + 4 <= batch; k += 4) {
        int t0 = k * d;
        int t1 = t0 + d;
        int t2 = t1 + d;
        int t3 = t2 + d;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int j = 0;
        for (; j < upper; j += lanes) {
          FloatVector x = FloatVector.fromArray(S, phi, row + j);
          a0 = x.fma(FloatVector.fromArray(S, t, t0 + j), a0);
          a1 = x.fma(FloatVector.fromArray(S, t, t1 + j), a1);
          a2 = x.fma(FloatVector.fromArray(S, t, t2 + j), a2);
          a3 = x.fma(FloatVector.fromArray(S, t, t3 + j), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
          float x = phi[row + j];
          s0 += x * t[t0 + j];
          s1 += x * t[t1 + j];
          s2 += x * t[t2 + j];
          s3 += x * t[t3 + j];
        }
        int o = i * batch + k;
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
      }
      for (; k < batch; k++) {
        int tk = k * d;
        FloatVector a = FloatVector.zero(S);
        int j = 0;
        for (; j < upper; j += lanes) {
          a = FloatVector.fromArray(S, phi, row + j).fma(FloatVector.fromArray(S, t, tk + j), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
          s += phi[row + j] * t[tk + j];
        }
        out[i * batch + k] = s;
      }
    }
  }
}
