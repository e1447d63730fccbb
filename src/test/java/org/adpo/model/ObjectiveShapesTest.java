package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The shape checks of the DPO objective and its penalised form, the weighted Gram matrix against
 * sum_i c_i phi_i phi_i^T written out (small integers, so every sum is exact whatever its order),
 * including rows whose products vanish in some columns, and the penalty term against its formula.
 */
class ObjectiveShapesTest {

  @Test
  void weightedGramIsTheSumOfWeightedOuterProductsForEveryRowCount() {
    int d = 5;
    // Columns 0..3: only row r of each group of four is non-zero in column r (one at a time each
    // product vanishes but the others do not); column 4 is zero in every row.
    for (int rows : new int[] {1, 2, 3, 4, 5, 7, 8, 9}) {
      double[] phi = new double[rows * d];
      double[] c = new double[rows];
      for (int i = 0; i < rows; i++) {
        phi[i * d + (i % 4)] = 1 + i;
        phi[i * d + ((i + 1) % 4)] = i % 3 == 0 ? -2 : 0;
        c[i] = 0.5 * (1 + i % 3);
      }
      double[] start = new double[d * d];
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < d; q++) {
          start[p * d + q] = p == q ? 3 : 1; // symmetric on entry: it is added to
        }
      }
      double[] expected = start.clone();
      for (int i = 0; i < rows; i++) {
        for (int p = 0; p < d; p++) {
          for (int q = 0; q < d; q++) {
            expected[p * d + q] += c[i] * phi[i * d + p] * phi[i * d + q];
          }
        }
      }
      double[] out = start.clone();
      DpoObjective.addWeightedGram(phi, rows, d, c, out);
      assertArrayEquals(expected, out, 0.0, "rows = " + rows);
    }
  }

  @Test
  void hessianIsBetaSquaredFisherWeightedGram() {
    double[] phi = {1, 2, 0, -1, 3, 1};
    double[] theta = {0.5, -0.25};
    double[] b = {0.1, -0.2, 0.3};
    double beta = 2;
    double[] h = new double[4];
    DpoObjective.addHessian(phi, 3, 2, b, beta, theta, h);
    double[] expected = new double[4];
    for (int i = 0; i < 3; i++) {
      double z = beta * (phi[2 * i] * theta[0] + phi[2 * i + 1] * theta[1] - b[i]);
      double mu = 1 / (1 + Math.exp(-z));
      for (int p = 0; p < 2; p++) {
        for (int q = 0; q < 2; q++) {
          expected[p * 2 + q] += beta * beta * mu * (1 - mu) * phi[2 * i + p] * phi[2 * i + q];
        }
      }
    }
    assertArrayEquals(expected, h, 1e-14);
  }

  @Test
  void shapesAreCheckedWithTheirNumbers() {
    double[] theta3 = new double[3];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addHessian(new double[5], 2, 3, null, 1, theta3, new double[9]));
    assertTrue(e.getMessage().contains("need rows*d = 6"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addHessian(new double[6], 2, 3, null, 1, theta3, new double[8]));
    assertTrue(e.getMessage().contains("d*d = 9"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addHessian(new double[6], 2, 3, null, 1, new double[2], new double[9]));
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addHessian(new double[6], 2, 3, new double[1], 1, theta3, new double[9]));
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addLossAndGradient(new double[6], -1, 3, null, new double[2], 1, theta3, new double[3]));
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addLossAndGradient(new double[6], 2, 3, null, new double[1], 1, theta3, new double[3]));
    assertThrows(IllegalArgumentException.class,
        () -> DpoObjective.addLossAndGradient(new double[6], 2, 3, null, new double[2], 1, theta3, new double[2]));
    // Longer phi than rows*d is allowed (a reused buffer); zero rows and d = 0 are empty sums.
    double[] g = new double[3];
    assertEquals(0.0, DpoObjective.addLossAndGradient(new double[9], 0, 3, null, new double[0], 1, theta3, g), 0.0);
    assertEquals(2 * Math.log(2), DpoObjective.addLossAndGradient(new double[0], 2, 0, null, new double[] {1, 0}, 1,
        new double[0], new double[0]), 1e-15);
    double[] h = new double[9];
    DpoObjective.addHessian(new double[7], 2, 3, null, 1, theta3, h);
    assertArrayEquals(new double[9], h, 0.0);
  }

  @Test
  void penalisedLossAddsHalfLambdaThetaSquaredAndChecksItsArguments() {
    double[] phi = {1, 0, 0, 2};
    double[] s = {1, 0};
    double[] theta = {0.3, -0.4};
    double lambda = 0.7;
    PenalizedDpoLoss loss = new PenalizedDpoLoss(phi, 2, 2, null, s, 1.5, lambda);
    assertEquals(2, loss.dimension());
    assertEquals(2, loss.rows());
    double[] g = new double[2];
    double v = loss.valueAndGradient(theta, g);
    double z0 = 1.5 * 0.3;
    double z1 = 1.5 * -0.8;
    double nll = Math.log1p(Math.exp(-z0)) + Math.log1p(Math.exp(z1));
    assertEquals(nll + 0.5 * lambda * 0.25, v, 1e-14);
    double mu0 = 1 / (1 + Math.exp(-z0));
    double mu1 = 1 / (1 + Math.exp(-z1));
    assertEquals(lambda * 0.3 + 1.5 * (mu0 - 1), g[0], 1e-14);
    assertEquals(lambda * -0.4 + 1.5 * mu1 * 2, g[1], 1e-14);
    // lambda = 0 is allowed (an unpenalised loss); rows = 0 and d = 0 are empty.
    assertEquals(nll, new PenalizedDpoLoss(phi, 2, 2, null, s, 1.5, 0).valueAndGradient(theta, new double[2]), 1e-14);
    assertEquals(0.0, new PenalizedDpoLoss(new double[0], 0, 2, null, new double[0], 1, 1)
        .valueAndGradient(new double[2], new double[2]), 0.0);
    assertEquals(0, new PenalizedDpoLoss(new double[0], 3, 0, null, new double[3], 1, 1).dimension());
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, 2, 3, null, s, 1, 1));
    assertTrue(shape.getMessage().contains("need rows*d = 6"), shape.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, -1, 2, null, s, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, 2, 2, new double[1], s, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, 2, 2, null, new double[3], 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, 2, 2, null, s, 1, -1e-300));
    assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, 2, 2, null, s, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new PenalizedDpoLoss(phi, 2, 2, null, s, 1, Double.NaN));
  }

  @Test
  void newtonFitChecksLambdaAndStopsAtItsLimits() {
    double[][] phi = {{1, 0}, {0, 1}, {1, 1}};
    double[] s = {1, 0, 1};
    assertThrows(IllegalArgumentException.class, () -> NewtonFit.fit(phi, null, s, 1, 0, 10, 1e-9));
    assertThrows(IllegalArgumentException.class,
        () -> NewtonFit.fit(new double[] {1, 0}, 1, 2, null, new double[] {1}, 1, 0, 10, 1e-9));
    assertThrows(IllegalArgumentException.class,
        () -> NewtonFit.penalizedHessianInverse(phi, null, 1, 0, new double[2]));
    FitResult none = NewtonFit.fit(phi, null, s, 1, 0.5, 0, 1e-9);
    assertEquals(0, none.iterations());
    assertEquals(1, none.evaluations());
    assertArrayEquals(new double[2], none.theta(), 0.0);
    // One Newton step from 0 on this problem: theta_1 = -H(0)^-1 g(0), accepted at full length.
    FitResult one = NewtonFit.fit(phi, null, s, 1, 0.5, 1, 1e-9);
    assertEquals(1, one.iterations());
    assertEquals(2, one.evaluations());
    // g(0) = sum_i (1/2 - s_i) phi_i over rows (1,0) s=1, (0,1) s=0, (1,1) s=1; H(0) = sum phi phi^T / 4 + lambda I.
    double[] g0 = {-0.5 + -0.5, 0.5 - 0.5};
    double[][] h0 = {{0.25 * 2 + 0.5, 0.25}, {0.25, 0.25 * 2 + 0.5}};
    double det = h0[0][0] * h0[1][1] - h0[0][1] * h0[1][0];
    double[] step = {(h0[1][1] * g0[0] - h0[0][1] * g0[1]) / det, (-h0[1][0] * g0[0] + h0[0][0] * g0[1]) / det};
    assertEquals(-step[0], one.theta()[0], 1e-14);
    assertEquals(-step[1], one.theta()[1], 1e-14);
    // Converged at the start (tolerance huge): no step.
    FitResult done = NewtonFit.fit(phi, null, s, 1, 0.5, 10, 1e3);
    assertEquals(0, done.iterations());
    assertTrue(done.converged());
    FitResult full = NewtonFit.fit(phi, null, s, 1, 0.5, 50, 1e-12);
    assertTrue(full.converged());
    assertTrue(full.gradientNorm() <= 1e-12 * Math.max(1, Math.abs(full.loss())));
    String text = full.toString();
    assertTrue(text.contains("d=2") && text.contains("converged=true"), text);
  }
  @Test
  void newtonHalvesAnOvershootingStepAndStopsAtTheRelativeTolerance() {
    // Two rows with the same phi = 1 and b = 4, labels 1 and 0: f(theta) = 2 log cosh((theta - 4) / 2)
    // + const + lambda theta^2 / 2. From 0 the full Newton step lands far beyond 4 (Newton on log cosh
    // diverges from |u| > 1.09), so the step must be halved. The minimiser solves 2 mu(theta - 4) - 1 +
    // lambda theta = 0, found here by bisection.
    double[][] phi = {{1}, {1}};
    double[] b = {4, 4};
    double[] s = {1, 0};
    double lambda = 1e-3;
    FitResult r = NewtonFit.fit(phi, b, s, 1, lambda, 100, 1e-12);
    assertTrue(r.converged(), r.toString());
    assertTrue(r.evaluations() > r.iterations() + 1, "some step was halved: " + r);
    double lo = 0;
    double hi = 8;
    for (int i = 0; i < 200; i++) {
      double mid = 0.5 * (lo + hi);
      double g = 2 / (1 + Math.exp(-(mid - 4))) - 1 + lambda * mid;
      if (g > 0) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    assertEquals(0.5 * (lo + hi), r.theta()[0], 1e-9);
    double[] loss = r.trace().loss();
    for (int i = 1; i < loss.length; i++) {
      assertTrue(loss[i] <= loss[i - 1], "the objective never rises");
    }
    assertFalse(r.trace().isEmpty());
    assertTrue(FitTrace.EMPTY.isEmpty());
    assertEquals(r.iterations() + 1, r.trace().size());
  }

  @Test
  void newtonsStoppingTestIsRelativeToTheObjective() {
    // At theta = 0: f = 3 log 2 = 2.079 and |g| = 1 (rows (1,0) s=1, (0,1) s=0, (1,1) s=1). With
    // tolerance 0.7 the test 1 <= 0.7 max(1, f) holds (no step); with 0.4 it does not.
    double[][] phi = {{1, 0}, {0, 1}, {1, 1}};
    double[] s = {1, 0, 1};
    FitResult stop = NewtonFit.fit(phi, null, s, 1, 0.5, 10, 0.7);
    assertEquals(0, stop.iterations());
    assertTrue(stop.converged());
    assertEquals(3 * Math.log(2), stop.loss(), 1e-15);
    assertEquals(1.0, stop.gradientNorm(), 1e-15);
    FitResult step = NewtonFit.fit(phi, null, s, 1, 0.5, 1, 0.4);
    assertEquals(1, step.iterations());
    // Capped at one step, converged is the same relative test at the result.
    assertEquals(step.gradientNorm() <= 0.4 * Math.max(1, Math.abs(step.loss())), step.converged());
  }

  @Test
  void oneSigmaHatInversionForPoolAndPickHessians() {
    // H = sum_i w_i phi_i phi_i^T at theta = (0.3, -0.2) with b = 0, beta = 1, worked out here: w = mu(z)(1 - mu(z)).
    double[][] phi = {{1, 0}, {0, 2}, {1, -1}};
    double[] theta = {0.3, -0.2};
    double lambda = 0.5;
    double[] h = new double[4];
    for (double[] p : phi) {
      double z = p[0] * theta[0] + p[1] * theta[1];
      double mu = 1 / (1 + Math.exp(-z));
      double w = mu * (1 - mu);
      h[0] += w * p[0] * p[0];
      h[1] += w * p[0] * p[1];
      h[2] += w * p[1] * p[0];
      h[3] += w * p[1] * p[1];
    }
    double[] before = h.clone();
    double[] inv = NewtonFit.penalizedInverse(h, 2, lambda);
    assertArrayEquals(before, h, 0.0, "the Hessian given is left as it was");
    // (H + lambda I)^-1 of a 2 x 2 by its adjugate.
    double a = h[0] + lambda;
    double bb = h[1];
    double c = h[3] + lambda;
    double det = a * c - bb * bb;
    assertArrayEquals(new double[] {c / det, -bb / det, -bb / det, a / det}, inv, 1e-12);
    assertEquals(inv[1], inv[2], 0.0, "exactly symmetric");
    // The picks' form goes through the same inversion, so the two agree bit for bit on the same H.
    double[][] fromPicks = NewtonFit.penalizedHessianInverse(phi, null, 1, lambda, theta);
    double[] again = NewtonFit.penalizedInverse(flatHessian(phi, theta), 2, lambda);
    assertArrayEquals(again, new double[] {fromPicks[0][0], fromPicks[0][1], fromPicks[1][0], fromPicks[1][1]}, 0.0);
    assertThrows(IllegalArgumentException.class, () -> NewtonFit.penalizedInverse(h, 2, 0));
    assertThrows(ArithmeticException.class, () -> NewtonFit.penalizedInverse(new double[] {-1, 0, 0, -1}, 2, 0.5));
  }

  private static double[] flatHessian(double[][] phi, double[] theta) {
    double[] h = new double[theta.length * theta.length];
    DpoObjective.addHessian(PenalizedDpoLoss.flatten(phi, theta.length), phi.length, theta.length, null, 1, theta, h);
    return h;
  }
}
