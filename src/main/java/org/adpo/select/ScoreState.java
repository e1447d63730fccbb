package org.adpo.select;

import java.io.Serializable;

/**
 * The stored scores of one partition's candidates (upper bounds of their current v^T H^-1 v;
 * -Infinity once picked), aligned row by row with its {@link CandidateBlock}. One generation per
 * round; the loop keeps only the newest cached.
 */
public final class ScoreState implements Serializable {
  private static final long serialVersionUID = 1L;

  public final double[] scores;

  public ScoreState(double[] scores) {
    this.scores = scores;
  }
}
