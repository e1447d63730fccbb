package org.adpo.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.adpo.error.UsageException;
import org.adpo.select.Algorithm;

/**
 * Every setting of one {@code bin/adpo experiment} run, validated. The defaults are the paper's
 * log-linear experiment (docs/method.md "The paper's claims") on Fashion-MNIST: N = 2^16 pairs, d = 384,
 * beta = 1, alpha = 3 (UCB weights of adpo and adpo-plus), methods adpo, adpo-plus, adpo-safe, apo, pmc,
 * uniform, budgets 2^6 .. 2^15, seeds 1, 2, 3. lambda (the ridge of the teacher, of every theta fit
 * and of theta_star) is 1, as everywhere else in the engine.
 *
 * @param budgets the prefix sizes n evaluated (sorted, distinct); each method runs once at the largest
 * @param seeds each seed drives the pool generation (or the split) and the methods' own randomness
 * @param pool a pool to run on instead of generating one per seed (null: generate from the IDX files)
 * @param testFraction 0: metrics on the pool itself; else each seed's pool is split by id
 *     ({@link org.adpo.eval.SplitRule}, seed = the experiment seed), the methods select from the
 *     training part and every metric of the table is the one on the held-out part
 */
public record ExperimentSettings(
    int pairs, int dim, List<Long> budgets, List<Long> seeds, List<String> methods, double alpha, double beta,
    double lambda, Path images, Path labels, String pool, double testFraction) {

  public static final String DATASET_DIR = "/usr/share/datasets/fashion-mnist/";
  public static final List<Long> DEFAULT_BUDGETS = powersOfTwo(6, 15);
  public static final List<Long> DEFAULT_SEEDS = List.of(1L, 2L, 3L);
  public static final List<String> DEFAULT_METHODS = List.of("adpo", "adpo-plus", "adpo-safe", "apo", "pmc", "uniform");

  /** Pools generated from the IDX files, metrics on the whole pool. */
  public ExperimentSettings(int pairs, int dim, List<Long> budgets, List<Long> seeds, List<String> methods,
      double alpha, double beta, double lambda, Path images, Path labels) {
    this(pairs, dim, budgets, seeds, methods, alpha, beta, lambda, images, labels, null, 0.0);
  }

  public ExperimentSettings {
    if (!(testFraction == 0 || (testFraction > 0 && testFraction < 1))) {
      throw new UsageException("test fraction must be 0 (no held-out pool) or strictly between 0 and 1, got "
          + testFraction);
    }
    if (pairs < 2) {
      throw new UsageException("pairs must be >= 2, got " + pairs);
    }
    if (dim < 1) {
      throw new UsageException("dim must be >= 1, got " + dim);
    }
    budgets = List.copyOf(new TreeSet<>(budgets));
    if (budgets.isEmpty() || budgets.get(0) < 1) {
      throw new UsageException("budgets must be integers >= 1, got " + budgets);
    }
    if (pool == null && budgets.get(budgets.size() - 1) > pairs) {
      throw new UsageException("the largest budget " + budgets.get(budgets.size() - 1) + " exceeds the " + pairs
          + " pairs of the pool");
    }
    seeds = List.copyOf(seeds);
    if (seeds.isEmpty() || new TreeSet<>(seeds).size() != seeds.size()) {
      throw new UsageException("seeds must be distinct and at least one, got " + seeds);
    }
    methods = List.copyOf(methods);
    if (methods.isEmpty() || new TreeSet<>(methods).size() != methods.size()) {
      throw new UsageException("methods must be distinct and at least one, got " + methods);
    }
    for (String m : methods) {
      Algorithm.parse(m); // usage error on an unknown name
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new UsageException("alpha must be a finite number >= 0, got " + alpha);
    }
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new UsageException("beta must be a finite number > 0, got " + beta);
    }
    if (!(lambda > 0) || Double.isInfinite(lambda)) {
      throw new UsageException("lambda must be a finite number > 0, got " + lambda);
    }
  }

  /** The paper's configuration on the installed Fashion-MNIST training set. */
  public static ExperimentSettings defaults() {
    return new ExperimentSettings(1 << 16, 384, DEFAULT_BUDGETS, DEFAULT_SEEDS, DEFAULT_METHODS, 3.0, 1.0, 1.0,
        Path.of(DATASET_DIR, "train-images-idx3-ubyte.gz"), Path.of(DATASET_DIR, "train-labels-idx1-ubyte.gz"));
  }

  public long maxBudget() {
    return budgets.get(budgets.size() - 1);
  }

  /** The UCB alpha a method runs with: {@link #alpha} for adpo, adpo-plus and adpo-warm (the weighted ones), else 0. */
  double alphaFor(String method) {
    Algorithm a = Algorithm.parse(method);
    return a == Algorithm.ADPO_PLUS || a == Algorithm.ADPO || a == Algorithm.ADPO_WARM ? alpha : 0.0;
  }

  /** 2^lo, ..., 2^hi. */
  private static List<Long> powersOfTwo(int lo, int hi) {
    List<Long> out = new ArrayList<>();
    for (int k = lo; k <= hi; k++) {
      out.add(1L << k);
    }
    return out;
  }

  /** Parses "1,2,3" into longs (blanks allowed). */
  public static List<Long> parseLongs(String option, String text) {
    List<Long> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        out.add(Long.parseLong(p));
      } catch (NumberFormatException e) {
        throw new UsageException("--" + option + " expects comma-separated integers, got '" + text + "'");
      }
    }
    return out;
  }

  /** Parses "adpo,uniform" (blanks allowed). */
  public static List<String> parseNames(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.trim().isEmpty()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  /** The settings section of results.json. */
  public ExperimentReport.Settings describe() {
    boolean given = pool != null;
    return new ExperimentReport.Settings(pool, given ? null : pairs, given ? null : dim, testFraction,
        testFraction > 0
            ? "the held-out test pool of each seed (bin/adpo split's rule: seed = the experiment seed); methods select"
                + " from the training pool, theta* is fitted on its labels"
            : "the whole pool (the pool the methods select from)",
        budgets, seeds, methods, alpha, List.of("adpo", "adpo-plus", "adpo-warm"), beta, lambda,
        given ? null : images.toString(), given ? null : labels.toString(),
        given ? "as in the pool" : "seeded random subset of d non-constant pixels / 255 (org.adpo.data.PreferencePairs)",
        "doubling (refit before picks 2, 4, 8, ...), logged oracle (the pool's s)",
        "the first n picks of one run at the largest budget (picks are prefix-consistent)");
  }
}
