package org.adpo.select;

import java.io.Serializable;
import java.util.List;

/**
 * What one partition returns in a round: its best candidates (best first, with vectors) and a
 * bound on the score of every candidate it did not return ({@code -Infinity} when it returned all
 * its remaining candidates); also which partition it is and the stored scores of the next few
 * candidates after the returned ones, best first (the first is the bound), from which the driver
 * sets the next round's gather threshold.
 */
public record PartitionTop(List<Candidate> best, double bound, int partition, double[] next)
    implements Serializable {
  public PartitionTop(List<Candidate> best, double bound) {
    this(best, bound, -1, new double[0]);
  }
}
