package org.adpo.testing;

/**
 * The selector's math written again from SPEC.md in plain Java, sharing no code with the engine
 * (no {@code org.adpo} class, no EJML): the penalised DPO fit by damped Newton, the Fisher weight and
 * its UCB bound with Sigma_hat, and sequential greedy on v_i = scale_i phi_i with an explicit
 * H^-1. Tests compare the engine's fit, weights and picks with these numbers; slow (O(N d^2) per
 * pick) and meant for small pools.
 */
public final class IndependentReference {
  private IndependentReference() {}

  /** mu(z) = 1 / (1 + e^-z), evaluated without overflow on either side. */
  public static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  /** mu(z)(1 - mu(z)) written as e^-|z| / (1 + e^-|z|)^2 (symmetric in z, no cancellation). */
  public static double fisher(double z) {
    double e = Math.exp(-Math.abs(z));
    return e / ((1.0 + e) * (1.0 + e));
  }

  /** logit_i = beta (phi_i . theta - b_i). */
  public static double logit(double[] phi, double b, double[] theta, double beta) {
    double dot = 0;
    for (int j = 0; j < theta.length; j++) {
      dot += phi[j] * theta[j];
    }
    return beta * (dot - b);
  }

  /**
   * theta_hat = argmin sum_i [-s_i log mu(l_i) - (1 - s_i) log(1 - mu(l_i))] + lambda/2 |theta|^2,
   * l_i = beta (phi_i . theta - b_i), by Newton steps (Hessian beta^2 sum w_i phi_i phi_i^T +
   * lambda I) with step halving until the objective falls, until the gradient norm is 1e-11 relative
   * or the Newton step is at round-off level.
   */
  public static double[] fit(double[][] phi, double[] b, int[] s, double beta, double lambda) {
    int n = phi.length;
    int d = phi[0].length;
    double[] theta = new double[d];
    double f = objective(phi, b, s, beta, lambda, theta);
    for (int iter = 0; iter < 100; iter++) {
      double[] g = new double[d];
      double[][] h = new double[d][d];
      for (int i = 0; i < n; i++) {
        double l = logit(phi[i], b[i], theta, beta);
        double r = beta * (sigmoid(l) - s[i]);
        double w = beta * beta * fisher(l);
        for (int j = 0; j < d; j++) {
          g[j] += r * phi[i][j];
          for (int k = 0; k < d; k++) {
            h[j][k] += w * phi[i][j] * phi[i][k];
          }
        }
      }
      double gn = 0;
      for (int j = 0; j < d; j++) {
        g[j] += lambda * theta[j];
        h[j][j] += lambda;
        gn += g[j] * g[j];
      }
      if (Math.sqrt(gn) <= 1e-11 * Math.max(1.0, Math.abs(f))) {
        return theta;
      }
      double[] step = solve(h, g);
      double stepMax = 0;
      double thetaMax = 0;
      for (int j = 0; j < d; j++) {
        stepMax = Math.max(stepMax, Math.abs(step[j]));
        thetaMax = Math.max(thetaMax, Math.abs(theta[j]));
      }
      if (stepMax <= 1e-13 * (1 + thetaMax)) {
        return theta; // the Newton step is at round-off level: theta is as exact as doubles allow
      }
      double t = 1.0;
      while (true) {
        double[] next = new double[d];
        for (int j = 0; j < d; j++) {
          next[j] = theta[j] - t * step[j];
        }
        double fn = objective(phi, b, s, beta, lambda, next);
        // Near the optimum the decrease is below the objective's round-off: accept within it.
        if (fn <= f + 1e-13 * Math.abs(f) || t < 1e-10) {
          theta = next;
          f = fn;
          break;
        }
        t *= 0.5;
      }
    }
    throw new AssertionError("reference Newton fit did not converge in 100 iterations");
  }

  static double objective(double[][] phi, double[] b, int[] s, double beta, double lambda, double[] theta) {
    double f = 0;
    for (int i = 0; i < phi.length; i++) {
      double l = logit(phi[i], b[i], theta, beta);
      // -log mu(l) = log(1 + e^-l); -log(1 - mu(l)) = log(1 + e^l); both via a stable softplus.
      double z = s[i] == 1 ? -l : l;
      f += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
    double sq = 0;
    for (double t : theta) {
      sq += t * t;
    }
    return f + 0.5 * lambda * sq;
  }

  /** Sigma_hat = (lambda I + beta^2 sum_j w_j(theta) phi_j phi_j^T)^-1 over all rows. */
  public static double[][] sigmaHat(double[][] phi, double[] b, double[] theta, double beta, double lambda) {
    int d = theta.length;
    double[][] m = new double[d][d];
    for (int i = 0; i < phi.length; i++) {
      double w = beta * beta * fisher(logit(phi[i], b[i], theta, beta));
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          m[j][k] += w * phi[i][j] * phi[i][k];
        }
      }
    }
    for (int j = 0; j < d; j++) {
      m[j][j] += lambda;
    }
    return invert(m);
  }

  /**
   * The weight SPEC.md gives the ADPO+ design: mu(z)(1 - mu(z)) with z = |logit| (alpha = 0) or
   * z = max(|logit| - alpha sqrt(phi^T Sigma_hat phi), 0).
   */
  public static double weight(double[] phi, double b, double[] theta, double beta, double alpha, double[][] sigma) {
    double l = logit(phi, b, theta, beta);
    if (alpha == 0) {
      return fisher(l);
    }
    return fisher(Math.max(Math.abs(l) - alpha * Math.sqrt(Math.max(quad(sigma, phi), 0)), 0));
  }

  /** Sequential greedy: picks (row indices), gains log(1 + v^T H^-1 v), and log det H at the end. */
  public record Greedy(int[] picks, double[] gains, double logDet) {}

  /**
   * Greedy on v_i (rows of {@code v}), H_0 = gamma I: each step scores every unpicked row exactly
   * under the current H^-1 and takes the largest score, ties to the smallest id.
   */
  public static Greedy greedy(double[][] v, long[] ids, double gamma, int budget) {
    return greedy(v, ids, gamma, budget, null);
  }

  /** The rows step {@code step} (1-based) may pick from, given the rows taken so far. */
  public interface Draw {
    int[] rows(int step, boolean[] taken);
  }

  /**
   * As {@link #greedy(double[][], long[], double, int)}, but step t scores only the unpicked rows
   * {@code draw} gives for it (all unpicked rows when {@code draw} is null).
   */
  public static Greedy greedy(double[][] v, long[] ids, double gamma, int budget, Draw draw) {
    int n = v.length;
    int d = v[0].length;
    double[][] a = new double[d][d];
    for (int j = 0; j < d; j++) {
      a[j][j] = 1.0 / gamma;
    }
    boolean[] taken = new boolean[n];
    int[] picks = new int[budget];
    double[] gains = new double[budget];
    double logDet = d * Math.log(gamma);
    for (int t = 0; t < budget; t++) {
      int best = -1;
      double bestScore = 0;
      int[] rows = draw == null ? null : draw.rows(t + 1, taken);
      for (int r = 0; r < (rows == null ? n : rows.length); r++) {
        int i = rows == null ? r : rows[r];
        if (taken[i]) {
          continue;
        }
        double q = quad(a, v[i]);
        if (best < 0 || q > bestScore || (q == bestScore && ids[i] < ids[best])) {
          best = i;
          bestScore = q;
        }
      }
      taken[best] = true;
      picks[t] = best;
      gains[t] = Math.log1p(bestScore);
      logDet += Math.log1p(bestScore); // det(H + v v^T) = det H (1 + v^T H^-1 v)
      // Sherman-Morrison: A -= (A v)(A v)^T / (1 + v^T A v)
      double[] av = new double[d];
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          av[j] += a[j][k] * v[best][k];
        }
      }
      double den = 1 + bestScore;
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          a[j][k] -= av[j] * av[k] / den;
        }
      }
    }
    return new Greedy(picks, gains, logDet);
  }

  /** x^T M x. */
  static double quad(double[][] m, double[] x) {
    double q = 0;
    for (int j = 0; j < x.length; j++) {
      double r = 0;
      for (int k = 0; k < x.length; k++) {
        r += m[j][k] * x[k];
      }
      q += x[j] * r;
    }
    return q;
  }

  /** Solves M x = y by Gaussian elimination with partial pivoting (M is copied). */
  static double[] solve(double[][] m, double[] y) {
    int d = y.length;
    double[][] a = new double[d][d + 1];
    for (int i = 0; i < d; i++) {
      System.arraycopy(m[i], 0, a[i], 0, d);
      a[i][d] = y[i];
    }
    eliminate(a, d);
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      x[i] = a[i][d];
    }
    return x;
  }

  /** M^-1 by Gauss-Jordan elimination with partial pivoting. */
  static double[][] invert(double[][] m) {
    int d = m.length;
    double[][] a = new double[d][2 * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(m[i], 0, a[i], 0, d);
      a[i][d + i] = 1;
    }
    eliminate(a, d);
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(a[i], d, out[i], 0, d);
    }
    return out;
  }

  /** Gauss-Jordan on the first d columns of a (d rows); afterwards they are the identity. */
  private static void eliminate(double[][] a, int d) {
    int w = a[0].length;
    for (int c = 0; c < d; c++) {
      int p = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
          p = r;
        }
      }
      double[] tmp = a[c];
      a[c] = a[p];
      a[p] = tmp;
      double piv = a[c][c];
      if (piv == 0) {
        throw new AssertionError("singular matrix in the reference");
      }
      for (int k = 0; k < w; k++) {
        a[c][k] /= piv;
      }
      for (int r = 0; r < d; r++) {
        if (r != c && a[r][c] != 0) {
          double f = a[r][c];
          for (int k = 0; k < w; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
  }
}
