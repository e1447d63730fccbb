package org.adpo.eval;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.adpo.error.UsageException;
import org.adpo.select.SeededHash;

/**
 * Which side of a train/test split a pool row falls on ({@code bin/adpo split}): a row is in the
 * test pool iff the seeded 64-bit hash of its id, read as an unsigned fraction of 2^64, is below the
 * test fraction. The decision depends on (seed, id) only, never on the partitioning, the row order
 * or the file format, so a split is reproducible on any cluster, and the same pool split again with
 * the same seed and fraction gives the same two pools. The test share is the fraction in
 * expectation (binomial), not exactly.
 *
 * <p>Integer ids hash as their value, string ids as the 64-bit FNV-1a hash of their UTF-8 bytes
 * (mixed again with the seed), so "12" and 12 are different ids, as they are to the engine.
 */
public final class SplitRule implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The step of {@link SeededHash#key} reserved for splits, so a split never correlates with uniform picks. */
  static final long SPLIT_STEP = 0x5b1e_7e57_0000_0001L;

  private final long seed;
  private final long threshold; // unsigned: floor(fraction * 2^64)

  private SplitRule(double fraction, long seed) {
    this.seed = seed;
    this.threshold = new BigDecimal(fraction).multiply(new BigDecimal(BigDecimal.ONE.toBigInteger().shiftLeft(64)))
        .toBigInteger().longValue(); // the low 64 bits: the unsigned value, since fraction < 1
  }

  /** The rule for a test fraction strictly between 0 and 1. */
  public static SplitRule of(double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new UsageException("test fraction must be a number strictly between 0 and 1, got " + testFraction);
    }
    return new SplitRule(testFraction, seed);
  }

  long seed() {
    return seed;
  }

  /** True iff the row with this id (a Long/Integer/Short/Byte or a String) belongs to the test pool. */
  public boolean isTest(Object id) {
    return SeededHash.compare(key(id), threshold) < 0;
  }

  /** The seeded hash of an id. */
  long key(Object id) {
    long value;
    if (id instanceof Long || id instanceof Integer || id instanceof Short || id instanceof Byte) {
      value = ((Number) id).longValue();
    } else if (id instanceof String s) {
      value = SeededHash.mix(fnv1a(s) ^ 0x2f6b_1d3a_9c84_e5b7L); // apart from the integer ids' values
    } else {
      throw new IllegalArgumentException("an id is an integer or a string, got " + id.getClass().getName());
    }
    return SeededHash.key(seed, SPLIT_STEP, value);
  }

  static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
