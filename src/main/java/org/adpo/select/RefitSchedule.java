package org.adpo.select;

import java.util.Locale;
import org.adpo.error.UsageException;

/**
 * When online selection ({@code adpo}, {@code pmc}) refits theta, as a number of picks made: a refit
 * "after c picks" happens before pick c + 1, on the c labels revealed so far.
 *
 * <ul>
 *   <li>{@code doubling} (the paper): before picks 2, 4, 8, ..., i.e. after c = 1, 3, 7, 15, ... picks;
 *   <li>{@code every:K}: after every K picks (c = K, 2K, ...);
 *   <li>{@code batch}: after every batch (c = B, 2B, ...).
 * </ul>
 *
 * With batches of B > 1 picks, theta stays fixed within a batch and labels arrive only at its end,
 * so a refit can happen only at a batch end: after c = jB picks when the schedule has a point in
 * (c - B, c].
 */
public final class RefitSchedule {
  private final String kind;
  private final long every;
  private final long batch;

  private RefitSchedule(String kind, long every, long batch) {
    this.kind = kind;
    this.every = every;
    this.batch = batch;
  }

  /** Parses {@code doubling}, {@code every:K} (K >= 1) or {@code batch}, for batches of {@code batch} picks. */
  public static RefitSchedule parse(String text, long batch) {
    if (batch < 1) {
      throw new UsageException("batch must be >= 1, got " + batch);
    }
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("doubling") || t.equals("batch")) {
      return new RefitSchedule(t, 0, batch);
    }
    if (t.startsWith("every:")) {
      long k;
      try {
        k = Long.parseLong(t.substring(6).trim());
      } catch (NumberFormatException e) {
        k = 0;
      }
      if (k < 1) {
        throw new UsageException("schedule every:K needs an integer K >= 1, got '" + text + "'");
      }
      return new RefitSchedule("every", k, batch);
    }
    throw new UsageException("unknown schedule '" + text + "'; expected doubling, every:K (K >= 1) or batch");
  }

  /** The smallest schedule point c >= x (x >= 1), ignoring batches. */
  private long nextPoint(long x) {
    switch (kind) {
      case "doubling": {
        long y = x + 1; // points are c = 2^k - 1
        return (Long.bitCount(y) == 1 ? y : Long.highestOneBit(y) * 2) - 1;
      }
      case "every":
        return (x + every - 1) / every * every;
      default:
        return (x + batch - 1) / batch * batch;
    }
  }

  /** True when theta is refitted after {@code c} picks (c >= 1). */
  public boolean refitAfter(long c) {
    return c >= 1 && c % batch == 0 && nextPoint(c - batch + 1) <= c;
  }

  /** The smallest c > {@code picks} after which theta is refitted. */
  public long nextRefit(long picks) {
    long p = nextPoint(picks / batch * batch + 1);
    return (p + batch - 1) / batch * batch;
  }

  /** As given: doubling, every:K or batch. */
  @Override
  public String toString() {
    return kind.equals("every") ? "every:" + every : kind;
  }
}
