package org.adpo.spark;

import java.util.Locale;
import org.adpo.config.SelectionSettings;
import org.adpo.design.InverseDesign;
import org.adpo.error.UsageException;

/**
 * Refuses, right after validation, a feature dimension whose driver-side arrays cannot exist,
 * instead of failing later with "Java heap space" or an array size beyond Java's int range. The
 * driver keeps H^-1 as its pick vectors (two arrays of budget x d doubles, see
 * {@code design.InverseDesign}) and, from d picks on, the anchor's d x d matrix and its copy for the
 * executors' refresh; UCB (alpha > 0: Sigma_hat and the Fisher sum) and the online refits (the Newton
 * Hessian and its factor) hold two d x d matrices each.
 */
final class DriverMemory {
  private DriverMemory() {}

  /** The d x d matrices of doubles the driver may hold at once for these settings. */
  static int matrices(SelectionSettings s) {
    return (s.ucbAlpha() > 0 ? 2 : 0) + (s.algorithm().isOnline() ? 2 : 0);
  }

  static void require(int d, SelectionSettings s, String source) {
    require(d, s.budget(), matrices(s), source, Runtime.getRuntime().maxMemory());
  }

  static void require(int d, long budget, int settingsMatrices, String source, long maxHeap) {
    long cells = (long) d * d;
    int matrices = settingsMatrices + (InverseDesign.anchorOf(d, budget) > 0 ? 2 : 0);
    if (settingsMatrices > 0 && cells > Integer.MAX_VALUE - 8) {
      throw new UsageException(String.format(Locale.ROOT, "%s has feature dimension d = %d: UCB (alpha > 0) and the"
          + " online refits need d x d matrices, and one of %d cells exceeds what a Java array can hold"
          + " (d <= 46340); reduce d, or use alpha = 0 with an offline algorithm", source, d, cells));
    }
    long need = matrices * 8L * cells + 2L * 8L * budget * d;
    if (need > maxHeap * 0.8) {
      throw new UsageException(String.format(Locale.ROOT, "%s has feature dimension d = %d: the driver needs about"
          + " %.1f GB (%d d x d matrices and the pick vectors of a budget of %d) but has %.1f GB of heap; give the"
          + " driver more memory (spark-submit --driver-memory, or --conf spark.driver.memory=... for bin/adpo) or"
          + " reduce d", source, d, need / 1e9, matrices, budget, maxHeap / 1e9));
    }
  }
}
