package org.adpo.spark;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One progress line per greedy step ("round" in select, "step" inside an online round, whose own
 * rounds are the batches people label), at most one per second (the last always), with picks so
 * far, the last gain and an ETA. The ETA is the remaining picks at the measured cost per pick of the
 * steps after the first: the first step also pays for caching the pool, JIT warm-up and the initial
 * scores, so an ETA from it alone was off by 4-30x. After the first step no cost is measured yet,
 * and the line says so instead of guessing.
 */
public final class ProgressLog {
  private static final Logger LOG = LoggerFactory.getLogger("org.adpo.progress");
  private final String unit;
  private final LongSupplier clock;
  private final long start;
  private long lastLine;
  private int firstRound = -1;
  private long firstEnd;
  private long firstPicks;

  /** Steps called "round" (select). */
  public ProgressLog() {
    this("round");
  }

  /** Steps called {@code unit} in the lines. */
  public ProgressLog(String unit) {
    this(unit, System::nanoTime);
  }

  ProgressLog(String unit, LongSupplier clock) {
    this.unit = unit;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  public void round(int round, long picks, long target, double gain) {
    String line = line(round, picks, target, gain);
    if (line != null) {
      LOG.info(line);
    }
  }

  /** The line for this step, or null when it is not due (package-private for tests). */
  String line(int round, long picks, long target, double gain) {
    long now = clock.getAsLong();
    if (firstRound < 0) {
      firstRound = round;
      firstEnd = now;
      firstPicks = picks;
    }
    if (picks < target && now - lastLine < 1_000_000_000L && round > firstRound) {
      return null;
    }
    lastLine = now;
    double elapsed = (now - start) / 1e9;
    String eta;
    if (picks >= target) {
      eta = "done";
    } else if (round == firstRound || picks <= firstPicks) {
      eta = "ETA after the next " + unit;
    } else {
      double perPick = (now - firstEnd) / 1e9 / (picks - firstPicks);
      eta = String.format(Locale.ROOT, "ETA %.1f s", perPick * (target - picks));
    }
    return String.format(Locale.ROOT, "%s %d: %d/%d picks, last gain %.4g, elapsed %.1f s, %s",
        unit, round, picks, target, gain, elapsed, eta);
  }

  public static void info(String message) {
    LOG.info(message);
  }

  public static void warn(String message) {
    LOG.warn(message);
  }
}
