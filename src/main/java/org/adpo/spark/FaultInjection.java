package org.adpo.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.adpo.error.UsageException;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;

/**
 * Test-only: makes chosen Spark tasks throw on their first attempts, to check that retried tasks
 * give the same selection. Configured by the Spark conf key {@value #KEY} (or the JVM system
 * property {@value #PROPERTY}) as a comma-separated list of {@code site:partition[:attempts]}: in
 * every job of that site, the task of that (stage-local) partition throws while its attempt number
 * is below {@code attempts} (default 1, i.e. attempt 0 only). Sites: {@code score} (the job of
 * every round of the lazy greedy loop), {@code downdate} (the score-state update of a round, failing
 * after its work and before its result is cached) and {@code fit} (every theta-fit evaluation). Example:
 * {@code --conf spark.adpo.test.fail-tasks=score:0,score:1,fit:0}.
 *
 * <p>When the key is absent, {@link #of} returns null and callers capture that null in their
 * closures: nothing is looked up or checked per task. Never set it in production runs.
 */
final class FaultInjection implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String KEY = "spark.adpo.test.fail-tasks";
  public static final String PROPERTY = "adpo.test.fail-tasks";

  /** "site:partition" -> number of attempts that fail. */
  private final Map<String, Integer> failing;

  private FaultInjection(Map<String, Integer> failing) {
    this.failing = failing;
  }

  /** The injection configured for this application, or null when none is (the normal case). */
  public static FaultInjection of(SparkContext sc) {
    return parse(sc.getConf().get(KEY, System.getProperty(PROPERTY, "")));
  }

  /** Parses a specification; null for an empty one. */
  public static FaultInjection parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return null;
    }
    Map<String, Integer> m = new HashMap<>();
    for (String entry : spec.split(",")) {
      String[] p = entry.trim().split(":");
      try {
        if (p.length < 2 || p.length > 3) {
          throw new NumberFormatException();
        }
        int partition = Integer.parseInt(p[1]);
        int attempts = p.length == 3 ? Integer.parseInt(p[2]) : 1;
        m.put(p[0] + ":" + partition, attempts);
      } catch (NumberFormatException e) {
        throw new UsageException(KEY + ": expected site:partition[:attempts], got '" + entry.trim() + "'");
      }
    }
    return new FaultInjection(m);
  }

  /** Throws when the current task is one of those configured to fail at {@code site}. */
  public void check(String site) {
    TaskContext tc = TaskContext.get();
    if (tc == null) {
      return;
    }
    Integer attempts = failing.get(site + ":" + tc.partitionId());
    if (attempts != null && tc.attemptNumber() < attempts) {
      throw new IllegalStateException("injected failure (" + KEY + "): site " + site + ", partition "
          + tc.partitionId() + ", attempt " + tc.attemptNumber() + ", stage " + tc.stageId());
    }
  }
}
