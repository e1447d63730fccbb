package org.adpo.model;

/**
 * Per-point weights of the design matrix (docs/method.md "The design and the greedy step"): the Fisher weight
 * w = mu(1 - mu) of the logit, or its optimistic (UCB) upper bound that shrinks |logit| by the
 * confidence width alpha * sqrt(phi^T Sigma_hat phi) before taking the weight.
 */
public final class FisherWeights {
  private FisherWeights() {}

  /** w(logit) = mu(logit)(1 - mu(logit)); same as {@link Logistic#fisherWeight}. */
  public static double weight(double logit) {
    return Logistic.fisherWeight(logit);
  }

  /**
   * U = mu(z)(1 - mu(z)) with z = max(|logit| - alpha * sqrt(max(phiSigmaPhi, 0)), 0).
   * Since mu(z)(1 - mu(z)) decreases in |z|, U >= weight(logit), U <= 0.25, and U grows with alpha.
   * alpha = 0 returns exactly {@code weight(logit)} (even when phiSigmaPhi is infinite).
   *
   * @param alpha confidence multiplier, >= 0 (paper: 3)
   * @param phiSigmaPhi phi^T Sigma_hat phi; negative values (rounding) count as 0
   */
  public static double ucbWeight(double logit, double alpha, double phiSigmaPhi) {
    if (!(alpha >= 0)) {
      throw new IllegalArgumentException("alpha must be >= 0, got " + alpha);
    }
    if (alpha == 0) {
      return weight(logit);
    }
    double width = alpha * Math.sqrt(Math.max(phiSigmaPhi, 0.0));
    double z = Math.max(Math.abs(logit) - width, 0.0);
    return Logistic.fisherWeight(z);
  }
}
