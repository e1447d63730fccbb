package org.adpo.select;

import java.util.ArrayList;
import java.util.List;
import org.adpo.design.InverseDesign;

/**
 * The driver's half of one exact round: from the partitions' best candidates, make every pick that
 * provably equals the next pick of sequential greedy over the whole pool, and stop at the first one
 * that cannot be certified.
 *
 * <p>Why the picks are exact. Every partition returned its best k rows by a stored score and, as
 * tau_p, the (k+1)-th stored score. Stored scores are upper bounds of the rows' current scores:
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
   */
  public record Outcome(int picks, List<double[]> downdates, List<Long> picked, double inflation, boolean exhausted) {}

  public static Outcome round(List<PartitionTop> tops, InverseDesign design, long maxPicks, boolean firstIsFresh,
      PickListener listener) {
    List<Candidate> gathered = new ArrayList<>();
    double bound = Double.NEGATIVE_INFINITY;
    for (PartitionTop t : tops) {
      gathered.addAll(t.best());
      bound = Math.max(bound, t.bound());
    }
    double inflation = 0;
    for (Candidate c : gathered) {
      double stored = c.score;
      c.score = design.score(c.phi, 0, c.scale);
      if (c.score > 0) {
        inflation = Math.max(inflation, (stored - c.score) / c.score);
      }
    }
    List<double[]> downdates = new ArrayList<>();
    List<Long> picked = new ArrayList<>();
    boolean exhausted = gathered.isEmpty();
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
      // The reported score is recomputed by the one exact formula, so the output does not depend on
      // which arithmetic path (fresh or downdated) the comparison used, nor on the partitioning.
      listener.picked(c, design.score(c.phi, 0, c.scale));
      double[] t = design.add(c.phi, 0, c.scale);
      downdates.add(t);
      picked.add(c.ord);
      for (Candidate g : gathered) {
        double dot = 0;
        for (int j = 0; j < t.length; j++) {
          dot += g.phi[j] * t[j];
        }
        g.score = Math.max(0.0, g.score - g.scale * g.scale * dot * dot);
      }
      if (gathered.isEmpty() && bound == Double.NEGATIVE_INFINITY) {
        exhausted = true;
      }
    }
    return new Outcome(picked.size(), downdates, picked, inflation, exhausted);
  }

  /** True when {@code score} certainly exceeds every score bounded by {@code bound}. */
  static boolean beats(double score, double bound) {
    return bound == Double.NEGATIVE_INFINITY || score > bound + MARGIN * Math.abs(bound);
  }
}
