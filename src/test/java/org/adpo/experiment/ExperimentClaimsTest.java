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

  private static void row(ExperimentTable t, long seed, String method, long n, double maxErr, double acc, double nll) {
    t.add(new ExperimentTable.Row(seed, method, n, new Metrics(maxErr, maxErr / 2, 0.1, acc, 1, nll, 100, 100), 5,
        true));
  }

  @Test
  void safeRuleAgainstUniformCountsTiesAndLosses() throws Exception {
    ExperimentTable t = new ExperimentTable();
    // uniform over two seeds: max error 10/12 at n = 64 (mean 11), 4/6 at 8192 (mean 5); accuracy 0.80/0.90
    // (mean 0.85) at 64, 0.95/0.97 at 8192; nll 0.5/0.7 at 64, 0.2/0.2 at 8192.
    row(t, 1, "uniform", 64, 10, 0.80, 0.5);
    row(t, 2, "uniform", 64, 12, 0.90, 0.7);
    row(t, 1, "uniform", 8192, 4, 0.95, 0.2);
    row(t, 2, "uniform", 8192, 6, 0.97, 0.2);
    // adpo-safe: at 64 max error mean 10.5 (no worse), accuracy mean 0.82 (worse, inside 0.80-0.90: tie),
    // nll mean 0.6 (equal: no worse); at 8192 max error mean 3 (no worse), accuracy mean 0.94 (below 0.95: loss),
    // nll mean 0.25 (above 0.2 = max: loss).
    row(t, 1, "adpo-safe", 64, 10, 0.81, 0.6);
    row(t, 2, "adpo-safe", 64, 11, 0.83, 0.6);
    row(t, 1, "adpo-safe", 8192, 3, 0.94, 0.25);
    row(t, 2, "adpo-safe", 8192, 3, 0.94, 0.25);
    // adpo-plus at 8192: max error mean 1.5, so adpo-safe's 3 is 2x (more than 1.5x).
    row(t, 1, "adpo-plus", 8192, 1, 0.95, 0.2);
    row(t, 2, "adpo-plus", 8192, 2, 0.95, 0.2);
    ExperimentClaims c = ExperimentClaims.check(t);
    ExperimentClaims.SafeClaim safe = (ExperimentClaims.SafeClaim) c.describe().safeNeverWorseThanUniform();
    assertEquals(6, safe.points());
    assertEquals(1, safe.ties().size());
    assertEquals("accuracy", safe.ties().get(0).metric());
    assertEquals(64L, safe.ties().get(0).n());
    assertEquals(0.82, safe.ties().get(0).mean(), 1e-12);
    assertEquals(0.80, safe.ties().get(0).uniformMin(), 1e-12);
    assertEquals(List.of("accuracy 8192", "nll 8192"),
        safe.losses().stream().map(p -> p.metric() + " " + p.n()).collect(java.util.stream.Collectors.toList()));
    assertEquals(1, safe.largeBudget().size());
    assertEquals(2.0, safe.largeBudget().get(0).ratio(), 1e-12);
    assertFalse(safe.largeBudget().get(0).holds());
    assertFalse(safe.holds());
    assertTrue(c.markdown().contains("| accuracy | 64 | 0.8200 | 0.8500 | 0.8000-0.9000 | tie |"), c.markdown());
    assertTrue(c.markdown().contains("6 points: 1 tie, 2 losses."), c.markdown());
    com.fasterxml.jackson.databind.JsonNode json = org.adpo.io.ReportJson.tree(c.describe());
    assertEquals(List.of("method", "metrics", "points", "ties", "losses", "large_budget", "holds"),
        fieldNames(json.get("safe_never_worse_than_uniform")));

    // Without the losses (accuracy and nll at 8192 as uniform's best) and within 1.5x of ADPO+: it holds.
    ExperimentTable fine = new ExperimentTable();
    row(fine, 1, "uniform", 64, 10, 0.80, 0.5);
    row(fine, 2, "uniform", 64, 12, 0.90, 0.7);
    row(fine, 1, "adpo-safe", 64, 9, 0.86, 0.55);
    row(fine, 2, "adpo-safe", 64, 12, 0.86, 0.55);
    ExperimentClaims.SafeClaim ok = (ExperimentClaims.SafeClaim) ExperimentClaims.check(fine).describe()
        .safeNeverWorseThanUniform();
    assertTrue(ok.holds());
    assertTrue(ok.ties().isEmpty() && ok.losses().isEmpty() && ok.largeBudget().isEmpty());
    ExperimentTable none = new ExperimentTable();
    row(none, 1, "uniform", 64, 10, 0.8, 0.5);
    assertEquals("not checked: methods not run",
        org.adpo.io.ReportJson.tree(ExperimentClaims.check(none).describe()).get("safe_never_worse_than_uniform")
            .asText());
  }
}
