package org.adpo.select;

/**
 * The two-phase rules of {@code adpo-warm} and {@code adpo-safe}, in one place: a warm phase of {@link #warmPicks}
 * picks, then ADPO+'s greedy step (v = beta sqrt(w) phi with w the Fisher weight, or its UCB bound, of theta fitted
 * on all labels) on the design that already holds the warm picks' terms, each with the scale it was picked with.
 * <ul>
 *   <li>adpo-warm: the first min(n, 4d) picks greedy on the unweighted design (v = phi, as APO: w = 1, beta = 1),
 *       their terms unweighted. A budget inside the warm phase gives the first n APO picks.
 *   <li>adpo-safe: the first min(n, 4d) picks (past n = 8d: 4d x 8d / n) are {@code uniform}'s (the same seed
 *       gives the same rows), their terms with the Fisher-weighted scale; a budget n <= 4d gives exactly uniform's
 *       selection.
 * </ul>
 * The weighted phase's UCB optimism is {@link #weightedAlpha} (adpo-safe: {@link #safeAlpha}): it depends on the budget when the constant is
 * positive (adpo-safe always; adpo-warm with alpha > 0), so such a selection is not a prefix of a larger one.
 *
 * <p>Why: ADPO+'s Fisher weights favour pairs near the decision boundary (|phi . theta - b| small).
 * With few picks, a fit on such pairs (L2 towards 0) stays small along the directions that decide
 * the confident pairs, and predicts sign(-b) there: on the bundled pool, 94 % of held-out pairs at
 * n = 64, whose labels mostly agree with sign(b) (bench/safe-default/mechanism.txt). A warm phase spans
 * the features before the weights act. An unweighted D-optimal start does that, but on pixel and text
 * features it favours atypical rows and lost to uniform at n = 1.3d to 2.7d on the paper's Fashion-MNIST pool;
 * uniform picks cover the pool as it is, and the bound sqrt(N / n) keeps the weights near flat while few labels
 * are bought. adpo-safe takes 4d uniform picks, not d: after d the weighted phase lost to uniform at 2d-8d on the
 * synthetic pools and hh-rlhf; after 4d every budget up to 4d is uniform's own selection. Both rules were chosen
 * by measurement on held-out pairs (bench/safe-default/README.md).
 */
public final class WarmStart {
  /** Warm picks per feature dimension of adpo-warm (apo picks). */
  public static final int PICKS_PER_DIMENSION = 4;

  /** Warm picks per feature dimension of adpo-safe (uniform picks; a phase of d picks lost more: bench/safe-default/). */
  public static final int SAFE_PICKS_PER_DIMENSION = 4;

  /**
   * The constant A of adpo-safe's bound A sqrt(N / n), chosen by measurement on held-out pairs: with A = 2 the
   * apo-warm rule lost to uniform nowhere on the synthetic pools (d = 64, 1024) and hh-rlhf; A = 3 and 10 lost
   * (bench/safe-default/README.md).
   */
  public static final double SAFE_ALPHA = 2.0;

  private WarmStart() {}

  /**
   * Picks of {@code algorithm}'s warm phase, before the Fisher weights take over: min(budget, 4d); for adpo-safe
   * past 8d picks 4d x 8d / n (rounded, at least 1), so that at large budgets the uniform picks, which buy no
   * information the weighted phase would not, are a shrinking share (measured with {@link #safeAlpha}: on the
   * paper's Fashion-MNIST pool the held-out max logit error at n = 8192 went from 1.79x to 1.25x adpo-plus's).
   */
  public static long warmPicks(Algorithm algorithm, int d, long budget) {
    long warm = (long) picksPerDimension(algorithm) * d;
    long shrink = (long) SAFE_SHRINK_PICKS_PER_DIMENSION * d;
    if (algorithm == Algorithm.ADPO_SAFE && budget > shrink) {
      return Math.max(1, Math.round((double) warm * shrink / budget));
    }
    return Math.min(budget, warm);
  }

  private static int picksPerDimension(Algorithm algorithm) {
    if (!algorithm.isWarmStarted()) {
      throw new IllegalArgumentException(algorithm.cliName() + " has no warm phase");
    }
    return algorithm == Algorithm.ADPO_SAFE ? SAFE_PICKS_PER_DIMENSION : PICKS_PER_DIMENSION;
  }

  /**
   * How {@code algorithm}'s warm phase picks: {@link Algorithm#APO}'s greedy (unweighted terms) for adpo-warm,
   * {@link Algorithm#UNIFORM}'s seeded picks (Fisher-weighted terms) for adpo-safe.
   */
  public static Algorithm warmRule(Algorithm algorithm) {
    picksPerDimension(algorithm);
    return algorithm == Algorithm.ADPO_SAFE ? Algorithm.UNIFORM : Algorithm.APO;
  }

  /** Words for report.json: what the warm phase of {@code algorithm} is. */
  public static String describe(Algorithm algorithm) {
    return algorithm == Algorithm.ADPO_SAFE
        ? "first min(budget, " + (SAFE_PICKS_PER_DIMENSION == 1 ? "" : SAFE_PICKS_PER_DIMENSION) + "d) picks (past "
            + SAFE_SHRINK_PICKS_PER_DIMENSION + "d: " + SAFE_PICKS_PER_DIMENSION + "d x " + SAFE_SHRINK_PICKS_PER_DIMENSION
            + "d / budget) are"
            + " uniform's (same seed), weighted as adpo-plus;"
            + " the rest adpo-plus's greedy on the same design with UCB alpha " + SAFE_ALPHA + " sqrt(N / n),"
            + " past " + SAFE_SHRINK_PICKS_PER_DIMENSION + "d picks times sqrt(" + SAFE_SHRINK_PICKS_PER_DIMENSION
            + "d / n), at least " + SAFE_ALPHA
        : "first min(budget, " + PICKS_PER_DIMENSION + "d) picks greedy with w = 1 (as apo), the rest adpo-plus's"
            + " greedy on the same design";
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
   * Past this many picks per dimension adpo-safe's bound shrinks faster than sqrt(N / n), towards adpo-plus's own
   * constant, and its warm phase shrinks too ({@link #warmPicks}): with the bound 2 sqrt(N / n) and 4d uniform
   * picks, adpo-safe's held-out max logit error on the paper's Fashion-MNIST pool was 8.0x adpo-plus's at n = 8192
   * = 21d (bound 5.1), 1.79x with the bound's shrink and 1.25x with both (bench/safe-default/README.md). At n <= 8d
   * nothing changes, so every budget of the synthetic pools and hh-rlhf selects as before.
   */
  public static final int SAFE_SHRINK_PICKS_PER_DIMENSION = 8;

  /**
   * adpo-safe's UCB optimism for a budget of n picks of dimension d, N labelled rows: {@link #weightedAlpha} with
   * {@link #SAFE_ALPHA}, 2 sqrt(N / n), up to n = 8d; beyond, 2 sqrt(N / n) sqrt(8d / n), never below 2 (the
   * labels bought then outnumber the dimensions eightfold, and the fit on them is trusted as adpo-plus trusts it).
   */
  public static double safeAlpha(long labelled, long budget, int d) {
    double a = weightedAlpha(SAFE_ALPHA, labelled, budget);
    long shrink = (long) SAFE_SHRINK_PICKS_PER_DIMENSION * d;
    if (budget > shrink) {
      a *= Math.sqrt((double) shrink / budget);
    }
    return Math.max(SAFE_ALPHA, a);
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

}
