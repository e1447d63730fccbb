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
}
