package org.adpo.select;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.adpo.error.UsageException;

/** The selection rules of docs/method.md, by their command-line names. */
public enum Algorithm {
  /** Greedy D-optimal design on phi, optionally scaled by the square root of a weight column. */
  DOPT("dopt"),
  /** ADPO+: theta fitted once on all labelled rows, then greedy on v = beta sqrt(w) phi. */
  ADPO_PLUS("adpo-plus"),
  /**
   * ADPO+ with a D-optimal warm start ({@link WarmStart}): the first 4d picks greedy with w = 1 (as
   * APO), the rest ADPO+'s greedy on the same design. Needs labels (theta is fitted as for ADPO+).
   */
  ADPO_WARM("adpo-warm"),
  /**
   * ADPO+ after a uniform warm start ({@link WarmStart}): the first min(n, 4d) picks (past 8d: 4d x 8d / n) are {@link #UNIFORM}'s (same seed),
   * the rest ADPO+'s greedy on the same design with the UCB bound {@link WarmStart#safeAlpha} (2 sqrt(N / n), shrunk
   * past 8d picks): of the
   * rules measured, the one with the fewest losses against uniform on held-out pairs (bench/safe-default/README.md).
   */
  ADPO_SAFE("adpo-safe"),
  /** The paper's APO baseline: greedy with w = 1 and beta = 1. */
  APO("apo"),
  /** Seeded uniform picks without replacement. */
  UNIFORM("uniform"),
  /**
   * ADPO (online, Alg. 1): theta starts at 0 and is refitted on the labels revealed so far on a
   * {@link RefitSchedule}; greedy on v = beta sqrt(w) phi with the weights of the latest theta.
   */
  ADPO("adpo"),
  /** The paper's PMC baseline: the largest |phi . theta - b| with the refit schedule of ADPO. */
  PMC("pmc");

  private final String cliName;

  Algorithm(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /**
   * True when the algorithm always needs the label column s. The online algorithms need it unless
   * their oracle simulates labels from a given theta (see {@code SelectionSettings.needsLabels}).
   */
  public boolean needsLabels() {
    return this == ADPO_PLUS || this == ADPO_WARM || this == ADPO_SAFE;
  }

  /** True for the algorithms that fit theta once on all labels before picking (ADPO+ and its warm-started forms). */
  public boolean fitsThetaFirst() {
    return needsLabels();
  }

  /** True for the two-phase algorithms of {@link WarmStart}: adpo-warm and adpo-safe. */
  public boolean isWarmStarted() {
    return this == ADPO_WARM || this == ADPO_SAFE;
  }

  /** True for the online algorithms, which reveal labels through an oracle and refit theta. */
  public boolean isOnline() {
    return this == ADPO || this == PMC;
  }

  /**
   * Which design the selection's log det is of, for the summary line and the report: the log dets
   * of two algorithms are comparable only when they name the same design. adpo and adpo-plus weigh
   * each pick by its Fisher weight (adpo at the theta of the pick's time; the UCB weight when alpha >
   * 0), dopt by the pool's weight column (weight 1 where it has none), and apo, uniform and pmc do
   * not weigh (their log det is of H = gamma I + sum phi phi^T).
   */
  public String design(double alpha) {
    switch (this) {
      case ADPO:
      case ADPO_PLUS:
      case ADPO_WARM: // its warm picks are unweighted terms of the same design (adpo-safe's are weighted)
        return alpha > 0 ? "UCB-Fisher-weighted" : "Fisher-weighted";
      case ADPO_SAFE:
        return "UCB-Fisher-weighted";
      case DOPT:
        return "weight-column-weighted";
      default:
        return "unweighted";
    }
  }

  public static Algorithm parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Algorithm a : values()) {
      if (a.cliName.equals(n)) {
        return a;
      }
    }
    throw new UsageException(
        "unknown algorithm '" + name + "'; expected one of " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(Algorithm::cliName).collect(Collectors.joining(", "));
  }
}
