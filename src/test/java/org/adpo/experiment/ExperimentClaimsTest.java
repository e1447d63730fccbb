package org.adpo.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.adpo.eval.Metrics;
import org.junit.jupiter.api.Test;

/** The claims check and the summary on hand-made curves. */
class ExperimentClaimsTest {
  private static void add(ExperimentTable t, long seed, String method, double... maxErr) {
    long n = 64;
    for (double e : maxErr) {
      t.add(new ExperimentTable.Row(seed, method, n, new Metrics(e, e / 2, 0.1, 0.9, 1, 0.3, 100, 100), 5, true));
      n *= 2;
    }
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void reportsReachAndWorseBudgets() {
    ExperimentTable t = new ExperimentTable();
    // n = 64, 128, 256, 512; uniform's target at 512 is 4; adpo-plus reaches it at 64 (< 512/4) for seed 1.
    add(t, 1, "adpo-plus", 4, 3, 2, 1);
    add(t, 1, "uniform", 10, 8, 6, 4);
    add(t, 1, "apo", 10, 7, 5, 3);
    add(t, 1, "adpo", 9, 9, 5, 3);
    add(t, 2, "adpo-plus", 9, 6, 4, 1);
    add(t, 2, "uniform", 10, 8, 6, 4);
    add(t, 2, "apo", 10, 7, 5, 3);
    add(t, 2, "adpo", 9, 7, 5, 3);
    ExperimentClaims c = ExperimentClaims.check(t);
    Map<String, ExperimentClaims.Reach> uni =
        ((ExperimentClaims.ReachClaim) c.describe().adpoPlusReachesUniform()).curves();
    assertEquals(64L, uni.get("seed 1").adpoPlusReachesAtN());
    assertTrue(uni.get("seed 1").holds());
    assertEquals(256L, uni.get("seed 2").adpoPlusReachesAtN());
    assertFalse(uni.get("seed 2").holds()); // 256 is not < 128
    assertEquals(256L, uni.get("mean").adpoPlusReachesAtN()); // mean 6.5, 4.5, 3, 1 vs 4
    Map<String, ExperimentClaims.Worse> never = ((ExperimentClaims.NeverWorse) c.describe().adpoNeverWorse()).curves();
    Map<String, List<Long>> worse1 = never.get("seed 1").worseAtN();
    assertEquals(List.of(128L), worse1.get("uniform"));
    assertEquals(List.of(128L), worse1.get("apo"));
    assertTrue(never.get("seed 2").holds());
    // results.json's keys and shapes: a verdict object, a claim not checked as its reason
    com.fasterxml.jackson.databind.JsonNode json = org.adpo.io.ReportJson.tree(c.describe());
    assertEquals("max_logit_error", json.get("metric").asText());
    assertEquals(64L, json.get("adpo_plus_reaches_uniform").get("curves").get("seed 1").get("adpo_plus_reaches_at_n")
        .asLong());
    assertEquals(List.of("reference", "reference_n", "target_max_logit_error", "adpo_plus_reaches_at_n",
        "claimed_below_n", "holds"), fieldNames(json.get("adpo_plus_reaches_uniform").get("curves").get("mean")));
    assertEquals(List.of("compared_with", "curves", "seeds_holding", "seeds", "holds_on_mean"),
        fieldNames(json.get("adpo_never_worse")));
    ExperimentTable only = new ExperimentTable();
    add(only, 1, "adpo", 9, 7);
    add(only, 1, "uniform", 10, 8);
    com.fasterxml.jackson.databind.JsonNode partial = org.adpo.io.ReportJson.tree(ExperimentClaims.check(only).describe());
    assertEquals("not checked: methods not run", partial.get("adpo_plus_reaches_apo").asText());
    assertTrue(partial.get("adpo_never_worse").get("holds_on_mean").asBoolean());
    assertTrue(c.markdown().contains("not checked") || c.markdown().contains("| seed 1 |"));

    ExperimentTable.SummaryRow first = t.summary().get(1); // adpo-plus at 128
    assertEquals(128, first.n());
    assertEquals(4.5, first.stats().get("max_logit_error").mean());
    assertEquals(3.0, first.stats().get("max_logit_error").min());
    assertEquals(6.0, first.stats().get("max_logit_error").max());
  }
}
