package org.adpo.experiment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.adpo.eval.MetricTable;

/**
 * Checks the paper's claims (docs/method.md "The paper's claims") on the max logit error of an experiment,
 * per seed and on the mean over seeds, and reports whatever the numbers say:
 *
 * <ol>
 *   <li>ADPO+ reaches Uniform's max logit error at Uniform's largest n (2^15 in the paper) with fewer
 *       than largest/4 picks (2^13 in the paper): the smallest n at which ADPO+'s error is <= that target;
 *   <li>the same against APO's error at its largest n, with fewer than largest/2 picks (2^14);
 *   <li>ADPO is never worse than Uniform, APO and PMC: adpo's error <= theirs at every n (the n where it is
 *       worse are listed);
 *   <li>the safe rule (adpo-safe) is never worse than uniform on max logit error, accuracy and nll, and from
 *       n = 2^13 on within 1.5x of ADPO+'s max logit error ({@link SafeClaim}).
 * </ol>
 *
 * A claim whose methods were not run is reported as not checked.
 */
public final class ExperimentClaims {
  static final String METRIC = "max_logit_error";
  private static final String PLUS = "adpo-plus";
  private static final String ADPO = "adpo";
  /** The selection rule meant to be safe at every budget (docs/method.md). */
  static final String SAFE = "adpo-safe";
  /** The metrics the safe rule must not lose on, and n from which it must be within 1.5x of ADPO+. */
  private static final List<String> SAFE_METRICS = List.of("max_logit_error", "accuracy", "nll");
  private static final long LARGE_N = 1L << 13;
  private static final double LARGE_RATIO = 1.5;

  private final StringBuilder md = new StringBuilder();
  private Claims claims;

  private ExperimentClaims() {}

  /**
   * The claims section of results.json, written by {@link org.adpo.io.ReportJson} (snake-case keys in
   * declaration order): the metric, then each claim's verdict, or why it was not checked.
   */
  public record Claims(String metric, Claim adpoPlusReachesUniform, Claim adpoPlusReachesApo, Claim adpoNeverWorse,
      Claim safeNeverWorseThanUniform) {}

  /** One claim's verdict: {@link ReachClaim}, {@link NeverWorse}, {@link SafeClaim} or {@link NotChecked}. */
  public sealed interface Claim permits ReachClaim, NeverWorse, SafeClaim, NotChecked {}

  /**
   * The safe rule against uniform on the means over seeds, at every n both ran, on each of {@link #SAFE_METRICS}:
   * no worse than uniform's mean, a tie when worse than the mean but inside uniform's min-max over seeds, a loss
   * otherwise; and from n = 2^13 on, its max logit error within 1.5x of ADPO+'s (when both ran there).
   */
  public record SafeClaim(String method, List<String> metrics, int points, List<SafePoint> ties,
      List<SafePoint> losses, List<LargeBudget> largeBudget, boolean holds) implements Claim {}

  /** One (metric, n): the safe rule's mean over seeds and uniform's mean, min and max. */
  public record SafePoint(String metric, long n, double mean, double uniformMean, double uniformMin,
      double uniformMax) {}

  /** One n >= 2^13: the two max logit errors (means over seeds), their ratio, whether it is at most 1.5. */
  public record LargeBudget(long n, double maxLogitError, double adpoPlusMaxLogitError, double ratio,
      boolean holds) {}

  /** A claim whose methods were not run, written as its reason (a JSON string). */
  public record NotChecked(@JsonValue String reason) implements Claim {}

  /** A reach claim per curve ("seed 1", ..., "mean") and how many seeds it holds for. */
  public record ReachClaim(Map<String, Reach> curves, int seedsHolding, int seeds, boolean holdsOnMean)
      implements Claim {}

  /**
   * A reach check on one curve: the reference method's error at its largest n (the target), the smallest n at
   * which adpo-plus's error is at most the target (null: never), the claimed bound, the verdict.
   */
  public record Reach(String reference, long referenceN, double targetMaxLogitError, Long adpoPlusReachesAtN,
      long claimedBelowN, boolean holds) {
    static Reach of(String reference, long referenceN, double target, Long reachedAt, long bound) {
      return new Reach(reference, referenceN, target, reachedAt, bound, reachedAt != null && reachedAt < bound);
    }
  }

  /** The never-worse claim: the methods compared with, per curve the n where adpo is worse, the tally. */
  public record NeverWorse(List<String> comparedWith, Map<String, Worse> curves, int seedsHolding, int seeds,
      boolean holdsOnMean) implements Claim {}

  /** On one curve: per other method the n at which adpo's error is larger (empty: never), the verdict. */
  public record Worse(Map<String, List<Long>> worseAtN, boolean holds) {}

  public static ExperimentClaims check(ExperimentTable table) {
    ExperimentClaims c = new ExperimentClaims();
    // curves: label ("seed 1", ..., "mean") -> method -> n -> max logit error
    Map<String, Map<String, TreeMap<Long, Double>>> curves = new LinkedHashMap<>();
    for (ExperimentTable.Row r : table.rows()) {
      curves.computeIfAbsent("seed " + r.seed(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.method(), k -> new TreeMap<>()).put(r.n(), r.metrics().maxLogitError());
    }
    Map<String, TreeMap<Long, Double>> mean = new LinkedHashMap<>();
    for (ExperimentTable.SummaryRow s : table.summary()) {
      mean.computeIfAbsent(s.method(), k -> new TreeMap<>()).put(s.n(), s.stats().get(METRIC).mean());
    }
    curves.put("mean", mean);
    c.build(curves);
    c.claims = new Claims(c.claims.metric(), c.claims.adpoPlusReachesUniform(), c.claims.adpoPlusReachesApo(),
        c.claims.adpoNeverWorse(), c.safe(table.summary()));
    return c;
  }

  /** The safe rule's check (see {@link SafeClaim}), appended to claims.md. */
  private Claim safe(List<ExperimentTable.SummaryRow> summary) {
    Map<String, Map<Long, ExperimentTable.SummaryRow>> by = new LinkedHashMap<>();
    for (ExperimentTable.SummaryRow r : summary) {
      by.computeIfAbsent(r.method(), k -> new TreeMap<>()).put(r.n(), r);
    }
    md.append("\n## ").append(SAFE).append(" is never worse than uniform\n\n");
    if (!by.containsKey(SAFE) || !by.containsKey("uniform")) {
      md.append("Not checked: ").append(SAFE).append(" and uniform were not both run.\n");
      return new NotChecked("not checked: methods not run");
    }
    md.append("On the means over seeds, at every n both ran: no worse than uniform's mean; a tie when worse than it"
        + " but inside uniform's min-max over seeds; a loss otherwise.\n\n");
    md.append("| metric | n | ").append(SAFE).append(" | uniform mean | uniform min-max | verdict |\n"
        + "|---|---|---|---|---|---|\n");
    List<SafePoint> ties = new ArrayList<>();
    List<SafePoint> losses = new ArrayList<>();
    int points = 0;
    for (String metric : SAFE_METRICS) {
      boolean lower = MetricTable.METRICS.stream().filter(m -> m.column().equals(metric)).findFirst()
          .orElseThrow().lowerIsBetter();
      for (Map.Entry<Long, ExperimentTable.SummaryRow> e : by.get(SAFE).entrySet()) {
        ExperimentTable.SummaryRow u = by.get("uniform").get(e.getKey());
        if (u == null) {
          continue;
        }
        ExperimentTable.Stat a = e.getValue().stats().get(metric);
        ExperimentTable.Stat b = u.stats().get(metric);
        SafePoint p = new SafePoint(metric, e.getKey(), a.mean(), b.mean(), b.min(), b.max());
        boolean noWorse = lower ? a.mean() <= b.mean() : a.mean() >= b.mean();
        boolean inRange = a.mean() >= b.min() && a.mean() <= b.max();
        String verdict = noWorse ? "no worse" : inRange ? "tie" : "loss";
        if (!noWorse) {
          (inRange ? ties : losses).add(p);
        }
        points++;
        md.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %.4g | %.4g-%.4g | %s |%n", metric, e.getKey(),
            a.mean(), b.mean(), b.min(), b.max(), verdict));
      }
    }
    List<LargeBudget> large = new ArrayList<>();
    if (by.containsKey(PLUS)) {
      for (Map.Entry<Long, ExperimentTable.SummaryRow> e : by.get(SAFE).entrySet()) {
        ExperimentTable.SummaryRow plus = by.get(PLUS).get(e.getKey());
        if (e.getKey() >= LARGE_N && plus != null) {
          double a = e.getValue().stats().get(METRIC).mean();
          double b = plus.stats().get(METRIC).mean();
          large.add(new LargeBudget(e.getKey(), a, b, a / b, a <= LARGE_RATIO * b));
        }
      }
    }
    md.append(String.format(Locale.ROOT, "%n%d points: %s, %s.%n", points, org.adpo.io.Words.count(ties.size(), "tie"),
        org.adpo.io.Words.count(losses.size(), "loss", "losses")));
    if (large.isEmpty()) {
      md.append("Against ADPO+ from n = 2^13 on: not checked (no n >= 2^13 where both ran).\n");
    } else {
      for (LargeBudget l : large) {
        md.append(String.format(Locale.ROOT, "At n = %d its max logit error is %.3gx ADPO+'s (at most %.1fx: %s).%n",
            l.n(), l.ratio(), LARGE_RATIO, l.holds() ? "yes" : "no"));
      }
    }
    boolean holds = losses.isEmpty() && large.stream().allMatch(LargeBudget::holds);
    md.append("Holds: ").append(holds ? "yes" : "no").append(".\n");
    return new SafeClaim(SAFE, SAFE_METRICS, points, ties, losses, large, holds);
  }

  private void build(Map<String, Map<String, TreeMap<Long, Double>>> curves) {
    md.append("# Claims check (max logit error)\n\n");
    md.append("Paper (docs/method.md, CIFAR-10, d = 384, N = 2^16): ADPO+ reaches the lowest max logit error of Uniform"
        + " (n = 2^15) with n < 2^13 picks, and that of APO with n < 2^14; ADPO is never worse than Uniform, APO"
        + " and PMC on max logit error.\n\n");
    md.append("Here the reference is each method's error at its largest n (n_max), and the claimed bounds are"
        + " n_max/4 and n_max/2 (2^13 and 2^14 when n_max = 2^15). \"mean\" is the curve of the means over seeds."
        + " Whatever the data say is reported; nothing was tuned to the outcome.\n\n");
    Claim[] reaches = new Claim[2];
    int which = 0;
    for (String[] claim : new String[][] {{"uniform", "4"}, {"apo", "2"}}) {
      String ref = claim[0];
      int divisor = Integer.parseInt(claim[1]);
      int slot = which++;
      md.append("## ADPO+ reaches ").append(ref).append("'s error at its n_max with fewer than n_max/")
          .append(divisor).append(" picks\n\n");
      if (!has(curves, PLUS) || !has(curves, ref)) {
        md.append("Not checked: adpo-plus and ").append(ref).append(" were not both run.\n\n");
        reaches[slot] = new NotChecked("not checked: methods not run");
        continue;
      }
      md.append("| curve | ").append(ref).append(" n_max | its max logit error | ADPO+ first reaches it at n |"
          + " claimed below n | holds |\n|---|---|---|---|---|---|\n");
      Map<String, Reach> per = new LinkedHashMap<>();
      int held = 0;
      int seeds = 0;
      for (Map.Entry<String, Map<String, TreeMap<Long, Double>>> e : curves.entrySet()) {
        Reach r = reach(e.getValue(), ref, divisor);
        per.put(e.getKey(), r);
        if (!e.getKey().equals("mean")) {
          seeds++;
          held += r.holds() ? 1 : 0;
        }
        md.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %s | %d | %s |%n", e.getKey(), r.referenceN(),
            r.targetMaxLogitError(), r.adpoPlusReachesAtN() == null ? "not reached" : r.adpoPlusReachesAtN().toString(),
            r.claimedBelowN(),
            r.holds() ? "yes" : "no"));
      }
      boolean meanHolds = per.get("mean").holds();
      md.append(String.format(Locale.ROOT, "%nHolds for %d of %d seeds; on the mean: %s.%n%n", held, seeds,
          meanHolds ? "yes" : "no"));
      reaches[slot] = new ReachClaim(per, held, seeds, meanHolds);
    }

    md.append("## ADPO is never worse than Uniform, APO and PMC\n\n");
    List<String> others = new ArrayList<>();
    for (String o : List.of("uniform", "apo", "pmc")) {
      if (has(curves, o)) {
        others.add(o);
      }
    }
    if (!has(curves, ADPO) || others.isEmpty()) {
      md.append("Not checked: adpo and at least one of uniform, apo, pmc must be run.\n");
      claims = new Claims(METRIC, reaches[0], reaches[1], new NotChecked("not checked: methods not run"), null);
    } else {
      md.append("n at which adpo's max logit error is larger than the other method's (empty = never worse):\n\n");
      md.append("| curve | ").append(String.join(" | ", others)).append(" | holds |\n|---|")
          .append("---|".repeat(others.size())).append("---|\n");
      Map<String, Worse> per = new LinkedHashMap<>();
      int held = 0;
      int seeds = 0;
      boolean meanHolds = false;
      for (Map.Entry<String, Map<String, TreeMap<Long, Double>>> e : curves.entrySet()) {
        Map<String, List<Long>> worse = new LinkedHashMap<>();
        boolean holds = true;
        md.append("| ").append(e.getKey()).append(" |");
        for (String o : others) {
          List<Long> ns = new ArrayList<>();
          TreeMap<Long, Double> a = e.getValue().get(ADPO);
          TreeMap<Long, Double> b = e.getValue().get(o);
          for (Map.Entry<Long, Double> p : a.entrySet()) {
            Double other = b.get(p.getKey());
            if (other != null && p.getValue() > other) {
              ns.add(p.getKey());
            }
          }
          holds &= ns.isEmpty();
          worse.put(o, ns);
          md.append(' ').append(ns.isEmpty() ? "-" : ns.toString()).append(" |");
        }
        md.append(' ').append(holds ? "yes" : "no").append(" |\n");
        per.put(e.getKey(), new Worse(worse, holds));
        if (e.getKey().equals("mean")) {
          meanHolds = holds;
        } else {
          seeds++;
          held += holds ? 1 : 0;
        }
      }
      md.append(String.format(Locale.ROOT, "%nHolds for %d of %d seeds; on the mean: %s.%n", held, seeds,
          meanHolds ? "yes" : "no"));
      claims = new Claims(METRIC, reaches[0], reaches[1], new NeverWorse(others, per, held, seeds, meanHolds), null);
    }
  }

  private static boolean has(Map<String, Map<String, TreeMap<Long, Double>>> curves, String method) {
    return curves.values().stream().allMatch(m -> m.containsKey(method) && !m.get(method).isEmpty());
  }

  private static Reach reach(Map<String, TreeMap<Long, Double>> curves, String ref, int divisor) {
    TreeMap<Long, Double> r = curves.get(ref);
    long nMax = r.lastKey();
    double target = r.get(nMax);
    Long at = null;
    for (Map.Entry<Long, Double> p : curves.get(PLUS).entrySet()) {
      if (p.getValue() <= target) {
        at = p.getKey();
        break;
      }
    }
    return Reach.of(ref, nMax, target, at, Math.max(1, nMax / divisor));
  }

  /** The claims section of results.json. */
  public Claims describe() {
    return claims;
  }

  /** claims.md. */
  public String markdown() {
    return md.toString();
  }
}
