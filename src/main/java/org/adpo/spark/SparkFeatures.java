package org.adpo.spark;

import java.util.Locale;
import org.adpo.error.UnsupportedSessionException;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkThrowable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Checks, before any work, that a session offers what the engine is built on: a live SparkContext,
 * RDDs and broadcast variables. Spark Connect sessions (Databricks standard access mode and serverless
 * compute, {@code SparkSession.builder().remote(...)}) and stopped sessions do not; they get one
 * {@link UnsupportedSessionException} line naming the missing feature and the supported modes instead of a
 * stack trace from deep inside a Spark job.
 */
public final class SparkFeatures {
  private SparkFeatures() {}

  /** Where the engine runs; the tail of every refusal. */
  public static final String SUPPORTED_MODES = "adpo-spark needs a classic Spark session: spark-submit or a notebook"
      + " on local, standalone, YARN or Kubernetes, or a Databricks classic cluster in dedicated (single user) or"
      + " no-isolation access mode; Spark Connect sessions (Databricks standard access mode, serverless) offer no"
      + " SparkContext, RDDs or broadcasts";

  /** Throws {@link UnsupportedSessionException} unless {@code spark} has a live SparkContext, RDDs and broadcasts. */
  public static void requireClassicSpark(SparkSession spark) {
    if (spark == null) {
      throw new UnsupportedSessionException("no SparkSession was given; " + SUPPORTED_MODES);
    }
    SparkContext sc;
    try {
      sc = spark.sparkContext();
    } catch (RuntimeException | LinkageError e) {
      throw refusal("a SparkContext (spark.sparkContext())", e);
    }
    if (sc == null) {
      throw new UnsupportedSessionException("the session has no SparkContext (spark.sparkContext() is null); "
          + SUPPORTED_MODES);
    }
    if (sc.isStopped()) {
      throw new UnsupportedSessionException("the session's SparkContext is stopped (spark.stop() was called);"
          + " use a running session, e.g. SparkSession.builder().getOrCreate(); " + SUPPORTED_MODES);
    }
    // Both primitives are made and dropped on the driver: no Spark job runs and nothing reaches executors.
    ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
    try {
      sc.emptyRDD(tag).id();
    } catch (RuntimeException | LinkageError e) {
      throw refusal("RDDs (sparkContext.emptyRDD)", e);
    }
    try {
      Broadcast<Integer> b = sc.broadcast(0, tag);
      b.destroy();
    } catch (RuntimeException | LinkageError e) {
      throw refusal("broadcast variables (sparkContext.broadcast)", e);
    }
  }

  /** The refusal for a session whose access to {@code feature} failed with {@code cause}. */
  static UnsupportedSessionException refusal(String feature, Throwable cause) {
    return new UnsupportedSessionException(describe(feature, cause), cause);
  }

  /**
   * The one-line message for a session whose access to {@code feature} failed with {@code cause}. When the
   * cause is Spark Connect's refusal ({@code SparkUnsupportedOperationException} with error condition
   * {@code UNSUPPORTED_CONNECT_FEATURE.*}, whose message Databricks words as "... is not available on
   * Standard access mode or Serverless compute"), the message says so; otherwise it quotes the cause.
   */
  static String describe(String feature, Throwable cause) {
    String what = isSparkConnectRefusal(cause)
        ? "this is a Spark Connect session (as in Databricks standard access mode or serverless compute), which"
            + " does not provide " + feature
        : "the session does not provide " + feature + " (" + firstLine(cause) + ")";
    return what + "; " + SUPPORTED_MODES;
  }

  /** True when {@code t} (or a cause) is Spark Connect's "feature not supported" error. */
  static boolean isSparkConnectRefusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SparkThrowable) {
        String condition = errorCondition((SparkThrowable) c);
        if (condition != null && condition.startsWith("UNSUPPORTED_CONNECT_FEATURE")) {
          return true;
        }
      }
      String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("unsupported_connect_feature") || m.contains("not supported in spark connect")
          || m.contains("not available on standard access mode") || m.contains("or serverless compute")) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("deprecation") // getErrorClass: the one accessor both Spark 3.5 and 4.0 have
  private static String errorCondition(SparkThrowable t) {
    try {
      return t.getErrorClass();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage();
    String line = m == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + m.strip().split("\\R", 2)[0];
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
