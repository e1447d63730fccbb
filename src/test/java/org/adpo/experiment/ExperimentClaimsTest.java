package org.adpo.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    Map<?, ?> uni = (Map<?, ?>) ((Map<?, ?>) c.describe().get("adpo_plus_reaches_uniform")).get("curves");
    assertEquals(64L, ((Map<?, ?>) uni.get("seed 1")).get("adpo_plus_reaches_at_n"));
    assertEquals(true, ((Map<?, ?>) uni.get("seed 1")).get("holds"));
    assertEquals(256L, ((Map<?, ?>) uni.get("seed 2")).get("adpo_plus_reaches_at_n"));
    assertEquals(false, ((Map<?, ?>) uni.get("seed 2")).get("holds")); // 256 is not < 128
    assertEquals(256L, ((Map<?, ?>) uni.get("mean")).get("adpo_plus_reaches_at_n")); // mean 6.5, 4.5, 3, 1 vs 4
    Map<?, ?> never = (Map<?, ?>) ((Map<?, ?>) c.describe().get("adpo_never_worse")).get("curves");
    Map<?, ?> worse1 = (Map<?, ?>) ((Map<?, ?>) never.get("seed 1")).get("worse_at_n");
    assertEquals(List.of(128L), worse1.get("uniform"));
    assertEquals(List.of(128L), worse1.get("apo"));
    assertEquals(true, ((Map<?, ?>) never.get("seed 2")).get("holds"));
    assertTrue(c.markdown().contains("not checked") || c.markdown().contains("| seed 1 |"));

    ExperimentTable.SummaryRow first = t.summary().get(1); // adpo-plus at 128
    assertEquals(128, first.n());
    assertEquals(4.5, first.stats().get("max_logit_error").mean());
    assertEquals(3.0, first.stats().get("max_logit_error").min());
    assertEquals(6.0, first.stats().get("max_logit_error").max());
  }
}
