package org.adpo.spark;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One progress line per round, at most one per second (the last round always), with picks so far,
 * the last gain and an ETA from the average pick rate.
 */
public final class ProgressLog {
  private static final Logger LOG = LoggerFactory.getLogger("org.adpo.progress");
  private final long start = System.nanoTime();
  private long lastLine;

  public void round(int round, long picks, long target, double gain) {
    long now = System.nanoTime();
    if (picks < target && now - lastLine < 1_000_000_000L && round > 1) {
      return;
    }
    lastLine = now;
    double elapsed = (now - start) / 1e9;
    double eta = picks > 0 ? elapsed / picks * (target - picks) : Double.NaN;
    LOG.info(String.format(Locale.ROOT, "round %d: %d/%d picks (%.1f per round), last gain %.4g, elapsed %.1f s, ETA %.1f s",
        round, picks, target, picks / (double) round, gain, elapsed, eta));
  }

  public static void info(String message) {
    LOG.info(message);
  }

  public static void warn(String message) {
    LOG.warn(message);
  }
}
