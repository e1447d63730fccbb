package org.adpo.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.adpo.error.UsageException;

/**
 * The prefix sizes n at which a selection is evaluated. The default is 1, 2, 4, ... up to the
 * selection's size m, plus m itself when it is not a power of two; an explicit grid is sorted,
 * de-duplicated and cut at m.
 */
public final class PrefixGrid {
  private PrefixGrid() {}

  /** Parses "1,2,4,8" (blanks allowed); every value must be an integer >= 1. */
  public static List<Long> parse(String text) {
    List<Long> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        out.add(Long.parseLong(p));
      } catch (NumberFormatException e) {
        throw new UsageException("--grid expects comma-separated integers such as 1,2,4,8, got '" + text + "'");
      }
    }
    return check(out);
  }

  /** Checks an explicit grid (>= 1 each); returns it sorted and without duplicates. */
  public static List<Long> check(List<Long> grid) {
    for (long n : grid) {
      if (n < 1) {
        throw new UsageException("grid sizes must be >= 1, got " + n);
      }
    }
    return new ArrayList<>(new TreeSet<>(grid));
  }

  /**
   * The sizes for a selection of {@code size} rows: the explicit grid's values <= size (or, when
   * none is, just size), else the default powers of two plus size.
   *
   * @param explicit a checked grid, or null or empty for the default
   */
  public static List<Long> forSize(List<Long> explicit, long size) {
    List<Long> out = new ArrayList<>();
    if (explicit == null || explicit.isEmpty()) {
      for (long n = 1; n <= size; n *= 2) {
        out.add(n);
      }
      if (size >= 1 && Long.bitCount(size) != 1) {
        out.add(size);
      }
      return out;
    }
    for (long n : explicit) {
      if (n <= size) {
        out.add(n);
      }
    }
    if (out.isEmpty() && size >= 1) {
      out.add(size);
    }
    return out;
  }
}
