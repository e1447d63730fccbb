package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.adpo.design.FeatureTiles;
import org.adpo.design.ScalarScoreKernel;
import org.adpo.design.ScoreKernel;
import org.junit.jupiter.api.Test;

/** A round's pick batch: float32 vectors, their norms and rounding, the sorted ords and the per-pick error bound. */
class PickBatchTest {

  @Test
  void keepsFloatVectorsTheirRoundingAndSortedOrds() {
    double third = 1.0 / 3;
    PickBatch b = new PickBatch(List.of(new double[] {3, 4}, new double[] {third, 0.5}), List.of(9L, 2L, 5L), 2);
    assertEquals(2, b.size);
    assertArrayEquals(new float[] {3, 4, (float) third, 0.5f}, b.t);
    assertEquals(5.0, b.norm[0], 0.0);
    assertEquals(0.0, b.rounding[0], 0.0);
    double f = (float) third;
    assertEquals(Math.sqrt(f * f + 0.25), b.norm[1], 1e-15);
    assertEquals(Math.abs(third - f), b.rounding[1], 1e-20);
    assertArrayEquals(new long[] {2, 5, 9}, b.ords);
    ScalarScoreKernel k = new ScalarScoreKernel();
    // d = 2 is stored tiled: the bound of one sequential chain of two roundings; row-major d its own.
    double e = ScoreKernel.tiledChainErrorBound(2);
    assertEquals(4 * 0x1p-24 / (1 - 2 * 0x1p-24), e, 0.0);
    assertEquals(e, k.layoutErrorBound(2), 0.0);
    assertEquals(k.errorBound(FeatureTiles.MAX_D + 1), k.layoutErrorBound(FeatureTiles.MAX_D + 1), 0.0);
    assertArrayEquals(new double[] {5 * e, Math.abs(third - f) + e * b.norm[1]}, b.errors(k, 2), 1e-20);
  }
}
