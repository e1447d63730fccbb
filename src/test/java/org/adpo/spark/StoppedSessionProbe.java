package org.adpo.spark;

import org.adpo.api.AdpoSelector;
import org.adpo.error.AdpoException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run in its own JVM by {@link SparkFeaturesTest} (a stopped SparkContext cannot be restarted in the test
 * JVM, whose shared session other tests use): reads a pool, stops the session, then calls the Java API
 * as a notebook would and prints what it threw.
 */
public final class StoppedSessionProbe {
  private StoppedSessionProbe() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("stopped-session-probe")
        .config("spark.ui.enabled", "false").getOrCreate();
    Dataset<Row> pool = spark.read().parquet(args[0]);
    spark.stop();
    try {
      new AdpoSelector().setAlgorithm("dopt").setBudget(5).select(pool);
      System.out.println("RESULT no error");
    } catch (AdpoException e) {
      System.out.println("CLASS " + e.getClass().getName());
      System.out.println("EXIT " + e.exitCode());
      System.out.println("MESSAGE " + e.getMessage());
    } catch (Throwable e) {
      System.out.println("CLASS " + e.getClass().getName());
      System.out.println("MESSAGE " + e.getMessage());
    }
  }
}
