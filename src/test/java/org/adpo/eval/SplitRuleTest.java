package org.adpo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

/** The split rule alone: a function of (seed, fraction, id), with the asked share in expectation. */
class SplitRuleTest {
  @Test
  void shareIsTheFractionWithinBinomialNoise() {
    int n = 200_000;
    for (double f : new double[] {0.01, 0.2, 0.5, 0.9}) {
      SplitRule rule = SplitRule.of(f, 7);
      long test = 0;
      for (long id = 0; id < n; id++) {
        test += rule.isTest(id) ? 1 : 0;
      }
      double sd = Math.sqrt(n * f * (1 - f));
      assertTrue(Math.abs(test - n * f) < 5 * sd, f + ": " + test + " of " + n);
    }
  }

  @Test
  void decisionDependsOnSeedFractionAndIdOnly() {
    SplitRule a = SplitRule.of(0.3, 11);
    SplitRule b = SplitRule.of(0.3, 11);
    SplitRule other = SplitRule.of(0.3, 12);
    int differ = 0;
    for (long id = -500; id < 5000; id++) {
      assertEquals(a.isTest(id), b.isTest(id));
      assertEquals(a.isTest(id), a.isTest(Long.valueOf(id)));
      if (id >= Integer.MIN_VALUE && id <= Integer.MAX_VALUE) {
        assertEquals(a.isTest(id), a.isTest((int) id), "an int id is the same id as the long");
      }
      differ += a.isTest(id) != other.isTest(id) ? 1 : 0;
      assertEquals(a.isTest("k" + id), b.isTest("k" + id));
    }
    assertTrue(differ > 1000, "another seed gives another split: " + differ);
  }

  @Test
  void aLargerFractionOnlyAddsTestRows() {
    SplitRule small = SplitRule.of(0.1, 3);
    SplitRule large = SplitRule.of(0.4, 3);
    for (long id = 0; id < 20_000; id++) {
      assertTrue(!small.isTest(id) || large.isTest(id), "id " + id);
      assertTrue(!small.isTest("s" + id) || large.isTest("s" + id), "id s" + id);
    }
  }

  @Test
  void stringIdsAreNotTheirIntegerValue() {
    SplitRule rule = SplitRule.of(0.5, 1);
    int differ = 0;
    for (long id = 0; id < 2000; id++) {
      differ += rule.key(id) != rule.key(Long.toString(id)) ? 1 : 0;
    }
    assertEquals(2000, differ);
    assertNotEquals(rule.key("ab"), rule.key("ba"));
  }

  @Test
  void fractionsOutsideTheOpenUnitIntervalAreRefused() {
    for (double f : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      UsageException e = assertThrows(UsageException.class, () -> SplitRule.of(f, 1));
      assertTrue(e.getMessage().startsWith("test fraction must be a number strictly between 0 and 1"), e.getMessage());
    }
  }
}
