package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The warm phase's length, min(budget, 4d), and which weights each pick is chosen with. */
class WarmStartTest {

  @Test
  void theWarmPhaseIsFourPicksPerDimensionAtMostTheBudget() {
    assertEquals(32, WarmStart.warmPicks(8, 100));
    assertEquals(20, WarmStart.warmPicks(8, 20));
    assertEquals(32, WarmStart.warmPicks(8, 32));
    assertEquals(4L * 1_000_000, WarmStart.warmPicks(1_000_000, Long.MAX_VALUE), "no int overflow");
    for (long rank = 1; rank <= 40; rank++) {
      assertEquals(rank <= 32 ? Algorithm.APO : Algorithm.ADPO_PLUS, WarmStart.weightsOfPick(rank, 8), "rank " + rank);
    }
    assertEquals(Algorithm.APO, WarmStart.weightsOfPick(4L * 1_000_000_000, 1_000_000_000), "no int overflow");
  }

  @Test
  void theWeightedPhasesAlphaIsTheBoundOfTheBudgetsFit() {
    assertEquals(0.0, WarmStart.weightedAlpha(0, 1000, 10), 0.0, "alpha = 0 stays the plain Fisher weight");
    assertEquals(2.0 * 10, WarmStart.weightedAlpha(2, 1000, 10), 1e-12, "2 sqrt(1000 / 10)");
    assertEquals(3.0, WarmStart.weightedAlpha(3, 500, 500), 0.0, "at n = N it is alpha");
    assertEquals(1.5 * Math.sqrt(0.5), WarmStart.weightedAlpha(1.5, 50, 100), 1e-15);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> WarmStart.weightedAlpha(1, 0, 10));
  }
}
