package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

class DriverMemoryTest {
  @Test
  void aDimensionWhoseMatricesCannotExistIsRefusedWithTheMemoryItNeeds() {
    UsageException big = assertThrows(UsageException.class, () -> DriverMemory.require(40_000, "pool.parquet"));
    assertTrue(big.getMessage().startsWith("pool.parquet has feature dimension d = 40000: the driver's d x d"
        + " matrices need about 38.4 GB"), big.getMessage());
    UsageException huge = assertThrows(UsageException.class, () -> DriverMemory.require(100_000, "pool.parquet"));
    assertTrue(huge.getMessage().contains("exceeds what one Java array can hold (d <= 46340)"), huge.getMessage());
    DriverMemory.require(64, "pool.parquet"); // an ordinary d passes
  }
}
