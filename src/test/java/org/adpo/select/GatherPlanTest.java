package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gather plan against values worked out from its documented rule: no threshold and ceil(G / P)
 * rows each for the first round; after it the 2G-th largest of the left-over exact scores and the
 * partitions' samples as the threshold, and per partition its values above it plus SAMPLE as the cap.
 */
class GatherPlanTest {

  private static Candidate c(long ord, double score) {
    return new Candidate(ord, ord, new double[] {1}, 1, 1, score);
  }

  @Test
  void theFirstRoundSplitsGEvenlyWithoutAThreshold() {
    GatherPlan p = GatherPlan.uniform(10, 3);
    assertEquals(Double.NEGATIVE_INFINITY, p.threshold);
    for (int part = 0; part < 3; part++) {
      assertEquals(4, p.cap(part), "ceil(10 / 3)");
    }
    assertEquals(4, p.maxCap());
    assertEquals(3, GatherPlan.uniform(9, 3).cap(1));
    assertEquals(1, GatherPlan.uniform(2, 8).cap(5), "at least one row each");
    assertEquals(1, GatherPlan.uniform(1, 1).maxCap());
  }

  @Test
  void laterRoundsThresholdAtThe2GthLargestValueAndCapByValuesAbove() {
    // Partition 0 returned rows 1, 2; partition 1 returned row 3; partition 2 returned nothing.
    List<PartitionTop> tops = new ArrayList<>();
    tops.add(new PartitionTop(List.of(c(1, 9), c(2, 8)), 7, 0, new double[] {7, 6.5, 6, 5}));
    tops.add(new PartitionTop(List.of(c(3, 8.5)), 3, 1, new double[] {3, 2, 1, 0.5}));
    tops.add(new PartitionTop(List.of(), 4, 2, new double[] {4, 3.5}));
    // Rows 2 and 3 were gathered and left unpicked with current exact scores 7.5 and 1.5.
    List<Candidate> left = List.of(c(2, 7.5), c(3, 1.5));
    // Values: 7.5 (p0), 1.5 (p1), 7, 6.5, 6, 5 (p0), 3, 2, 1, 0.5 (p1), 4, 3.5 (p2): 12 values.
    // G = 3: threshold = 6th largest = 4 (7.5, 7, 6.5, 6, 5, 4); above it: p0 has 5, p1 0, p2 0.
    GatherPlan p = GatherPlan.next(3, 3, tops, left);
    assertEquals(4.0, p.threshold, 0.0);
    assertEquals(5 + GatherPlan.SAMPLE, p.cap(0));
    assertEquals(GatherPlan.SAMPLE, p.cap(1), "no value above: the sample size");
    assertEquals(GatherPlan.SAMPLE, p.cap(2));
    assertEquals(9, p.maxCap());
    // G = 5: the 10th largest = 1.5; above it p0: 5, p1: 3, 2 (2 values), p2: 4, 3.5 (2 values).
    GatherPlan q = GatherPlan.next(5, 3, tops, left);
    assertEquals(1.5, q.threshold, 0.0);
    assertEquals(5 + 4, q.cap(0));
    assertEquals(2 + 4, q.cap(1));
    assertEquals(2 + 4, q.cap(2));
    // A gathered row whose partition is unknown counts for the threshold, not for any cap.
    GatherPlan r = GatherPlan.next(3, 3, tops, List.of(c(2, 7.5), c(99, 100)));
    assertEquals(5.0, r.threshold, 0.0); // 100, 7.5, 7, 6.5, 6, 5
    assertEquals(4 + 4, r.cap(0)); // 7.5, 7, 6.5, 6 above 5
  }

  @Test
  void fewValuesOrAnUnnumberedPartitionFallBackToTheUniformPlan() {
    List<PartitionTop> tops = List.of(new PartitionTop(List.of(c(1, 2)), 1, 0, new double[] {1, 0.5}));
    // Three values (1 left + 2 samples) for G = 3: not more than G.
    GatherPlan few = GatherPlan.next(3, 2, tops, List.of(c(1, 1.5)));
    assertEquals(Double.NEGATIVE_INFINITY, few.threshold);
    assertEquals(2, few.cap(0));
    // G = 2: three values are more than G; the 2G-th largest does not exist, so the smallest (0.5) is
    // the threshold, and partition 0 has two values above it.
    GatherPlan more = GatherPlan.next(2, 2, tops, List.of(c(1, 1.5)));
    assertEquals(0.5, more.threshold, 0.0);
    assertEquals(2 + GatherPlan.SAMPLE, more.cap(0));
    // A result without a partition number (the two-argument PartitionTop) gives the uniform plan.
    List<PartitionTop> unnumbered = List.of(new PartitionTop(List.of(c(1, 2)), 1), tops.get(0));
    GatherPlan u = GatherPlan.next(1, 4, unnumbered, List.of(c(1, 1.5), c(2, 1.2)));
    assertEquals(Double.NEGATIVE_INFINITY, u.threshold);
    assertEquals(1, u.cap(3));
  }
}
