package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

/** The algorithm names and properties as docs/method.md and the select command's help list them. */
class AlgorithmTest {

  @Test
  void parsesEveryCommandLineNameIgnoringCaseAndSpaces() {
    assertEquals(Algorithm.DOPT, Algorithm.parse("dopt"));
    assertEquals(Algorithm.ADPO_PLUS, Algorithm.parse(" ADPO-Plus "));
    assertEquals(Algorithm.ADPO_WARM, Algorithm.parse("adpo-warm"));
    assertEquals(Algorithm.ADPO_SAFE, Algorithm.parse("adpo-safe"));
    assertEquals(Algorithm.APO, Algorithm.parse("apo"));
    assertEquals(Algorithm.UNIFORM, Algorithm.parse("Uniform"));
    assertEquals(Algorithm.ADPO, Algorithm.parse("adpo"));
    assertEquals(Algorithm.PMC, Algorithm.parse("pmc"));
    assertEquals("adpo-plus", Algorithm.ADPO_PLUS.cliName());
    assertEquals("dopt, adpo-plus, adpo-warm, adpo-safe, apo, uniform, adpo, pmc", Algorithm.names());
    UsageException e = assertThrows(UsageException.class, () -> Algorithm.parse("adpo_plus"));
    assertTrue(e.getMessage().contains("'adpo_plus'") && e.getMessage().contains("dopt, adpo-plus"), e.getMessage());
  }

  @Test
  void labelsOnlineAndDesignFollowTheMethod() {
    Set<Algorithm> labels = EnumSet.of(Algorithm.ADPO_PLUS, Algorithm.ADPO_WARM, Algorithm.ADPO_SAFE);
    Set<Algorithm> warm = EnumSet.of(Algorithm.ADPO_WARM, Algorithm.ADPO_SAFE);
    Set<Algorithm> online = EnumSet.of(Algorithm.ADPO, Algorithm.PMC);
    for (Algorithm a : Algorithm.values()) {
      assertEquals(labels.contains(a), a.needsLabels(), a.cliName());
      assertEquals(online.contains(a), a.isOnline(), a.cliName());
      assertEquals(warm.contains(a), a.isWarmStarted(), a.cliName());
      assertEquals(labels.contains(a), a.fitsThetaFirst(), a.cliName());
    }
    assertEquals("UCB-Fisher-weighted", Algorithm.ADPO_SAFE.design(0)); // its bound is fixed
    for (Algorithm a : new Algorithm[] {Algorithm.ADPO, Algorithm.ADPO_PLUS, Algorithm.ADPO_WARM}) {
      assertEquals("Fisher-weighted", a.design(0));
      assertEquals("UCB-Fisher-weighted", a.design(0.5));
    }
    assertEquals("weight-column-weighted", Algorithm.DOPT.design(0));
    for (Algorithm a : new Algorithm[] {Algorithm.APO, Algorithm.UNIFORM, Algorithm.PMC}) {
      assertEquals("unweighted", a.design(0.5));
    }
  }
}
