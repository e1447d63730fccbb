package org.adpo.api;

import org.adpo.error.UsageException;
import org.apache.spark.sql.SparkSession;

/**
 * Checks that the session offers what the engine needs (a SparkContext, RDDs and broadcasts).
 * Spark Connect sessions (Databricks standard/shared access mode, serverless) do not; they get a
 * clear message instead of a stack trace.
 */
public final class SparkFeatures {
  private SparkFeatures() {}

  public static void requireClassicSpark(SparkSession spark) {
    try {
      spark.sparkContext();
    } catch (RuntimeException | LinkageError e) {
      throw new UsageException("adpo-spark needs a classic Spark session with a SparkContext (RDDs and broadcasts);"
          + " Spark Connect sessions (e.g. Databricks standard or serverless compute) do not provide one."
          + " Use a dedicated (single-user) cluster or spark-submit.", e);
    }
  }
}
