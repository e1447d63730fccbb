package org.adpo.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Dense Newton fit of theta for small d (the penalised Hessian is d x d and factorised by
 * Cholesky every step), and the inverse penalised Hessian Sigma_hat of docs/method.md.
 *
 * <p>Each step solves (lambda I + beta^2 sum w_i phi_i phi_i^T) p = g and tries theta - p, halving
 * the step while the objective increases (at most 40 halvings; an increase within
 * 1e-12 max(1,|f|), i.e. rounding, is accepted). Stops when ||g||_2 <= gradientTolerance * max(1, |f|),
 * the same test as {@link Lbfgs}.
 */
public final class NewtonFit {
  private static final int MAX_HALVINGS = 40;

  private NewtonFit() {}

  /**
   * Minimises L(theta) + (lambda/2)||theta||^2 from theta = 0.
   *
   * @param phi n rows of d feature differences
   * @param b reference log-ratios (length n), or null for all 0
   * @param s labels in [0, 1]
   * @param lambda L2 penalty, > 0
   */
  public static FitResult fit(
      double[][] phi, double[] b, double[] s, double beta, double lambda, int maxIterations, double gradientTolerance) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
    }
    int n = phi.length;
    int d = n == 0 ? 0 : phi[0].length;
    return fit(PenalizedDpoLoss.flatten(phi, d), n, d, b, s, beta, lambda, maxIterations, gradientTolerance);
  }

  /** The same on rows given row-major in one array ({@code n * d} entries). */
  public static FitResult fit(double[] flat, int n, int d, double[] b, double[] s, double beta, double lambda,
      int maxIterations, double gradientTolerance) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
    }
    PenalizedDpoLoss objective = new PenalizedDpoLoss(flat, n, d, b, s, beta, lambda);
    return fit(objective, theta -> {
      double[] h = new double[d * d];
      DpoObjective.addHessian(flat, n, d, b, beta, theta, h);
      return h;
    }, new double[d], lambda, maxIterations, gradientTolerance, null, 0);
  }

  /** The Fisher part of the penalised Hessian at theta: sum_i beta^2 w_i phi_i phi_i^T, d x d row-major. */
  @FunctionalInterface
  public interface FisherHessian {
    /** A new array each call (the caller adds lambda I into it). */
    double[] at(double[] theta);
  }

  /**
   * The Newton loop on any source of the penalised objective and its Fisher Hessian, from {@code theta0}: the rows
   * may live on the driver (above) or in Spark partitions, where each value and each Hessian is one pass. The
   * steps, the halvings and the stopping test are the same either way.
   *
   * @param objective L(theta) + (lambda/2)||theta||^2 and its gradient
   * @param listener told each accepted step (iteration, value, gradient norm, evaluations); null = none
   * @param evaluationsBefore evaluations already spent (by an earlier optimiser), counted into the result
   */
  public static FitResult fit(DifferentiableFunction objective, FisherHessian fisher, double[] theta0, double lambda,
      int maxIterations, double gradientTolerance, Lbfgs.Listener listener, int evaluationsBefore) {
    int d = theta0.length;
    double[] theta = theta0.clone();
    double[] g = new double[d];
    double[] trial = new double[d];
    double[] gTrial = new double[d];
    double f = objective.valueAndGradient(theta, g);
    int evaluations = evaluationsBefore + 1;
    int iterations = 0;
    double gNorm = Lbfgs.norm(g);
    FitTrace.Recorder trace = new FitTrace.Recorder();
    trace.add(f, gNorm, evaluations);
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(d);
    DMatrixRMaj step = new DMatrixRMaj(d, 1);

    while (gNorm > gradientTolerance * Math.max(1.0, Math.abs(f)) && iterations < maxIterations) {
      double[] h = fisher.at(theta);
      for (int j = 0; j < d; j++) {
        h[j * d + j] += lambda;
      }
      if (!solver.setA(DMatrixRMaj.wrap(d, d, h))) {
        throw new ArithmeticException("penalised Hessian is not positive definite (lambda = " + lambda + ")");
      }
      solver.solve(DMatrixRMaj.wrap(d, 1, g.clone()), step);
      double t = 1.0;
      double fTrial = Double.NaN;
      boolean accepted = false;
      for (int k = 0; k <= MAX_HALVINGS; k++, t *= 0.5) {
        for (int j = 0; j < d; j++) {
          trial[j] = theta[j] - t * step.data[j];
        }
        fTrial = objective.valueAndGradient(trial, gTrial);
        evaluations++;
        if (fTrial <= f + 1e-12 * Math.max(1.0, Math.abs(f))) {
          accepted = true;
          break;
        }
      }
      if (!accepted) {
        break;
      }
      double[] tmp = theta;
      theta = trial;
      trial = tmp;
      tmp = g;
      g = gTrial;
      gTrial = tmp;
      f = fTrial;
      gNorm = Lbfgs.norm(g);
      iterations++;
      trace.add(f, gNorm, evaluations);
      if (listener != null) {
        listener.onIteration(iterations, f, gNorm, evaluations);
      }
    }
    boolean converged = gNorm <= gradientTolerance * Math.max(1.0, Math.abs(f));
    return new FitResult(theta, iterations, evaluations, f, gNorm, converged, trace.build());
  }

  /**
   * Sigma_hat = (lambda I + beta^2 sum_i w_i phi_i phi_i^T)^-1 with w_i the Fisher weight of
   * logit_i = beta (phi_i . theta - b_i); {@code b == null} means 0. Returns a new symmetric d x d
   * array.
   */
  public static double[][] penalizedHessianInverse(
      double[][] phi, double[] b, double beta, double lambda, double[] theta) {
    int n = phi.length;
    int d = theta.length;
    double[] h = new double[d * d];
    DpoObjective.addHessian(PenalizedDpoLoss.flatten(phi, d), n, d, b, beta, theta, h);
    double[] inv = penalizedInverse(h, d, lambda);
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(inv, i * d, out[i], 0, d);
    }
    return out;
  }

  /**
   * (H + lambda I)^-1 for a symmetric d x d H given row-major (not modified), returned row-major. The one
   * inversion behind every Sigma_hat: the online refits' (H from the labelled picks, above) and offline
   * ADPO+'s (H summed over the pool by a Spark pass), so both give the same bits for the same H.
   */
  public static double[] penalizedInverse(double[] hessian, int d, double lambda) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
    }
    double[] h = hessian.clone();
    for (int j = 0; j < d; j++) {
      h[j * d + j] += lambda;
    }
    LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(d);
    if (!solver.setA(DMatrixRMaj.wrap(d, d, h))) {
      throw new ArithmeticException("penalised Hessian is not positive definite (lambda = " + lambda + ")");
    }
    DMatrixRMaj inv = new DMatrixRMaj(d, d);
    solver.invert(inv);
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        // Average the two triangles: exact symmetry for callers that factorise Sigma_hat again.
        out[i * d + j] = 0.5 * (inv.get(i, j) + inv.get(j, i));
      }
    }
    return out;
  }

}
