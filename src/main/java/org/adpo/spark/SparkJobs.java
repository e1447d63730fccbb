package org.adpo.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/** Names Spark jobs for the UI and counts the jobs of one run. */
final class SparkJobs {
  private SparkJobs() {}

  /** Sets the description the Spark UI shows for the jobs this thread starts next. */
  public static void describe(SparkSession spark, String text) {
    spark.sparkContext().setJobDescription("adpo: " + text);
  }

  /** Counts jobs started while it is registered; {@link #close()} unregisters it. */
  public static final class Counter extends SparkListener implements AutoCloseable {
    private final SparkContext sc;
    private final AtomicInteger jobs = new AtomicInteger();

    public Counter(SparkSession spark) {
      this.sc = spark.sparkContext();
      sc.addSparkListener(this);
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      jobs.incrementAndGet();
    }

    public int jobs() {
      return jobs.get();
    }

    /** Spark version, master and the settled job count, for reports. */
    public org.adpo.io.SelectionReport.Spark describe(SparkSession spark) {
      return new org.adpo.io.SelectionReport.Spark(spark.version(), spark.sparkContext().master(), settledJobs(spark));
    }

    /**
     * The count once Spark's listener bus has delivered the events of finished jobs (events are
     * asynchronous; the bus's drain method is internal to Spark but public in bytecode).
     */
    public int settledJobs(SparkSession spark) {
      try {
        spark.sparkContext().listenerBus().waitUntilEmpty(10_000L);
      } catch (Throwable e) {
        // Best effort: an internal API that moved is not worth failing a run for.
      }
      return jobs.get();
    }

    @Override
    public void close() {
      sc.removeSparkListener(this);
    }
  }

  /**
   * Sums the serialized size of the task results the driver receives (Spark's {@code resultSize}
   * task metric) while it is registered; {@link #close()} unregisters it.
   */
  static final class ResultBytes extends SparkListener implements AutoCloseable {
    private final SparkContext sc;
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    ResultBytes(SparkContext sc) {
      this.sc = sc;
      sc.addSparkListener(this);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
      if (taskEnd.taskMetrics() != null) {
        bytes.addAndGet(taskEnd.taskMetrics().resultSize());
      }
    }

    /** The total once the listener bus has delivered the finished tasks' events. */
    long settled() {
      try {
        sc.listenerBus().waitUntilEmpty(10_000L);
      } catch (Throwable e) {
        // Best effort (internal API), as in Counter.
      }
      return bytes.get();
    }

    @Override
    public void close() {
      sc.removeSparkListener(this);
    }
  }
}
