package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines of the greedy steps and of the theta fit, on a hand-driven clock. */
class ProgressLogTest {
  private long now;

  @Test
  void etaComesFromTheStepsAfterTheFirst() {
    ProgressLog log = new ProgressLog("round", () -> now);
    now = 20_000_000_000L; // the first round took 20 s (caching, warm-up), later rounds 1 s per 10 picks
    String first = log.line(1, 10, 100, 0.5);
    assertTrue(first.startsWith("round 1: 10/100 picks") && first.endsWith("ETA after the next round"), first);
    now += 2_000_000_000L;
    String third = log.line(2, 30, 100, 0.25);
    // 20 picks in 2 s: 0.1 s per pick, 70 picks left. The old estimate (22 s / 30 picks) said 51.3 s.
    assertTrue(third.endsWith("ETA 7.0 s"), third);
    now += 100_000_000L;
    assertNull(log.line(3, 31, 100, 0.2), "at most one line per second");
    now += 5_000_000_000L;
    assertTrue(log.line(4, 100, 100, 0.1).endsWith("done"));
  }

  @Test
  void onlineStepsAreNotCalledRounds() {
    ProgressLog log = new ProgressLog("step", () -> now);
    String line = log.line(1, 7, 9, 0.5);
    assertTrue(line.startsWith("step 1: 7/9 picks") && line.endsWith("ETA after the next step"), line);
  }

  @Test
  void fitReportsIterationAndLossEveryFewSeconds() {
    List<String> lines = new ArrayList<>();
    FitProgress p = new FitProgress("theta fit", () -> now, lines::add);
    now += 1_000_000_000L;
    p.onIteration(1, 120.5, 3.0, 2);
    assertEquals(List.of(), lines, "a fit shorter than the period is silent");
    now += FitProgress.PERIOD_NANOS;
    p.onIteration(2, 110.25, 1.5, 3);
    p.onIteration(3, 100.0, 1.0, 4);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("theta fit: iteration 2, loss 110.250, gradient norm 1.50"), lines.get(0));
  }
}
