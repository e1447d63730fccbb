package org.adpo.embed;

import org.adpo.select.SeededHash;

/**
 * Which response becomes y1: a seeded hash of the row id decides, so the label s is not constant
 * (chosen is not always first) and the same seed gives the same orientation whatever the
 * partitioning. s = 1 means y1 is the chosen response.
 */
public final class PairSwap {
  private PairSwap() {}

  /** 1 when y1 = chosen (not swapped), 0 when y1 = rejected; each with probability 1/2 over ids. */
  public static int label(long seed, long id) {
    return SeededHash.key(seed, 0x5eedL, id) >>> 63 == 0 ? 1 : 0;
  }
}
