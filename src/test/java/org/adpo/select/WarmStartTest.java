package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The warm phases' lengths (min(budget, 4d); adpo-safe's shrinks past 8d), their rules, and the weighted phase's bound. */
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
    assertEquals(32, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 8, 64), "8d: 4d");
    assertEquals(32, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 8, 40));
    assertEquals(5, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 8, 5));
    assertEquals(20, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 8, 100), "past 8d: 4d x 8d / n = 32 x 64 / 100");
    assertEquals(1152, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 384, 4096), "the Fashion-MNIST pool at 4096");
    assertEquals(144, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 384, 32768));
    assertEquals(1, WarmStart.warmPicks(Algorithm.ADPO_SAFE, 1, 1_000_000), "at least one");
    assertEquals(32, WarmStart.warmPicks(Algorithm.ADPO_WARM, 8, 100), "adpo-warm's does not shrink");
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

  @Test
  void adpoSafesBoundShrinksPast8dPicksButNotBelowTwo() {
    // d = 384, N = 52655 (the Fashion-MNIST experiment's training pool)
    assertEquals(2 * Math.sqrt(52655.0 / 3072), WarmStart.safeAlpha(52655, 3072, 384), 1e-12, "n = 8d: unchanged");
    assertEquals(2 * Math.sqrt(52655.0 / 1536), WarmStart.safeAlpha(52655, 1536, 384), 1e-12, "n < 8d: unchanged");
    assertEquals(2 * Math.sqrt(52655.0 / 8192) * Math.sqrt(3072.0 / 8192), WarmStart.safeAlpha(52655, 8192, 384),
        1e-12, "n = 8192: about 3.1 (5.07 without the shrink)");
    assertEquals(2.0, WarmStart.safeAlpha(52655, 16384, 384), 0.0, "1.55 is raised to adpo-plus's 2");
    assertEquals(2.0, WarmStart.safeAlpha(52655, 52655, 384), 0.0);
  }
}
