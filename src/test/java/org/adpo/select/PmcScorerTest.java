package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.data.PoolBlock;
import org.junit.jupiter.api.Test;

/** PMC's partition step: the m unpicked rows with the largest |phi . theta - b|, against values worked out here. */
class PmcScorerTest {

  @Test
  void scoresAreAbsoluteResidualsOfTheLinearPredictor() {
    // d = 3, theta = (1, -2, 0.5): row (2, 1, 4) gives 2 - 2 + 2 = 2, minus b = 3 -> |-1| = 1.
    float[] phi = {2, 1, 4, 0, 0, 0, -1, 0.5f, 2};
    PoolBlock p = new PoolBlock(3, 3, new long[] {10, 11, 12}, null, phi, new double[] {3, -0.25, 0},
        new double[3], new double[] {1, 1, 1});
    double[] theta = {1, -2, 0.5};
    assertEquals(1.0, PmcScorer.score(p, 0, theta), 0.0);
    assertEquals(0.25, PmcScorer.score(p, 1, theta), 0.0);
    // -1 - 1 + 1 = -1, b = 0 -> 1
    assertEquals(1.0, PmcScorer.score(p, 2, theta), 0.0);
  }

  @Test
  void topIsTheMLargestUnpickedRowsWithTiesToTheSmallerOrd() {
    int n = 12;
    int d = 2;
    float[] phi = new float[n * d];
    double[] b = new double[n];
    long[] ords = new long[n];
    String[] ids = new String[n];
    double[] expectedScore = new double[n];
    double[] theta = {0.5, -1};
    for (int i = 0; i < n; i++) {
      phi[i * d] = i % 4;        // 0 1 2 3 0 1 2 3 ...
      phi[i * d + 1] = (i % 3) - 1; // -1 0 1 -1 0 1 ...
      b[i] = i % 2 == 0 ? 0.5 : -0.5;
      ords[i] = 100 - 3 * i; // descending, so ties must be broken against the row order
      ids[i] = "r" + i;
      expectedScore[i] = Math.abs(0.5 * (i % 4) - ((i % 3) - 1) - b[i]);
    }
    PoolBlock p = new PoolBlock(n, d, ords, ids, phi, b, new double[n], new double[n]);
    long[] picked = {ords[3], ords[7]};
    Arrays.sort(picked);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i != 3 && i != 7) {
        order.add(i);
      }
    }
    order.sort((x, y) -> expectedScore[x] != expectedScore[y]
        ? Double.compare(expectedScore[y], expectedScore[x]) : Long.compare(ords[x], ords[y]));
    for (int m : new int[] {0, 1, 4, 9, 10, 11, 30}) {
      List<Candidate> top = PmcScorer.top(p, theta, picked, m);
      int expectedSize = Math.min(m, n - 2);
      assertEquals(expectedSize, top.size(), "m = " + m);
      for (int r = 0; r < expectedSize; r++) {
        int i = order.get(r);
        Candidate c = top.get(r);
        assertEquals(ords[i], c.ord, "m = " + m + ", place " + r);
        assertEquals("r" + i, c.id);
        assertEquals(expectedScore[i], c.score(), 1e-15);
        assertArrayEquals(new double[] {phi[i * d], phi[i * d + 1]}, c.phi, 0.0);
        assertEquals(1.0, c.weight, 0.0);
        assertEquals(1.0, c.scale, 0.0);
      }
    }
    // Nothing picked: all rows compete, and row 3 (score |1.5 + 1 + 0.5| = 3) is the best.
    List<Candidate> all = PmcScorer.top(p, theta, new long[0], 1);
    assertEquals(ords[3], all.get(0).ord);
    assertEquals(3.0, all.get(0).score(), 0.0);
  }
}
