package org.adpo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L-BFGS step by step against values worked out from its documented rules: the settings' checks,
 * the stopping test, the trial points of the backtracking line search on one-dimensional quadratics
 * (where the secant step of the directional derivative is the exact minimiser), and the
 * two-loop direction against the BFGS inverse-Hessian update written as matrices.
 */
class LbfgsStepTest {

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs().withMaxIterations(-1));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs().withGradientTolerance(-1e-12));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs().withGradientTolerance(Double.NaN));
    assertEquals(10, new Lbfgs().memory());
    // The limits themselves are allowed: no step at all, and an exact-zero gradient tolerance.
    FitResult none = new Lbfgs().withMaxIterations(0).minimize(quadratic(100, 0.3), new double[] {0});
    assertEquals(0, none.iterations());
    assertEquals(1, none.evaluations());
    assertFalse(none.converged());
    assertEquals(0.0, none.theta()[0], 0.0);
    FitResult exact = new Lbfgs().withGradientTolerance(0).withMaxIterations(5)
        .minimize(quadratic(100, 0.3), new double[] {0});
    assertEquals(0.3, exact.theta()[0], 1e-15);
    String s = new Lbfgs().withMaxIterations(7).toString();
    assertTrue(s.contains("maxIterations=7") && s.contains("memory=10"), s);
  }

  @Test
  void convergenceIsTheRelativeGradientTestInclusive() {
    Lbfgs l = new Lbfgs().withGradientTolerance(0.5);
    assertTrue(l.isConverged(4, 2.0), "|g| = tol |f| exactly counts as converged");
    assertFalse(l.isConverged(4, 2.0000001));
    assertTrue(l.isConverged(-4, 2.0), "|f|, not f");
    assertTrue(l.isConverged(0.25, 0.5), "max(1, |f|)");
    assertFalse(l.isConverged(0.25, 0.5000001));
  }

  /** f(x) = c/2 ((x - a)^2 - a^2): f(0) = 0, minimum at a. */
  private static DifferentiableFunction quadratic(double c, double a) {
    return (x, g) -> {
      g[0] = c * (x[0] - a);
      return 0.5 * c * ((x[0] - a) * (x[0] - a) - a * a);
    };
  }

  private static List<Double> trialPoints(double c, double a) {
    List<Double> xs = new ArrayList<>();
    DifferentiableFunction f = quadratic(c, a);
    new Lbfgs().withMaxIterations(1).minimize((x, g) -> {
      xs.add(x[0]);
      return f.valueAndGradient(x, g);
    }, new double[] {0});
    return xs;
  }

  @Test
  void theLineSearchBacktracksBySecantStepsClampedToATenthAndAHalf() {
    // From x = 0 the gradient is -c a, the direction c a, and with no memory the first trial has
    // length min(1, |g|) = 1 (c a > 1): the trial point is x = 1. On a quadratic the secant step of
    // the directional derivative lands on a, so x_2 = a unless the clamp to [0.1, 0.5] x_1 applies.
    // a = 0.3: f(1) = 20 > 0 is rejected; secant -> 0.3, inside the clamp, accepted (f < 0).
    assertPoints(List.of(0.0, 1.0, 0.3), trialPoints(100, 0.3));
    // a = 0.05: the secant (0.05) is below 0.1 x_1, so x_2 = 0.1, where f = 0 = f(0): neither
    // Armijo nor the approximate Wolfe test holds (f'(0.1) = -f'(0)), and the next secant, half way,
    // lands on 0.05 (inside [0.01, 0.05]).
    assertPoints(List.of(0.0, 1.0, 0.1, 0.05), trialPoints(100, 0.05));
    // a = 0.50001: f(1) = -0.001 misses Armijo's 1e-4 * 1 * f'(0) = -0.005 and the Wolfe window
    // (f'(1) = 0.99996 |f'(0)| > 0.9998 |f'(0)|); the secant 0.50001 is clamped to 0.5, accepted.
    assertPoints(List.of(0.0, 1.0, 0.5), trialPoints(100, 0.50001));
    // a = 0.6: f(1) = -10 <= -0.006: the first trial is accepted.
    assertPoints(List.of(0.0, 1.0), trialPoints(100, 0.6));
    // c a < 1: the first trial is the whole gradient step, x = c a; here c = 1, a = 0.5: x = 0.5 = a.
    assertPoints(List.of(0.0, 0.5), trialPoints(1, 0.5));
  }

  private static void assertPoints(List<Double> expected, List<Double> got) {
    assertEquals(expected.size(), got.size(), "trial points " + got);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), got.get(i), 1e-12, "trial " + i + " of " + got);
    }
  }

  @Test
  void aNonFiniteTrialIsHalved() {
    // f = +Infinity for x > 0.2 (g NaN); f = (x - 0.15)^2 * 50 - 50 * 0.15^2 below. From 0 the
    // first trial is x = 1 (undefined), then plain halving: 0.5, 0.25 (undefined), 0.125 (accepted).
    List<Double> xs = new ArrayList<>();
    new Lbfgs().withMaxIterations(1).minimize((x, g) -> {
      xs.add(x[0]);
      if (x[0] > 0.2) {
        g[0] = Double.NaN;
        return Double.POSITIVE_INFINITY;
      }
      g[0] = 100 * (x[0] - 0.15);
      return 50 * ((x[0] - 0.15) * (x[0] - 0.15) - 0.15 * 0.15);
    }, new double[] {0});
    assertPoints(List.of(0.0, 1.0, 0.5, 0.25, 0.125), xs);
  }

  @Test
  void theTwoLoopDirectionIsTheBfgsUpdateOfTheScaledIdentity() {
    // f(x) = 1/2 x^T A x - q^T x in 3 dimensions; record every evaluation and which were accepted.
    double[][] a = {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}};
    double[] q = {1, -2, 0.5};
    List<double[]> points = new ArrayList<>();
    List<double[]> grads = new ArrayList<>();
    DifferentiableFunction f = (x, g) -> {
      double v = 0;
      for (int i = 0; i < 3; i++) {
        double ax = 0;
        for (int j = 0; j < 3; j++) {
          ax += a[i][j] * x[j];
        }
        g[i] = ax - q[i];
        v += 0.5 * x[i] * ax - q[i] * x[i];
      }
      points.add(x.clone());
      grads.add(g.clone());
      return v;
    };
    List<Integer> accepted = new ArrayList<>();
    new Lbfgs().withMaxIterations(4).withGradientTolerance(0)
        .withListener((it, value, gn, ev) -> accepted.add(ev - 1)).minimize(f, new double[] {2, -1, 3});
    assertTrue(accepted.size() >= 3, "iterations " + accepted.size());
    // Iterations 2 and 3 start with a memory of one and two pairs: their first trial is x_k - H_k g_k
    // (step 1), H_k the BFGS update of (s.y / y.y) I (newest pair) by the pairs oldest first.
    List<double[]> s = new ArrayList<>();
    List<double[]> y = new ArrayList<>();
    int prev = 0;
    for (int it = 0; it + 1 < accepted.size() && it < 3; it++) {
      int cur = accepted.get(it);
      s.add(sub(points.get(cur), points.get(prev)));
      y.add(sub(grads.get(cur), grads.get(prev)));
      double[] sn = s.get(s.size() - 1);
      double[] yn = y.get(y.size() - 1);
      double gamma = dot(sn, yn) / dot(yn, yn);
      double[][] h = {{gamma, 0, 0}, {0, gamma, 0}, {0, 0, gamma}};
      for (int p = 0; p < s.size(); p++) {
        h = bfgs(h, s.get(p), y.get(p));
      }
      double[] g = grads.get(cur);
      double[] expected = new double[3];
      for (int i = 0; i < 3; i++) {
        expected[i] = points.get(cur)[i];
        for (int j = 0; j < 3; j++) {
          expected[i] -= h[i][j] * g[j];
        }
      }
      double[] trial = points.get(cur + 1);
      for (int i = 0; i < 3; i++) {
        assertEquals(expected[i], trial[i], 1e-12, "iteration " + (it + 2) + ", coordinate " + i);
      }
      prev = cur;
    }
  }

  /**
   * A scripted objective for the line search: f(0) = f0 with g(0) = -1 (so the slope is -1 and the
   * first trial, of length min(1, 1/|g|) = 1, is x = 1), (f1, g1) at x = 1, and f = f0 + 1 with g = 0.5
   * anywhere else (rejected by both tests). Returns the trial points of the first iteration.
   */
  private static List<Double> scripted(double f0, double f1, double g1) {
    return scripted(f0, -1, f1, g1);
  }

  /** The same with g(0) = g0 < -1: the first trial has length 1 / |g0|, so it is again x = 1. */
  private static List<Double> scripted(double f0, double g0, double f1, double g1) {
    List<Double> xs = new ArrayList<>();
    new Lbfgs().withMaxIterations(1).minimize((x, g) -> {
      xs.add(x[0]);
      if (x[0] == 0) {
        g[0] = g0;
        return f0;
      }
      if (x[0] == 1) {
        g[0] = g1;
        return f1;
      }
      g[0] = 0.5;
      return f0 + 1;
    }, new double[] {0});
    return xs;
  }

  @Test
  void theApproximateWolfeTestAcceptsExactlyItsWindow() {
    // Armijo needs f(1) <= f0 - 1e-4; every case below has f(1) above that, so only the approximate
    // Wolfe conditions can accept: f(1) <= f0 + 1e-10 |f0| and 0.9 f'(0) <= f'(1) <= -0.9998 f'(0).
    double f0 = 1;
    double top = f0 + 1e-10 * Math.abs(f0);
    assertPoints(List.of(0.0, 1.0), scripted(f0, f0, 0.0));
    assertPoints(List.of(0.0, 1.0), scripted(f0, top, 0.0));
    assertTrue(scripted(f0, Math.nextUp(top), 0.0).size() > 2, "f(1) above the window: rejected");
    assertPoints(List.of(0.0, 1.0), scripted(f0, f0, 0.9 * -1));
    assertTrue(scripted(f0, f0, Math.nextDown(0.9 * -1)).size() > 2, "slope below 0.9 f'(0): rejected");
    assertPoints(List.of(0.0, 1.0), scripted(f0, f0, -(1 - 2 * 1e-4) * -1));
    assertTrue(scripted(f0, f0, Math.nextUp(-(1 - 2 * 1e-4) * -1)).size() > 2, "slope above the window: rejected");
    // |f0|, not f0: with f0 = -1 the window still reaches above f0.
    assertPoints(List.of(0.0, 1.0), scripted(-1, -1 + 1e-10, 0.0));
    // Armijo's own boundary: f(1) = f0 + 1e-4 * 1 * (-1) is accepted even with a slope outside the window.
    assertPoints(List.of(0.0, 1.0), scripted(f0, f0 + 1e-4 * 1 * -1, 5.0));
    assertTrue(scripted(f0, Math.nextUp(f0 + 1e-4 * 1 * -1), 5.0).size() > 2);
  }

  @Test
  void theWolfeWindowScalesWithTheSlopeAndTheObjective() {
    // f0 = 4, g0 = -2: direction 2, slope -4, step 1/2. The window is f(1) <= 4 + 4e-10 and
    // -3.6 <= f'(1) = 2 g1 <= 3.9992 (0.9 and 0.9998 times |slope|, not divided by it).
    double f0 = 4;
    double slope = -4;
    assertPoints(List.of(0.0, 1.0), scripted(f0, -2, f0 + 1e-10 * Math.abs(f0), 0.0));
    assertTrue(scripted(f0, -2, Math.nextUp(f0 + 1e-10 * Math.abs(f0)), 0.0).size() > 2);
    assertPoints(List.of(0.0, 1.0), scripted(f0, -2, f0, 0.9 * slope / 2));
    assertTrue(scripted(f0, -2, f0, Math.nextDown(0.9 * slope / 2)).size() > 2);
    assertPoints(List.of(0.0, 1.0), scripted(f0, -2, f0, -(1 - 2 * 1e-4) * slope / 2));
    assertTrue(scripted(f0, -2, f0, Math.nextUp(-(1 - 2 * 1e-4) * slope / 2)).size() > 2);
  }

  @Test
  void anEqualSlopeAtTheTrialHalvesTheStep() {
    // f'(1) = f'(0): the secant is unusable (no zero of the interpolant), so the next trial is 0.5.
    assertPoints(List.of(0.0, 1.0, 0.5), scripted(1, 2, -1.0).subList(0, 3));
  }

  @Test
  void aStartWithANonFiniteGradientIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs().minimize((x, g) -> {
      g[0] = Double.NaN;
      return 0;
    }, new double[] {0}));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs().minimize((x, g) -> {
      g[0] = 1;
      return Double.POSITIVE_INFINITY;
    }, new double[] {0}));
  }

  @Test
  void aLineSearchThatFindsNothingTriesSixtyOneStepsAndRetriesOnceFromSteepestDescent() {
    // Undefined everywhere but the start: one evaluation, 61 trials (steps 1, 1/2, ... 2^-60), no step.
    int[] calls = {0};
    FitResult r = new Lbfgs().minimize((x, g) -> {
      calls[0]++;
      if (x[0] == 3) {
        g[0] = 1;
        return 0;
      }
      g[0] = Double.NaN;
      return Double.POSITIVE_INFINITY;
    }, new double[] {3});
    assertEquals(0, r.iterations());
    assertEquals(62, r.evaluations());
    assertEquals(62, calls[0]);
    assertFalse(r.converged());
    assertEquals(3.0, r.theta()[0], 0.0);
    // One good step on a quadratic, then nothing is defined any more: the second iteration's search
    // with the stored pair fails (61 trials), the retry from steepest descent fails too (61 more).
    int[] n = {0};
    FitResult s = new Lbfgs().minimize((x, g) -> {
      n[0]++;
      if (n[0] <= 2) {
        g[0] = 4 * (x[0] - 0.8); // the first trial, x = 1, passes Armijo
        return 2 * (x[0] - 0.8) * (x[0] - 0.8);
      }
      g[0] = Double.NaN;
      return Double.POSITIVE_INFINITY;
    }, new double[] {0});
    assertEquals(1, s.iterations());
    assertEquals(2 + 61 + 61, s.evaluations());
  }

  /** H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T. */
  private static double[][] bfgs(double[][] h, double[] s, double[] y) {
    int n = s.length;
    double rho = 1 / dot(y, s);
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        v[i][j] = (i == j ? 1 : 0) - rho * y[i] * s[j];
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double acc = rho * s[i] * s[j];
        for (int p = 0; p < n; p++) {
          for (int r = 0; r < n; r++) {
            acc += v[p][i] * h[p][r] * v[r][j];
          }
        }
        out[i][j] = acc;
      }
    }
    return out;
  }

  private static double[] sub(double[] x, double[] y) {
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      r[i] = x[i] - y[i];
    }
    return r;
  }

  private static double dot(double[] x, double[] y) {
    double r = 0;
    for (int i = 0; i < x.length; i++) {
      r += x[i] * y[i];
    }
    return r;
  }
}
