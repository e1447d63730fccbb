package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LbfgsTest {
  /** f(x) = 1/2 sum_i c_i (x_i - a_i)^2 + sum_{i} 0.3 (x_i - a_i)(x_{i+1} - a_{i+1}), condition ~ 1e3. */
  private static DifferentiableFunction quadratic(double[] a, double[] c) {
    int n = a.length;
    return (x, g) -> {
      double f = 0;
      for (int i = 0; i < n; i++) {
        g[i] = c[i] * (x[i] - a[i]);
        f += 0.5 * c[i] * (x[i] - a[i]) * (x[i] - a[i]);
      }
      for (int i = 0; i + 1 < n; i++) {
        double u = x[i] - a[i];
        double v = x[i + 1] - a[i + 1];
        f += 0.3 * u * v;
        g[i] += 0.3 * v;
        g[i + 1] += 0.3 * u;
      }
      return f;
    };
  }

  @Test
  void minimisesAnIllConditionedQuadratic() {
    int n = 30;
    double[] a = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = Math.sin(i + 1.0) * 3;
      c[i] = Math.pow(10, 3.0 * i / (n - 1)); // 1 .. 1e3
    }
    c[0] = 1.0; // keep the coupled matrix positive definite (0.3 + 0.3 < 1)
    c[1] = 1.0;
    // Tolerance 1e-9 (absolute here, |f| < 1): well above the rounding level of g (~1e3 * 3 * 1e-16).
    FitResult r = new Lbfgs().withGradientTolerance(1e-9).withMaxIterations(2000)
        .minimize(quadratic(a, c), new double[n]);
    assertTrue(r.converged(), r.toString());
    assertEquals(0.0, r.loss(), 1e-15);
    double[] x = r.theta();
    for (int i = 0; i < n; i++) {
      assertEquals(a[i], x[i], 1e-8, "coordinate " + i);
    }
    assertTrue(r.gradientNorm() <= 1e-9);
  }

  /** Extended Rosenbrock, minimum 0 at (1, ..., 1): curved valley, not convex. */
  private static double rosenbrock(double[] x, double[] g) {
    double f = 0;
    java.util.Arrays.fill(g, 0);
    for (int i = 0; i + 1 < x.length; i++) {
      double t1 = x[i + 1] - x[i] * x[i];
      double t2 = 1 - x[i];
      f += 100 * t1 * t1 + t2 * t2;
      g[i] += -400 * x[i] * t1 - 2 * t2;
      g[i + 1] += 200 * t1;
    }
    return f;
  }

  @Test
  void minimisesRosenbrock() {
    double[] x0 = new double[10];
    for (int i = 0; i < x0.length; i++) {
      x0[i] = i % 2 == 0 ? -1.2 : 1.0;
    }
    FitResult r = new Lbfgs().withGradientTolerance(1e-10).minimize(LbfgsTest::rosenbrock, x0);
    assertTrue(r.converged(), r.toString());
    for (double v : r.theta()) {
      assertEquals(1.0, v, 1e-7);
    }
    assertTrue(r.loss() < 1e-14);
  }

  /** Smooth strictly convex, non-quadratic: sum log cosh(x_i - i) + 0.01 ||x||^2 / 2 (flat far away). */
  @Test
  void minimisesAFlatConvexFunctionFromFarAway() {
    int n = 5;
    DifferentiableFunction f = (x, g) -> {
      double v = 0;
      for (int i = 0; i < n; i++) {
        double u = x[i] - i;
        // log cosh u = |u| + log1p(e^{-2|u|}) - log 2, stable for large |u|
        v += Math.abs(u) + Math.log1p(Math.exp(-2 * Math.abs(u))) - Math.log(2) + 0.005 * x[i] * x[i];
        g[i] = Math.tanh(u) + 0.01 * x[i];
      }
      return v;
    };
    double[] x0 = {1e4, -1e4, 500, 0, -3};
    List<Double> values = new ArrayList<>();
    FitResult r = new Lbfgs()
        .withGradientTolerance(1e-12)
        .withListener((it, value, gn, ev) -> values.add(value))
        .minimize(f, x0);
    assertTrue(r.converged(), r.toString());
    // Stationarity: tanh(x_i - i) = -0.01 x_i; check via the gradient itself at the result.
    double[] g = new double[n];
    f.valueAndGradient(r.theta(), g);
    for (double gi : g) {
      assertEquals(0.0, gi, 1e-11);
    }
    for (int i = 1; i < values.size(); i++) {
      assertTrue(values.get(i) <= values.get(i - 1) + 1e-10 * Math.abs(values.get(i - 1)), "monotone decrease");
    }
    assertEquals(r.iterations(), values.size());
  }

  @Test
  void stopsAtTheIterationCapWithoutClaimingConvergence() {
    double[] x0 = {-1.2, 1.0};
    FitResult r = new Lbfgs().withMaxIterations(3).minimize(LbfgsTest::rosenbrock, x0);
    assertEquals(3, r.iterations());
    assertFalse(r.converged());
    assertTrue(r.evaluations() >= 4);
  }

  @Test
  void startingAtTheMinimumTakesNoStep() {
    FitResult r = new Lbfgs().minimize(LbfgsTest::rosenbrock, new double[] {1, 1, 1});
    assertTrue(r.converged());
    assertEquals(0, r.iterations());
    assertEquals(1, r.evaluations());
    assertEquals(0.0, r.gradientNorm(), 0.0);
  }

  @Test
  void backtracksOutOfUndefinedRegions() {
    // f(x) = -log(x) + 100 x, minimum at 0.01, +Infinity for x <= 0. From 0.5 the gradient is 98, so
    // the first trial step (length 1 along -g) lands at -0.5 and must be backtracked.
    int[] undefinedTrials = {0};
    DifferentiableFunction f = (x, g) -> {
      if (x[0] <= 0) {
        undefinedTrials[0]++;
        g[0] = Double.NaN;
        return Double.POSITIVE_INFINITY;
      }
      g[0] = -1 / x[0] + 100;
      return -Math.log(x[0]) + 100 * x[0];
    };
    FitResult r = new Lbfgs().withGradientTolerance(1e-12).minimize(f, new double[] {0.5});
    assertTrue(r.converged(), r.toString());
    assertEquals(0.01, r.theta()[0], 1e-12);
    assertTrue(undefinedTrials[0] >= 1);
  }
}
