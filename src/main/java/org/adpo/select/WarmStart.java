package org.adpo.select;

/**
 * The weight rule of {@code adpo-warm} (ADPO+ with a D-optimal warm start), in one place. The first
 * {@link #warmPicks} picks are greedy on the unweighted design (v = phi, as APO: w = 1, beta = 1);
 * every later pick is ADPO+'s greedy step (v = beta sqrt(w) phi with w the Fisher weight, or its UCB
 * bound, of theta fitted on all labels), on the design that already holds the warm picks' terms,
 * each with the scale it was picked with. Both phases are exact greedy steps, so a budget n below the warm
 * phase gives the first n APO picks. With alpha = 0 the whole selection is prefix-consistent; with alpha > 0
 * the weighted phase's UCB optimism depends on the budget ({@link #weightedAlpha}).
 *
 * <p>Why: ADPO+'s Fisher weights favour pairs near the decision boundary (|phi . theta - b| small).
 * With few picks, a fit on such pairs (L2 towards 0) stays small along the directions that decide
 * the confident pairs, and predicts sign(-b) there: on the bundled pool, 94 % of held-out pairs at
 * n = 64, whose labels mostly agree with sign(b) (bench/safe-default/mechanism.txt). An unweighted
 * D-optimal start spans every direction of the features first; from about 4d picks on the fit is
 * determined well enough that the Fisher weights help instead of starving those directions. The
 * length of the warm phase was chosen by measurement on held-out pairs (bench/safe-default/).
 */
public final class WarmStart {
  /** Warm picks per feature dimension. */
  public static final int PICKS_PER_DIMENSION = 4;

  /**
   * The constant A of adpo-safe's bound A sqrt(N / n), chosen by measurement on held-out pairs: with A = 2 the
   * rule lost to uniform nowhere on the synthetic pools (d = 64, 1024) and hh-rlhf; A = 3 and 10 lost
   * (bench/safe-default/README.md).
   */
  public static final double SAFE_ALPHA = 2.0;

  private WarmStart() {}

  /** Picks made on the unweighted design before the Fisher weights take over: min(budget, 4d). */
  public static long warmPicks(int d, long budget) {
    return Math.min(budget, (long) PICKS_PER_DIMENSION * d);
  }

  /**
   * The UCB optimism of the weighted phase for a budget of {@code budget} picks: alpha sqrt(N / n), with N the
   * labelled rows theta and Sigma_hat were fitted on. Sigma_hat is the covariance of that fit on N labels; a fit
   * on the n picks' labels is about N / n times as uncertain, so the weighted phase takes the bound of the fit
   * the budget will give (at n = N it is alpha itself; alpha = 0 stays 0, the plain Fisher weight). Measured on
   * held-out pairs with alpha = 2 in bench/safe-default/README.md.
   */
  public static double weightedAlpha(double alpha, long labelled, long budget) {
    if (alpha == 0) {
      return 0;
    }
    if (labelled < 1 || budget < 1) {
      throw new IllegalArgumentException("labelled rows and budget must be >= 1, got " + labelled + ", " + budget);
    }
    return alpha * Math.sqrt((double) labelled / budget);
  }

  /**
   * The UCB constant a warm-started algorithm's weighted phase scales by sqrt(N / n): {@link #SAFE_ALPHA} for
   * adpo-safe, the alpha setting for adpo-warm (and, unscaled, for adpo-plus and adpo).
   */
  public static double optimism(Algorithm algorithm, double alpha) {
    return algorithm == Algorithm.ADPO_SAFE ? SAFE_ALPHA : alpha;
  }

  /**
   * True when the selection depends on its budget beyond being a prefix of a larger one: a warm-started
   * algorithm with a positive UCB constant ({@link #optimism}), whose weighted phase's bound ({@link
   * #weightedAlpha}) changes with the budget.
   */
  public static boolean dependsOnBudget(Algorithm algorithm, double alpha) {
    return algorithm.isWarmStarted() && optimism(algorithm, alpha) > 0;
  }

  /**
   * The weights pick number {@code rank} (1-based) is chosen with: {@link Algorithm#APO}'s during
   * the warm phase, {@link Algorithm#ADPO_PLUS}'s after it.
   */
  public static Algorithm weightsOfPick(long rank, int d) {
    return rank <= (long) PICKS_PER_DIMENSION * d ? Algorithm.APO : Algorithm.ADPO_PLUS;
  }
}
