package org.adpo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

class PrefixGridTest {
  @Test
  void defaultIsPowersOfTwoAndTheSize() {
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L), PrefixGrid.forSize(List.of(), 64));
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 40L), PrefixGrid.forSize(null, 40));
    assertEquals(List.of(1L), PrefixGrid.forSize(List.of(), 1));
  }

  @Test
  void explicitGridIsSortedAndCut() {
    List<Long> grid = PrefixGrid.parse(" 8, 2,2 ,100");
    assertEquals(List.of(2L, 8L, 100L), grid);
    assertEquals(List.of(2L, 8L), PrefixGrid.forSize(grid, 50));
    assertEquals(List.of(1L), PrefixGrid.forSize(grid, 1), "no grid point fits: the size itself");
    assertThrows(UsageException.class, () -> PrefixGrid.parse("1,x"));
    assertThrows(UsageException.class, () -> PrefixGrid.parse("0,4"));
  }
}
