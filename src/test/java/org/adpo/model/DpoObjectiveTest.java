package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DpoObjectiveTest {
  private static final double BETA = 1.7;

  private static double[] randomVector(SplittableRandom rnd, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * SimulatedDpoData.gaussian(rnd);
    }
    return v;
  }

  @Test
  void lossAndGradientMatchTheDefinitionAndFiniteDifferences() {
    SimulatedDpoData data = SimulatedDpoData.generate(3, 7, 5, 2.0, 0.8, 0.5, BETA);
    double[] phi = data.flatPhi();
    double[] theta = randomVector(new SplittableRandom(5), 5, 1.0);
    double[] grad = new double[5];
    java.util.Arrays.fill(grad, 1.0); // must be added to, not overwritten
    double loss = DpoObjective.addLossAndGradient(phi, 7, 5, data.b, data.s, BETA, theta, grad);

    double expected = 0;
    for (int i = 0; i < 7; i++) {
      double z = BETA * (DpoObjective.dot(phi, i * 5, theta, 5) - data.b[i]);
      double mu = 1 / (1 + Math.exp(-z));
      expected -= data.s[i] * Math.log(mu) + (1 - data.s[i]) * Math.log(1 - mu);
    }
    assertEquals(expected, loss, 1e-12);

    double h = 1e-6;
    for (int j = 0; j < 5; j++) {
      double[] tp = theta.clone();
      double[] tm = theta.clone();
      tp[j] += h;
      tm[j] -= h;
      double fd = (DpoObjective.addLossAndGradient(phi, 7, 5, data.b, data.s, BETA, tp, new double[5])
          - DpoObjective.addLossAndGradient(phi, 7, 5, data.b, data.s, BETA, tm, new double[5])) / (2 * h);
      assertEquals(fd + 1.0, grad[j], 1e-7, "gradient " + j);
    }
  }

  @Test
  void hessianIsTheJacobianOfTheGradientAndIsAdded() {
    SimulatedDpoData data = SimulatedDpoData.generate(4, 9, 6, 2.0, 0.8, 0.5, BETA);
    double[] phi = data.flatPhi();
    double[] theta = randomVector(new SplittableRandom(6), 6, 1.0);
    double[] hess = new double[36];
    for (int p = 0; p < 6; p++) {
      hess[p * 6 + p] = 2.0; // symmetric start value, must be kept
    }
    DpoObjective.addHessian(phi, 9, 6, data.b, BETA, theta, hess);
    double h = 1e-6;
    for (int q = 0; q < 6; q++) {
      double[] tp = theta.clone();
      double[] tm = theta.clone();
      tp[q] += h;
      tm[q] -= h;
      double[] gp = new double[6];
      double[] gm = new double[6];
      DpoObjective.addLossAndGradient(phi, 9, 6, data.b, data.s, BETA, tp, gp);
      DpoObjective.addLossAndGradient(phi, 9, 6, data.b, data.s, BETA, tm, gm);
      for (int p = 0; p < 6; p++) {
        double fd = (gp[p] - gm[p]) / (2 * h) + (p == q ? 2.0 : 0.0);
        assertEquals(fd, hess[p * 6 + q], 1e-7, "H[" + p + "][" + q + "]");
        assertEquals(hess[p * 6 + q], hess[q * 6 + p], 0.0, "symmetric");
      }
    }
  }

  @Test
  void nullOffsetMeansZeroAndRowsAreAdditive() {
    SimulatedDpoData data = SimulatedDpoData.generate(8, 10, 3, 1.0, 1.0, 0.0, BETA);
    double[] phi = data.flatPhi();
    double[] theta = {0.3, -0.2, 0.9};
    double[] g1 = new double[3];
    double[] g2 = new double[3];
    double l1 = DpoObjective.addLossAndGradient(phi, 10, 3, null, data.s, BETA, theta, g1);
    double l2 = DpoObjective.addLossAndGradient(phi, 10, 3, new double[10], data.s, BETA, theta, g2);
    assertEquals(l1, l2, 0.0);
    // Splitting rows into two blocks gives the same sums (what the distributed fit relies on).
    double[] g3 = new double[3];
    double l3 = DpoObjective.addLossAndGradient(phi, 4, 3, null, data.s, BETA, theta, g3)
        + DpoObjective.addLossAndGradient(
            java.util.Arrays.copyOfRange(phi, 12, 30), 6, 3, null,
            java.util.Arrays.copyOfRange(data.s, 4, 10), BETA, theta, g3);
    assertEquals(l1, l3, 1e-12);
    for (int j = 0; j < 3; j++) {
      assertEquals(g1[j], g2[j], 0.0);
      assertEquals(g1[j], g3[j], 1e-12);
    }
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addLossAndGradient(new double[5], 2, 3, null, new double[2], 1, new double[3], new double[3]));
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addHessian(new double[6], 2, 3, null, 1, new double[3], new double[8]));
  }
}
