package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The optimisers record their path: the start, then one point per accepted step, ending at the result. */
class FitTraceTest {
  private static final DifferentiableFunction BOWL = (x, g) -> {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      double c = 1 + 10 * i;
      g[i] = c * (x[i] - 1) + 0.1 * Math.sinh(x[i] - 1);
      f += 0.5 * c * (x[i] - 1) * (x[i] - 1) + 0.1 * (Math.cosh(x[i] - 1) - 1);
    }
    return f;
  };

  @Test
  void lbfgsRecordsEveryIteration() {
    FitResult r = new Lbfgs().withGradientTolerance(1e-10).minimize(BOWL, new double[5]);
    check(r);
  }

  @Test
  void newtonRecordsEveryIteration() {
    double[][] phi = {{1, 0}, {0, 1}, {1, 1}, {1, -1}, {0.5, 2}};
    FitResult r = NewtonFit.fit(phi, new double[] {0, 0, 0, 0, 0}, new double[] {1, 0, 1, 1, 0}, 1.0, 1.0, 50, 1e-10);
    check(r);
  }

  private static void check(FitResult r) {
    FitTrace t = r.trace();
    assertTrue(r.iterations() >= 2, r.toString());
    assertEquals(r.iterations() + 1, t.size(), "start + one point per iteration");
    assertEquals(r.loss(), t.loss()[t.size() - 1], 0.0, "ends at the result");
    assertEquals(r.gradientNorm(), t.gradientNorm()[t.size() - 1], 0.0);
    assertEquals(r.evaluations(), t.evaluations()[t.size() - 1]);
    assertEquals(1, t.evaluations()[0]);
    for (int i = 1; i < t.size(); i++) {
      assertTrue(t.loss()[i] <= t.loss()[i - 1], "accepted steps do not increase the loss");
      assertTrue(t.evaluations()[i] > t.evaluations()[i - 1]);
    }
    assertEquals(t.size(), t.gradientNorm().length);
  }
}
