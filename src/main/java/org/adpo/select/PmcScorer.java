package org.adpo.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.data.PoolBlock;

/**
 * Executor side of the PMC baseline (SPEC "Baselines"): the {@code m} unpicked rows of a partition
 * with the largest |phi_i . theta - b_i| (ties to the smallest ord), as candidates with w = 1 and
 * that value as their score. The driver merges the partitions' lists by the same order, so the
 * result does not depend on partitioning.
 */
public final class PmcScorer {
  private PmcScorer() {}

  /** |phi_i . theta - b_i| of row i, phi widened from float32, summed in index order. */
  public static double score(PoolBlock p, int i, double[] theta) {
    double dot = 0;
    for (int j = 0; j < p.d; j++) {
      dot += (double) p.phi[i * p.d + j] * theta[j];
    }
    return Math.abs(dot - p.b[i]);
  }

  public static List<Candidate> top(PoolBlock p, double[] theta, long[] pickedSorted, int m) {
    double[] scores = new double[p.rows];
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < p.rows; i++) {
      if (pickedSorted.length > 0 && Arrays.binarySearch(pickedSorted, p.ords[i]) >= 0) {
        continue;
      }
      scores[i] = score(p, i, theta);
      rows.add(i);
    }
    rows.sort((x, y) -> {
      int c = Double.compare(scores[y], scores[x]);
      return c != 0 ? c : Long.compare(p.ords[x], p.ords[y]);
    });
    List<Candidate> out = new ArrayList<>(Math.min(m, rows.size()));
    for (int r = 0; r < Math.min(m, rows.size()); r++) {
      int i = rows.get(r);
      double[] phi = new double[p.d];
      for (int j = 0; j < p.d; j++) {
        phi[j] = p.phi[i * p.d + j];
      }
      out.add(new Candidate(p.ords[i], p.id(i), phi, 1.0, 1.0, scores[i]));
    }
    return out;
  }
}
