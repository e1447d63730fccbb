package org.adpo.select;

import java.util.ArrayList;
import java.util.List;
import org.adpo.design.InverseDesign;

/**
 * The driver's half of one exact round: from the partitions' best candidates, make every pick that
 * provably equals the next pick of sequential greedy over the whole pool, and stop at the first one
 * that cannot be certified.
 *
 * <p>Why the picks are exact. At the start of a round every partition scored all its remaining
 * candidates under the same A = H^-1 and returned its best k plus the (k+1)-th score tau_p.
 * (1) The first pick is the best of the partitions' best, i.e. the global argmax under "score
 * descending, ord ascending" — exactly the sequential rule. (2) After a pick, H grows by a PSD
 * term, so every candidate's score v^T H^-1 v can only fall: a candidate left behind in partition
 * p still has score <= tau_p. The driver rescores the gathered candidates exactly under the new A
 * (same formula as the executors). If the best of them beats tau = max_p tau_p, it beats every
 * candidate not gathered, so it is the sequential pick; otherwise the round ends and the next
 * round rescores the whole pool. The comparison asks for a margin of {@link #MARGIN} (relative)
 * above tau: in floating point a score may fail to fall by a few ulps when the update is nearly
 * orthogonal to v, and a candidate tied with one behind the bound must not be taken out of id
 * order. Ending a round early costs a Spark job, never exactness.
 */
public final class CertifiedGreedy {
  /** Relative margin by which a rescored candidate must beat every partition's bound. */
  public static final double MARGIN = 1e-9;

  private CertifiedGreedy() {}

  /** Receives each pick as it is made (the candidate and its score at pick time). */
  public interface PickListener {
    void picked(Candidate c, double score);
  }

  /**
   * Makes up to {@code maxPicks} certified picks from one round, adding each to {@code design}.
   *
   * @return the number of picks made (0 only when no candidate is left anywhere)
   */
  public static int round(List<PartitionTop> tops, InverseDesign design, long maxPicks, PickListener listener) {
    List<Candidate> gathered = new ArrayList<>();
    double bound = Double.NEGATIVE_INFINITY;
    for (PartitionTop t : tops) {
      gathered.addAll(t.best());
      bound = Math.max(bound, t.bound());
    }
    int made = 0;
    boolean fresh = true;
    while (made < maxPicks && !gathered.isEmpty()) {
      if (!fresh) {
        for (Candidate c : gathered) {
          c.score = design.score(c.phi, 0, c.scale);
        }
      }
      int best = 0;
      for (int i = 1; i < gathered.size(); i++) {
        if (Candidate.BEST_FIRST.compare(gathered.get(i), gathered.get(best)) < 0) {
          best = i;
        }
      }
      Candidate c = gathered.get(best);
      if (!fresh && !beats(c.score, bound)) {
        break;
      }
      gathered.remove(best);
      listener.picked(c, c.score);
      design.add(c.phi, 0, c.scale);
      made++;
      fresh = false;
    }
    return made;
  }

  /** True when {@code score} certainly exceeds every score bounded by {@code bound}. */
  static boolean beats(double score, double bound) {
    return bound == Double.NEGATIVE_INFINITY || score > bound + MARGIN * Math.abs(bound);
  }
}
