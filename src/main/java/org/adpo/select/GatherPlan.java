package org.adpo.select;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rows each partition returns in a round of the exact loop: the rows whose stored score exceeds
 * one global {@code threshold}, best first, at most {@link #cap(int)} of them (see
 * {@link PartitionScorer#topAbove}). The threshold is set so that about G rows in all are gathered,
 * whatever the number of partitions P, so the bytes the driver receives and its work per round do
 * not grow with P.
 *
 * <p>Exactness does not depend on the plan: whatever the threshold and caps, each partition returns
 * its best rows by stored score and, as its bound, the stored score of the best row it did not
 * return, so {@link CertifiedGreedy} certifies exactly as with a fixed count per partition. The plan
 * decides only how many rows travel.
 *
 * <p>Setting the threshold without another job: after a round the driver knows the current exact
 * scores of the gathered rows it did not pick and, from every partition, the stored scores of the
 * {@value #SAMPLE} rows after the ones it returned. The threshold is the 2G-th largest of these
 * values; a partition's cap is the number of its values above the threshold plus {@value #SAMPLE}.
 * A partition whose sampled values were not all above the threshold has no more rows above it than
 * it has values above it (the samples are consecutive in its order, and stored scores only fall), so
 * only partitions with all samples above the threshold can reach their cap, and there are at most
 * 2G / {@value #SAMPLE} of those: a round gathers at most about 4 G rows.
 */
public final class GatherPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Stored scores each partition reports beyond the rows it returns. */
  public static final int SAMPLE = 4;

  public final double threshold;
  private final int defaultCap;
  private final Map<Integer, Integer> caps;

  private GatherPlan(double threshold, int defaultCap, Map<Integer, Integer> caps) {
    this.threshold = threshold;
    this.defaultCap = defaultCap;
    this.caps = caps;
  }

  /** No threshold: every partition returns its best ceil(G / P) rows (the first round, after a refit). */
  public static GatherPlan uniform(int gather, int partitions) {
    return new GatherPlan(Double.NEGATIVE_INFINITY, Math.max(1, (gather + partitions - 1) / partitions), Map.of());
  }

  /**
   * The plan of the next round from this round's partition results and the gathered rows left
   * unpicked (with their current exact scores).
   */
  public static GatherPlan next(int gather, int partitions, List<PartitionTop> tops, List<Candidate> left) {
    Map<Long, Integer> home = new HashMap<>();
    for (PartitionTop t : tops) {
      for (Candidate c : t.best()) {
        home.put(c.ord, t.partition());
      }
    }
    List<double[]> values = new ArrayList<>(); // {score, partition}
    for (Candidate c : left) {
      values.add(new double[] {c.score, home.getOrDefault(c.ord, -1)});
    }
    for (PartitionTop t : tops) {
      for (double v : t.next()) {
        values.add(new double[] {v, t.partition()});
      }
    }
    if (values.size() <= gather || tops.stream().anyMatch(t -> t.partition() < 0)) {
      return uniform(gather, partitions);
    }
    double[] scores = new double[values.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = values.get(i)[0];
    }
    Arrays.sort(scores);
    // The 2G-th largest: the sampled stored scores fall with the next downdate, so fewer rows than
    // values lie above a threshold by the time the partitions apply it.
    double threshold = scores[scores.length - Math.min(scores.length, 2 * gather)];
    Map<Integer, Integer> caps = new HashMap<>();
    for (double[] v : values) {
      if (v[0] > threshold && v[1] >= 0) {
        caps.merge((int) v[1], 1, Integer::sum);
      }
    }
    caps.replaceAll((p, c) -> c + SAMPLE);
    return new GatherPlan(threshold, SAMPLE, caps);
  }

  /** The most rows partition {@code p} may return. */
  public int cap(int p) {
    return caps.getOrDefault(p, defaultCap);
  }

  /** The largest cap of any partition. */
  public int maxCap() {
    int m = defaultCap;
    for (int c : caps.values()) {
      m = Math.max(m, c);
    }
    return m;
  }
}
