package org.adpo.model;

import java.util.Arrays;

/**
 * Limited-memory BFGS minimiser for smooth (ideally convex) objectives, for theta fits whose
 * dimension is too large for a dense Newton step. Immutable; configure with the {@code with*}
 * methods.
 *
 * <p><b>Stopping.</b> Converged when ||g(x)||_2 <= gradientTolerance * max(1, |f(x)|), checked at
 * the start and after every step. The relative form makes the test independent of the number of
 * rows in a summed loss (f and g both grow with it). The run also stops, not converged, after
 * maxIterations steps or when the line search cannot make progress (typically at the limit of
 * floating-point precision; then the gradient test decides {@code converged}).
 *
 * <p><b>Direction.</b> Two-loop recursion over the last {@code memory} pairs (s, y), initial
 * inverse Hessian (s.y / y.y) I. A pair with y.s <= 1e-10 ||s|| ||y|| is skipped (keeps the
 * implicit inverse Hessian positive definite). A non-descent direction resets the memory to
 * steepest descent.
 *
 * <p><b>Line search.</b> Backtracking from step 1 (with an empty memory, e.g. the first iteration,
 * the direction is -g and the first trial has length min(1, ||g||)).
 * A trial step a is accepted when (i) the Armijo condition f(a) <= f(0) + 1e-4 a f'(0) holds, or
 * (ii) the approximate Wolfe conditions of Hager and Zhang hold: 0.9 f'(0) <= f'(a) <= -0.9998 f'(0)
 * with f(a) <= f(0) + 1e-10 |f(0)|. (ii) uses the directional derivative, which stays accurate where
 * differences of f drown in rounding (summed losses of 10^5 rows near the optimum). Otherwise the
 * step shrinks to the secant minimiser of the directional derivative, clamped to [0.1 a, 0.5 a]
 * (plain halving when the secant is unusable), at most 60 times.
 */
public final class Lbfgs {
  /** Receives the state after every accepted step. */
  @FunctionalInterface
  public interface Listener {
    void onIteration(int iteration, double value, double gradientNorm, int evaluations);
  }

  private static final double ARMIJO = 1e-4;
  private static final double WOLFE = 0.9;
  private static final double APPROX_EPS = 1e-10;
  private static final int MAX_BACKTRACKS = 60;

  private final int memory;
  private final int maxIterations;
  private final double gradientTolerance;
  private final Listener listener;

  /** Memory 10, at most 500 iterations, gradient tolerance 1e-9. */
  public Lbfgs() {
    this(10, 500, 1e-9, null);
  }

  private Lbfgs(int memory, int maxIterations, double gradientTolerance, Listener listener) {
    if (memory < 1) {
      throw new IllegalArgumentException("memory must be >= 1, got " + memory);
    }
    if (maxIterations < 0) {
      throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
    }
    if (!(gradientTolerance >= 0)) {
      throw new IllegalArgumentException("gradientTolerance must be >= 0, got " + gradientTolerance);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
    this.listener = listener;
  }

  public Lbfgs withMaxIterations(int n) {
    return new Lbfgs(memory, n, gradientTolerance, listener);
  }

  public Lbfgs withGradientTolerance(double tol) {
    return new Lbfgs(memory, maxIterations, tol, listener);
  }

  public Lbfgs withListener(Listener l) {
    return new Lbfgs(memory, maxIterations, gradientTolerance, l);
  }

  public int memory() {
    return memory;
  }

  /** True when ||g||_2 <= gradientTolerance * max(1, |f|). */
  public boolean isConverged(double value, double gradientNorm) {
    return gradientNorm <= gradientTolerance * Math.max(1.0, Math.abs(value));
  }

  /** Minimises {@code f} from {@code x0} (not modified). */
  public FitResult minimize(DifferentiableFunction f, double[] x0) {
    final int n = x0.length;
    double[] x = x0.clone();
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    int evaluations = 1;
    if (!Double.isFinite(fx) || !allFinite(g)) {
      throw new IllegalArgumentException("objective is not finite at the starting point: " + fx);
    }
    double gNorm = norm(g);
    FitTrace.Recorder trace = new FitTrace.Recorder();
    trace.add(fx, gNorm, evaluations);

    double[][] sHist = new double[memory][];
    double[][] yHist = new double[memory][];
    double[] rho = new double[memory];
    double[] alphaTmp = new double[memory];
    int stored = 0; // number of valid pairs
    int newest = -1; // ring-buffer index of the newest pair

    double[] dir = new double[n];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    double[] sSpare = new double[n];
    double[] ySpare = new double[n];
    int iterations = 0;

    while (!isConverged(fx, gNorm) && iterations < maxIterations) {
      // Direction: dir = -H g by the two-loop recursion.
      twoLoop(g, sHist, yHist, rho, alphaTmp, stored, newest, dir);
      double slope = dot(g, dir);
      if (!(slope < 0) || !allFinite(dir)) {
        stored = 0; // not a descent direction: forget the curvature pairs
        for (int i = 0; i < n; i++) {
          dir[i] = -g[i];
        }
        slope = -gNorm * gNorm;
      }
      double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;

      boolean accepted = false;
      double fNew = Double.NaN;
      for (int bt = 0; bt <= MAX_BACKTRACKS; bt++) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * dir[i];
        }
        fNew = f.valueAndGradient(xNew, gNew);
        evaluations++;
        double slopeNew = dot(gNew, dir);
        boolean finite = Double.isFinite(fNew) && Double.isFinite(slopeNew);
        if (finite && fNew <= fx + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        if (finite
            && fNew <= fx + APPROX_EPS * Math.abs(fx)
            && slopeNew >= WOLFE * slope
            && slopeNew <= -(1 - 2 * ARMIJO) * slope) {
          accepted = true;
          break;
        }
        double next = 0.5 * step;
        if (finite && slopeNew > slope) {
          // Zero of the linear interpolant of the directional derivative on [0, step].
          double secant = step * slope / (slope - slopeNew);
          next = Math.max(0.1 * step, Math.min(0.5 * step, secant));
        }
        step = next;
      }
      if (!accepted) {
        if (stored > 0) {
          stored = 0; // retry once from steepest descent before giving up
          continue;
        }
        break;
      }

      // Curvature pair s = xNew - x, y = gNew - g, built in spare arrays so that a skipped pair
      // leaves the stored ones intact.
      double ys = 0, ss = 0, yy = 0;
      for (int i = 0; i < n; i++) {
        sSpare[i] = xNew[i] - x[i];
        ySpare[i] = gNew[i] - g[i];
        ys += ySpare[i] * sSpare[i];
        ss += sSpare[i] * sSpare[i];
        yy += ySpare[i] * ySpare[i];
      }
      if (ys > 1e-10 * Math.sqrt(ss * yy)) {
        int slot = (newest + 1) % memory;
        double[] oldS = sHist[slot];
        double[] oldY = yHist[slot];
        sHist[slot] = sSpare;
        yHist[slot] = ySpare;
        sSpare = oldS != null ? oldS : new double[n];
        ySpare = oldY != null ? oldY : new double[n];
        rho[slot] = 1.0 / ys;
        newest = slot;
        stored = Math.min(stored + 1, memory);
      }

      double[] t = x;
      x = xNew;
      xNew = t;
      t = g;
      g = gNew;
      gNew = t;
      fx = fNew;
      gNorm = norm(g);
      iterations++;
      trace.add(fx, gNorm, evaluations);
      if (listener != null) {
        listener.onIteration(iterations, fx, gNorm, evaluations);
      }
    }
    return new FitResult(x, iterations, evaluations, fx, gNorm, isConverged(fx, gNorm), trace.build());
  }

  private static void twoLoop(
      double[] g, double[][] s, double[][] y, double[] rho, double[] alpha, int stored, int newest, double[] dir) {
    int n = g.length;
    int m = s.length;
    for (int i = 0; i < n; i++) {
      dir[i] = -g[i];
    }
    if (stored == 0) {
      return;
    }
    for (int k = 0; k < stored; k++) {
      int idx = Math.floorMod(newest - k, m);
      alpha[idx] = rho[idx] * dot(s[idx], dir);
      axpy(-alpha[idx], y[idx], dir);
    }
    double[] yNew = y[newest];
    double gamma = 1.0 / (rho[newest] * dot(yNew, yNew)); // s.y / y.y
    for (int i = 0; i < n; i++) {
      dir[i] *= gamma;
    }
    for (int k = stored - 1; k >= 0; k--) {
      int idx = Math.floorMod(newest - k, m);
      double beta = rho[idx] * dot(y[idx], dir);
      axpy(alpha[idx] - beta, s[idx], dir);
    }
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  static double dot(double[] a, double[] b) {
    double acc = 0;
    for (int i = 0; i < a.length; i++) {
      acc += a[i] * b[i];
    }
    return acc;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static boolean allFinite(double[] a) {
    return Arrays.stream(a).allMatch(Double::isFinite);
  }

  @Override
  public String toString() {
    return "Lbfgs[memory=" + memory + ", maxIterations=" + maxIterations
        + ", gradientTolerance=" + gradientTolerance + "]";
  }
}
