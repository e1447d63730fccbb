package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The warm phases' lengths (both min(budget, 4d)), their rules, and the weighted phase's bound. */
class WarmStartTest {

  @Test
  void adpoWarmsPhaseIsFourApoPicksPerDimensionAtMostTheBudget() {
    assertEquals(32, WarmStart.warmPicks(Algorithm.ADPO_WARM, 8, 100));
    assertEquals(20, WarmStart.warmPicks(Algorithm.ADPO_WARM, 8, 20));
    assertEquals(32, WarmStart.warmPicks(Algorithm.ADPO_WARM, 8, 32));
    assertEquals(4L * 1_000_000_000, WarmStart.warmPicks(Algorithm.ADPO_WARM, 1_000_000_000, Long.MAX_VALUE),
        "no int overflow");
    assertEquals(Algorithm.APO, WarmStart.warmRule(Algorithm.ADPO_WARM));
  }

  @Test
  void adpoSafesPhaseIsFourUniformPicksPerDimensionAtMostTheBudget() {
    assertEquals(32, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 8, 100));
    assertEquals(5, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 8, 5));
    assertEquals(Algorithm.UNIFORM, WarmStart.warmRule(Algorithm.ADPO_SAFE));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> WarmStart.warmPicks(Algorithm.ADPO_PLUS, 8, 100), "adpo-plus has no warm phase");
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
