package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

class DriverMemoryTest {
  private static final long SIX_GB = 6_000_000_000L;

  @Test
  void dxdMatricesThatCannotExistAreRefusedWithTheMemoryTheyNeed() {
    // UCB at d = 20000: two d x d matrices of 3.2 GB each do not fit in 6 GB.
    UsageException big = assertThrows(UsageException.class,
        () -> DriverMemory.require(20_000, 100, 2, "pool.parquet", SIX_GB));
    assertTrue(big.getMessage().startsWith("pool.parquet has feature dimension d = 20000: the driver needs about"
        + " 6.4 GB (2 d x d matrices and the pick vectors of a budget of 100) but has 6.0 GB of heap"), big.getMessage());
    UsageException huge = assertThrows(UsageException.class,
        () -> DriverMemory.require(100_000, 100, 2, "pool.parquet", SIX_GB));
    assertTrue(huge.getMessage().contains("exceeds what a Java array can hold (d <= 46340)"), huge.getMessage());
  }

  @Test
  void anOfflineSelectionWithoutUcbNeedsOnlyItsPickVectors() {
    DriverMemory.require(100_000, 100, 0, "pool.parquet", SIX_GB); // 160 MB of pick vectors
    DriverMemory.require(8_192, 1000, 0, "pool.parquet", SIX_GB);
    assertThrows(UsageException.class, () -> DriverMemory.require(100_000, 10_000, 0, "pool.parquet", SIX_GB));
  }

  @Test
  void aBudgetOfDPicksOrMoreCountsTheAnchorsMatrices() {
    // d = 16384, 16383 picks: 4.3 GB of pick vectors fit in 6 GB; from 16384 picks on, two 2.1 GB matrices join.
    DriverMemory.require(16_384, 16_383, 0, "pool.parquet", SIX_GB);
    UsageException e = assertThrows(UsageException.class,
        () -> DriverMemory.require(16_384, 16_384, 0, "pool.parquet", SIX_GB));
    assertTrue(e.getMessage().contains("(2 d x d matrices and the pick vectors of a budget of 16384)"), e.getMessage());
    // d = 50000: no d x d array can exist, so the design stays in pick vectors and nothing is refused for it.
    DriverMemory.require(50_000, 60_000, 0, "pool.parquet", 100L * SIX_GB);
  }
}
