package org.adpo.testing;

/**
 * The JUnit tag of end-to-end tests that run on the default Spark line (3.5) only, to keep the suite's
 * time in bounds: their subject is this project's own logic (the bad-input catalogue, the security
 * policy, the online state's commit protocol, the experiment driver, the 10^4-round run), which the
 * other line's tests already reach through the same code paths. The {@code spark-4.0} profile excludes it.
 */
public final class DefaultLineOnly {
  public static final String TAG = "default-line-only";

  private DefaultLineOnly() {}
}
