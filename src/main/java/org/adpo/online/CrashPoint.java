package org.adpo.online;

import java.util.Locale;

/**
 * Test-only hook for the crash tests of the commit protocol: when the environment variable
 * {@code ADPO_TEST_CRASH_AT} (or the system property {@code adpo.test.crash-at}) names a point, the JVM
 * halts there with exit code 137, as after {@code kill -9}: no shutdown hook, no finally block, no
 * flush. Points: {@code init:after-side-files}, {@code next:after-side-files}, {@code next:after-manifest},
 * {@code ingest:after-side-files}, {@code ingest:after-manifest}. Unset in normal use, and then a no-op.
 */
final class CrashPoint {
  private CrashPoint() {}

  static void reach(String point) {
    String at = System.getProperty("adpo.test.crash-at", System.getenv("ADPO_TEST_CRASH_AT"));
    if (at != null && at.trim().toLowerCase(Locale.ROOT).equals(point)) {
      System.err.println("crash point " + point + " reached: halting (test hook ADPO_TEST_CRASH_AT)");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
