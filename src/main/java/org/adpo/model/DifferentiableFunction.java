package org.adpo.model;

/** A smooth objective f: R^n -> R with its gradient, as minimised by {@link Lbfgs}. */
@FunctionalInterface
public interface DifferentiableFunction {
  /**
   * Returns f(x) and writes the gradient of f at x into {@code gradOut} (overwritten, length n).
   * Must not modify {@code x}. May return +Infinity or NaN where f is undefined; the line search
   * then backtracks.
   */
  double valueAndGradient(double[] x, double[] gradOut);
}
