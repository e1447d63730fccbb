package org.adpo.io;

/**
 * Where a selection keeps its progress so that a rerun can continue it ({@link SelectionProgress}):
 * one small document that each write replaces atomically (a reader sees the old one or the new one,
 * never a mix). {@code bin/adpo select} keeps it beside its output ({@code io.ProgressFile}).
 */
public interface ResumeStore {
  /** The last document written, or null when there is none. */
  byte[] read();

  /** Replaces the document atomically and durably. */
  void write(byte[] bytes);

  /** Removes the document (nothing to remove is fine). */
  void delete();

  /** Where it lives, for messages. */
  String where();

  /**
   * The least time between two writes while the rounds run, in nanoseconds; the end of the rounds
   * is always written. Default 5 s: a write of a thousand picks took about 25 ms on a loaded machine
   * (forced to disk), 0.5% of the rounds' time (README, bench/progress-overhead.sh).
   */
  default long intervalNanos() {
    return 5_000_000_000L;
  }
}
