package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The seeded keys against SplitMix64's published outputs and against the same formulas evaluated
 * here in arbitrary precision modulo 2^64 (no shared code).
 */
class SeededHashTest {
  private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

  private static BigInteger u(long x) {
    return new BigInteger(Long.toUnsignedString(x));
  }

  private static BigInteger mod(BigInteger x) {
    return x.mod(TWO64);
  }

  /** SplitMix64's finaliser: z ^= z >> 30; z *= C1; z ^= z >> 27; z *= C2; z ^= z >> 31 (mod 2^64). */
  private static BigInteger mix(BigInteger z) {
    z = mod(z.xor(z.shiftRight(30)).multiply(u(0xbf58476d1ce4e5b9L)));
    z = mod(z.xor(z.shiftRight(27)).multiply(u(0x94d049bb133111ebL)));
    return z.xor(z.shiftRight(31));
  }

  @Test
  void mixIsSplitMix64sFinaliser() {
    // SplitMix64 seeded with 0 returns mix(k * 0x9e3779b97f4a7c15) for k = 1, 2, 3: the reference outputs.
    long gamma = 0x9e3779b97f4a7c15L;
    assertEquals(0xe220a8397b1dcdafL, SeededHash.mix(gamma));
    assertEquals(0x6e789e6aa1b965f4L, SeededHash.mix(2 * gamma));
    assertEquals(0x06c45d188009454fL, SeededHash.mix(3 * gamma));
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    for (int i = 0; i < 200; i++) {
      long z = r.nextLong();
      assertEquals(mix(u(z)), u(SeededHash.mix(z)), "mix(" + z + ")");
    }
    assertEquals(0L, SeededHash.mix(0L));
  }

  @Test
  void keyChainsSeedStepAndOrdThroughMix() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(12);
    long[] seeds = {0, 1, 42, -7, Long.MAX_VALUE, r.nextLong()};
    long[] steps = {0, 1, 5, 1L << 40, -1};
    long[] ords = {0, 1, 2, 999, -3, r.nextLong()};
    for (long seed : seeds) {
      for (long step : steps) {
        for (long ord : ords) {
          BigInteger h = mix(mod(u(seed).multiply(u(0x9e3779b97f4a7c15L)).add(u(0x632be59bd9b4e019L))));
          h = mix(h.xor(mod(u(step).multiply(u(0xd1b54a32d192ed03L)))));
          BigInteger expected = mix(h.xor(u(ord)));
          assertEquals(expected, u(SeededHash.key(seed, step, ord)), seed + "/" + step + "/" + ord);
        }
      }
    }
  }

  @Test
  void compareIsUnsigned() {
    assertTrue(SeededHash.compare(-1L, 1L) > 0, "0xffff... is the largest key");
    assertTrue(SeededHash.compare(1L, -1L) < 0);
    assertTrue(SeededHash.compare(Long.MIN_VALUE, Long.MAX_VALUE) > 0);
    assertTrue(SeededHash.compare(3L, 5L) < 0);
    assertEquals(0, SeededHash.compare(-9L, -9L));
  }
}
