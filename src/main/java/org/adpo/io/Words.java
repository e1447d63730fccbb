package org.adpo.io;

/**
 * Counts with their noun in the right number ("1 round", "2 rounds"), for every line a command
 * prints. One place, so that no message says "1 rounds".
 */
public final class Words {
  private Words() {}

  /** {@code n} and {@code one}, or {@code one + "s"} unless {@code n} is 1. */
  public static String count(long n, String one) {
    return count(n, one, one + "s");
  }

  /** {@code n} and {@code one} when {@code n} is 1, else {@code n} and {@code many}. */
  public static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
