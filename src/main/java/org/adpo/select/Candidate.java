package org.adpo.select;

import java.io.Serializable;
import java.util.Comparator;

/**
 * One candidate shipped to the driver: order key, id, phi, weight, scale and a score. The greedy
 * order is "higher score first, then smaller ord" (ties go to the smallest id).
 */
public final class Candidate implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Best first: score descending, then ord ascending. */
  public static final Comparator<Candidate> BEST_FIRST =
      (x, y) -> {
        int c = Double.compare(y.score, x.score);
        return c != 0 ? c : Long.compare(x.ord, y.ord);
      };

  public final long ord;
  public final Object id;
  public final double[] phi;
  public final double weight;
  public final double scale;
  double score;

  public Candidate(long ord, Object id, double[] phi, double weight, double scale, double score) {
    this.ord = ord;
    this.id = id;
    this.phi = phi;
    this.weight = weight;
    this.scale = scale;
    this.score = score;
  }

  public double score() {
    return score;
  }
}
