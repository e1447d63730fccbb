package org.adpo.select;

/**
 * A seeded 64-bit mixing function (SplitMix64's finaliser). Random choices are defined as "the
 * candidates with the smallest keys", key = mix(seed, step, ord), so they do not depend on how the
 * pool is partitioned or on the order in which rows are read.
 */
public final class SeededHash {
  private SeededHash() {}

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The key of candidate {@code ord} at step {@code step} (step 0 for one-shot draws). */
  public static long key(long seed, long step, long ord) {
    long h = mix(seed * 0x9e3779b97f4a7c15L + 0x632be59bd9b4e019L);
    h = mix(h ^ (step * 0xd1b54a32d192ed03L));
    return mix(h ^ ord);
  }

  /** Unsigned comparison, so keys are uniform over the full 64-bit range. */
  public static int compare(long a, long b) {
    return Long.compareUnsigned(a, b);
  }
}
