package org.adpo.model;

/**
 * Outcome of a fit of theta.
 *
 * @param theta the minimiser found (defensively copied in and out)
 * @param iterations accepted optimiser steps (Newton or L-BFGS iterations)
 * @param evaluations objective (value + gradient) evaluations, including line-search trials
 * @param loss penalised objective L(theta) + (lambda/2)||theta||^2 at theta
 * @param gradientNorm Euclidean norm of the penalised gradient at theta
 * @param converged whether the optimiser's gradient test passed (see {@link Lbfgs})
 * @param trace the objective and gradient norm at the start and after every step ({@link FitTrace#EMPTY}
 *     when not recorded)
 */
public record FitResult(double[] theta, int iterations, int evaluations, double loss, double gradientNorm,
    boolean converged, FitTrace trace) {

  public FitResult {
    theta = theta.clone();
    trace = trace == null ? FitTrace.EMPTY : trace;
  }

  /** A result without a recorded trace. */
  public FitResult(double[] theta, int iterations, int evaluations, double loss, double gradientNorm,
      boolean converged) {
    this(theta, iterations, evaluations, loss, gradientNorm, converged, FitTrace.EMPTY);
  }

  @Override
  public double[] theta() {
    return theta.clone();
  }

  @Override
  public String toString() {
    return "FitResult[d=" + theta.length + ", iterations=" + iterations + ", evaluations=" + evaluations
        + ", loss=" + loss + ", gradientNorm=" + gradientNorm + ", converged=" + converged + "]";
  }
}
