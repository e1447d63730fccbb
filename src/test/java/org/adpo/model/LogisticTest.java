package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogisticTest {
  private static final double[] ZS = {-800, -40, -20, -3.5, -1, -1e-9, 0, 1e-9, 0.3, 1, 3.5, 20, 40, 800};

  @Test
  void sigmoidIsStableAndSymmetric() {
    assertEquals(1.0, Logistic.sigmoid(800), 0.0);
    assertEquals(0.0, Logistic.sigmoid(-800), 0.0);
    assertEquals(Math.exp(-40), Logistic.sigmoid(-40), 1e-30); // relative accuracy in the tail
    assertEquals(0.5, Logistic.sigmoid(0), 0.0);
    for (double z : ZS) {
      assertEquals(1.0, Logistic.sigmoid(z) + Logistic.sigmoid(-z), 1e-15, "z=" + z);
    }
  }

  @Test
  void softplusIsStableAndSatisfiesIdentities() {
    assertEquals(800.0, Logistic.logOnePlusExp(800), 0.0);
    assertEquals(0.0, Logistic.logOnePlusExp(-800), 0.0);
    assertEquals(Math.exp(-40), Logistic.logOnePlusExp(-40), 1e-30);
    assertEquals(Math.log(2), Logistic.logOnePlusExp(0), 1e-16);
    for (double z : ZS) {
      double sp = Logistic.logOnePlusExp(z);
      assertTrue(Double.isFinite(sp) && sp >= 0, "z=" + z);
      // softplus(z) - softplus(-z) = z
      assertEquals(z, sp - Logistic.logOnePlusExp(-z), 1e-12 * Math.max(1, Math.abs(z)), "z=" + z);
      // softplus(z) = -log(1 - mu(z)) where that is computable accurately
      if (Math.abs(z) <= 20) {
        assertEquals(-Math.log(Logistic.sigmoid(-z)), sp, 1e-12, "z=" + z);
      }
    }
  }

  @Test
  void fisherWeightIsSymmetricBoundedAndMatchesMuOneMinusMu() {
    assertEquals(0.25, Logistic.fisherWeight(0), 0.0);
    assertEquals(0.0, Logistic.fisherWeight(800), 0.0);
    assertEquals(0.0, Logistic.fisherWeight(-800), 0.0);
    double prev = 0.25;
    for (double z = 0; z <= 50; z += 0.25) {
      double w = Logistic.fisherWeight(z);
      assertEquals(w, Logistic.fisherWeight(-z), 0.0, "z=" + z);
      assertTrue(w <= 0.25 && w <= prev, "weight decreases in |z|, z=" + z);
      prev = w;
      if (z <= 20) {
        double mu = Logistic.sigmoid(z);
        assertEquals(mu * (1 - mu), w, 1e-15);
      }
    }
    // Relative accuracy deep in the tail, where mu(1 - mu) computed naively would be 0.
    assertEquals(Math.exp(-40), Logistic.fisherWeight(40), 1e-15 * Math.exp(-40));
  }

  @Test
  void negLogLikelihoodIsStable() {
    assertEquals(0.0, Logistic.negLogLikelihood(800, 1), 0.0);
    assertEquals(800.0, Logistic.negLogLikelihood(800, 0), 0.0);
    assertEquals(800.0, Logistic.negLogLikelihood(-800, 1), 0.0);
    assertEquals(0.0, Logistic.negLogLikelihood(-800, 0), 0.0);
    for (double z : new double[] {-5, -0.7, 0, 0.7, 5}) {
      double mu = Logistic.sigmoid(z);
      assertEquals(-Math.log(mu), Logistic.negLogLikelihood(z, 1), 1e-13);
      assertEquals(-Math.log(1 - mu), Logistic.negLogLikelihood(z, 0), 1e-13);
      assertEquals(-(0.3 * Math.log(mu) + 0.7 * Math.log(1 - mu)), Logistic.negLogLikelihood(z, 0.3), 1e-13);
    }
  }
}
