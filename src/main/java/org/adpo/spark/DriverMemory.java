package org.adpo.spark;

import java.util.Locale;
import org.adpo.error.UsageException;

/**
 * Refuses, right after validation, a feature dimension whose d x d matrices cannot exist on the
 * driver (H^-1, its broadcast copy and the fit's or UCB's d x d matrix: three of 8 d^2 bytes), instead
 * of failing later with "Java heap space" or an array size beyond Java's int range.
 */
final class DriverMemory {
  private DriverMemory() {}

  /** Matrices of d x d doubles the driver may hold at once. */
  static final int MATRICES = 3;

  static void require(int d, String source) {
    long cells = (long) d * d;
    if (cells > Integer.MAX_VALUE - 8) {
      throw new UsageException(String.format(Locale.ROOT, "%s has feature dimension d = %d: a d x d matrix of %d"
          + " cells exceeds what one Java array can hold (d <= 46340); reduce d", source, d, cells));
    }
    long need = MATRICES * 8L * cells;
    long max = Runtime.getRuntime().maxMemory();
    if (need > max * 0.8) {
      throw new UsageException(String.format(Locale.ROOT, "%s has feature dimension d = %d: the driver's d x d"
          + " matrices need about %.1f GB (%d of 8 d^2 bytes) but the driver has %.1f GB of heap; give the driver"
          + " more memory (spark-submit --driver-memory, or ADPO_JAVA_OPTS=-Xmx... for bin/adpo) or reduce d",
          source, d, need / 1e9, MATRICES, max / 1e9));
    }
  }
}
