package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FisherWeightsTest {
  @Test
  void alphaZeroIsExactlyTheFisherWeight() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int k = 0; k < 1000; k++) {
      double logit = 30 * (rnd.nextDouble() - 0.5);
      double psp = rnd.nextDouble() * 10;
      assertEquals(FisherWeights.weight(logit), FisherWeights.ucbWeight(logit, 0.0, psp), 0.0);
    }
    assertEquals(FisherWeights.weight(3), FisherWeights.ucbWeight(3, 0.0, Double.POSITIVE_INFINITY), 0.0);
    assertEquals(Logistic.fisherWeight(-2.5), FisherWeights.weight(-2.5), 0.0);
  }

  @Test
  void largerAlphaNeverDecreasesTheWeightAndItIsCapped() {
    SplittableRandom rnd = new SplittableRandom(11);
    double[] alphas = {0, 0.1, 0.5, 1, 2, 3, 5, 10};
    for (int k = 0; k < 500; k++) {
      double logit = 40 * (rnd.nextDouble() - 0.5);
      double psp = rnd.nextDouble() * 2;
      double prev = -1;
      for (double a : alphas) {
        double u = FisherWeights.ucbWeight(logit, a, psp);
        assertTrue(u >= prev, "monotone in alpha");
        assertTrue(u <= 0.25);
        prev = u;
      }
    }
    // The width covers the whole logit: the cap 0.25 is reached exactly.
    assertEquals(0.25, FisherWeights.ucbWeight(4.0, 3.0, 4.0), 0.0); // 3 * 2 >= 4
    // Partial shrinkage: z = 5 - 2 * 1 = 3.
    assertEquals(Logistic.fisherWeight(3.0), FisherWeights.ucbWeight(-5.0, 2.0, 1.0), 1e-17);
    // Negative phi' Sigma phi (rounding) counts as 0.
    assertEquals(FisherWeights.weight(2.0), FisherWeights.ucbWeight(2.0, 3.0, -1e-12), 0.0);
    assertThrows(IllegalArgumentException.class, () -> FisherWeights.ucbWeight(1, -1, 1));
  }
}
