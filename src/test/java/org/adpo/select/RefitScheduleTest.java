package org.adpo.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.adpo.error.UsageException;
import org.junit.jupiter.api.Test;

/** Refit points of each schedule (as pick counts c: the refit happens before pick c + 1). */
class RefitScheduleTest {

  private static List<Long> points(RefitSchedule s, long upTo) {
    List<Long> out = new ArrayList<>();
    for (long c = 1; c <= upTo; c++) {
      if (s.refitAfter(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static void assertNextConsistent(RefitSchedule s, long upTo) {
    for (long p = 0; p <= upTo; p++) {
      long c = p + 1;
      while (!s.refitAfter(c)) {
        c++;
      }
      assertEquals(c, s.nextRefit(p), s + " next after " + p);
    }
  }

  @Test
  void doublingRefitsBeforePicksTwoFourEight() {
    RefitSchedule s = RefitSchedule.parse("doubling", 1);
    assertEquals(List.of(1L, 3L, 7L, 15L, 31L), points(s, 40));
    assertNextConsistent(s, 100);
  }

  @Test
  void everyKAndBatch() {
    assertEquals(List.of(3L, 6L, 9L, 12L), points(RefitSchedule.parse("every:3", 1), 13));
    assertEquals(List.of(1L, 2L, 3L), points(RefitSchedule.parse("every:1", 1), 3));
    assertEquals(List.of(4L, 8L, 12L), points(RefitSchedule.parse("batch", 4), 13));
    assertEquals(List.of(1L, 2L, 3L), points(RefitSchedule.parse("batch", 1), 3));
    assertNextConsistent(RefitSchedule.parse("every:3", 1), 50);
    assertNextConsistent(RefitSchedule.parse("batch", 4), 50);
  }

  @Test
  void batchesMoveRefitsToBatchEnds() {
    // doubling points 1, 3 | 7 | 15 | 31 fall in the batches ending at 4, 8, 16, 32
    assertEquals(List.of(4L, 8L, 16L, 32L), points(RefitSchedule.parse("doubling", 4), 40));
    // every:6 with batches of 4: points 6, 12, 18, 24 -> batch ends 8, 12, 20, 24
    assertEquals(List.of(8L, 12L, 20L, 24L), points(RefitSchedule.parse("every:6", 4), 26));
    assertNextConsistent(RefitSchedule.parse("doubling", 4), 100);
    assertNextConsistent(RefitSchedule.parse("every:6", 4), 100);
    assertNextConsistent(RefitSchedule.parse("doubling", 3), 100);
  }

  @Test
  void rejectsBadSchedules() {
    assertThrows(UsageException.class, () -> RefitSchedule.parse("every:0", 1));
    assertThrows(UsageException.class, () -> RefitSchedule.parse("every:x", 1));
    assertThrows(UsageException.class, () -> RefitSchedule.parse("weekly", 1));
    assertThrows(UsageException.class, () -> RefitSchedule.parse("doubling", 0));
  }

  @Test
  void describesItselfAsGiven() {
    assertEquals("every:3", RefitSchedule.parse("every:3", 1).toString());
    assertEquals("doubling", RefitSchedule.parse("doubling", 1).toString());
    assertEquals("batch", RefitSchedule.parse("batch", 4).toString());
  }
}
