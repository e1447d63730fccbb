package org.adpo.model;

/**
 * Numerically stable logistic functions of a logit z. None of them overflows, loses the sign of a
 * tiny probability, or cancels catastrophically for large |z| (tested up to |z| = 800 and beyond).
 */
public final class Logistic {
  private Logistic() {}

  /** mu(z) = 1 / (1 + e^-z). */
  public static double sigmoid(double z) {
    // exp of a non-positive argument only: never overflows.
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  /** Softplus log(1 + e^z) = -log(1 - mu(z)) = -log mu(-z). */
  public static double logOnePlusExp(double z) {
    // For z > 0 write log(1+e^z) = z + log(1+e^-z); log1p keeps full accuracy when e^-|z| is tiny.
    if (z > 0) {
      return z + Math.log1p(Math.exp(-z));
    }
    return Math.log1p(Math.exp(z));
  }

  /** mu(z)(1 - mu(z)) in (0, 0.25], even in z; 0 only when e^-|z| underflows. */
  public static double fisherWeight(double z) {
    // With e = e^-|z|: mu(|z|) = 1/(1+e), 1 - mu(|z|) = e/(1+e); no subtraction 1 - mu.
    double e = Math.exp(-Math.abs(z));
    double opE = 1.0 + e;
    return e / (opE * opE);
  }

  /**
   * -[s log mu(z) + (1 - s) log(1 - mu(z))] for s in [0, 1], via softplus:
   * -log mu(z) = softplus(-z) and -log(1 - mu(z)) = softplus(z).
   */
  public static double negLogLikelihood(double z, double s) {
    if (s == 1.0) {
      return logOnePlusExp(-z);
    }
    if (s == 0.0) {
      return logOnePlusExp(z);
    }
    return s * logOnePlusExp(-z) + (1.0 - s) * logOnePlusExp(z);
  }
}
