package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A command run inside a host's session (a Databricks JAR task or notebook, an application calling
 * {@code Main.run}) uses that session and leaves it running; the shared test session plays the host.
 * (A session the command created itself is stopped: every {@code bin/adpo} end-to-end test ends that way.)
 */
@ExtendWith(SparkSessionExtension.class)
class SparkSessionsTest {
  @Test
  void aHostSessionIsBorrowedNotStopped(SparkSession host) {
    SparkSession got = SparkSessions.getOrCreate("local[*]", null, "adpo-test");
    assertSame(host, got);
    SparkSessions.release(got);
    assertFalse(host.sparkContext().isStopped(), "the host's session keeps running");
    assertSame(host, SparkSessions.getOrCreate("local[*]", null, "adpo-test"));
    SparkSessions.release(host);
    assertFalse(host.sparkContext().isStopped());
  }
}
