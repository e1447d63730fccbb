package org.adpo.select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adpo.design.InverseDesign;

/**
 * The driver's half of one exact round: from the partitions' best candidates, make every pick that
 * provably equals the next pick of sequential greedy over the whole pool, and stop at the first one
 * that cannot be certified.
 *
 * <p>Why the picks are exact. Every partition returned a prefix of its rows in the order (stored
 * score descending, ord ascending), those above the round's threshold up to its cap
 * ({@link GatherPlan}), and, as tau_p, the stored score of the first row it kept back. Stored scores are upper bounds of the rows' current scores:
 * either computed exactly under the current A = H^-1, or downdated conservatively from earlier
 * exact values ({@link PartitionScorer#downdate}); and scores only fall as H grows by PSD terms. The
 * driver computes the exact score of every gathered row under its own A and keeps it current with
 * the same rank-one downdate after each pick. If the best gathered row beats tau = max_p tau_p, it
 * beats every row left behind, so it is the sequential pick (ties among gathered rows go to the
 * smallest ord, as in the sequential rule). Otherwise the round ends. The comparison asks for a
 * relative margin of {@link #MARGIN} above tau, which covers the round-off between the driver's
 * own arithmetic paths. When the stored scores are fresh exact scores computed by the same formula
 * as the driver's ({@code firstIsFresh}), the first pick needs no certificate: the best of the
 * partitions' best is the global best, ties included.
 *
 * <p>Cost. The driver's exact score of a row is the low-rank formula of {@link InverseDesign}
 * (O(d t) after t picks). A row gathered again keeps its unscaled partial score from the previous
 * round ({@link Memo}) and is only continued over the picks made since, which gives bit for bit the
 * value a computation from scratch gives (the formula subtracts one term per pick, in pick order).
 * After each pick, the remaining gathered rows are continued by that one pick: O(d) each.
 */
public final class CertifiedGreedy {
  /** Relative margin by which a gathered row's exact score must beat every partition's bound. */
  public static final double MARGIN = 1e-9;

  private CertifiedGreedy() {}

  /** Receives each pick as it is made (the candidate and its score at pick time). */
  public interface PickListener {
    void picked(Candidate c, double score);
  }

  /**
   * What one round did.
   *
   * @param picks number of picks made
   * @param downdates the vectors t of the picks, in order (see {@link InverseDesign#add})
   * @param picked the ords picked, in order
   * @param inflation the largest relative excess of a gathered row's stored score over its exact one
   * @param exhausted true when no candidate was left anywhere
   * @param left the gathered rows not picked, with their current exact scores
   */
  public record Outcome(int picks, List<double[]> downdates, List<Long> picked, double inflation, boolean exhausted,
      List<Candidate> left) {}

  /**
   * The unscaled partial scores of the rows gathered in the last round and not picked, by ord, with
   * the number of picks each is current through. Scales may change between rounds (online refits);
   * the unscaled value depends only on phi and the pick vectors, so it stays valid.
   */
  public static final class Memo {
    private Map<Long, double[]> partial = new HashMap<>();
  }

  public static Outcome round(List<PartitionTop> tops, InverseDesign design, long maxPicks, boolean firstIsFresh,
      PickListener listener) {
    return round(tops, design, maxPicks, firstIsFresh, listener, new Memo());
  }

  public static Outcome round(List<PartitionTop> tops, InverseDesign design, long maxPicks, boolean firstIsFresh,
      PickListener listener, Memo memo) {
    List<Candidate> gathered = new ArrayList<>();
    double bound = Double.NEGATIVE_INFINITY;
    for (PartitionTop t : tops) {
      gathered.addAll(t.best());
      bound = Math.max(bound, t.bound());
    }
    double inflation = 0;
    double[] partial = new double[gathered.size()];
    for (int i = 0; i < gathered.size(); i++) {
      Candidate c = gathered.get(i);
      double stored = c.score;
      double[] known = memo.partial.get(c.ord);
      if (known != null) {
        partial[i] = design.extend(c.phi, known[0], (int) known[1]);
      } else {
        partial[i] = design.exact(c.phi, 0);
      }
      c.score = InverseDesign.finish(partial[i], c.scale);
      if (c.score > 0) {
        inflation = Math.max(inflation, (stored - c.score) / c.score);
      }
    }
    List<double[]> downdates = new ArrayList<>();
    List<Long> picked = new ArrayList<>();
    boolean exhausted = gathered.isEmpty() && bound == Double.NEGATIVE_INFINITY;
    while (picked.size() < maxPicks && !gathered.isEmpty()) {
      int best = 0;
      for (int i = 1; i < gathered.size(); i++) {
        if (Candidate.BEST_FIRST.compare(gathered.get(i), gathered.get(best)) < 0) {
          best = i;
        }
      }
      Candidate c = gathered.get(best);
      if (!(firstIsFresh && picked.isEmpty()) && !beats(c.score, bound)) {
        break;
      }
      gathered.remove(best);
      double[] rest = new double[gathered.size()];
      for (int i = 0, j = 0; i < partial.length; i++) {
        if (i != best) {
          rest[j++] = partial[i];
        }
      }
      partial = rest;
      // The reported score is the exact formula's value (c.score is that value, current through
      // every earlier pick), so the output does not depend on the partitioning.
      listener.picked(c, c.score);
      double[] t = design.add(c.phi, 0, c.scale);
      downdates.add(t);
      picked.add(c.ord);
      int through = design.updates() - 1;
      for (int i = 0; i < gathered.size(); i++) {
        Candidate g = gathered.get(i);
        partial[i] = design.extend(g.phi, partial[i], through);
        g.score = InverseDesign.finish(partial[i], g.scale);
      }
      if (gathered.isEmpty() && bound == Double.NEGATIVE_INFINITY) {
        exhausted = true;
      }
    }
    Map<Long, double[]> next = new HashMap<>(gathered.size() * 2);
    for (int i = 0; i < gathered.size(); i++) {
      next.put(gathered.get(i).ord, new double[] {partial[i], design.updates()});
    }
    memo.partial = next;
    return new Outcome(picked.size(), downdates, picked, inflation, exhausted, gathered);
  }

  /** True when {@code score} certainly exceeds every score bounded by {@code bound}. */
  static boolean beats(double score, double bound) {
    return bound == Double.NEGATIVE_INFINITY || score > bound + MARGIN * Math.abs(bound);
  }
}
