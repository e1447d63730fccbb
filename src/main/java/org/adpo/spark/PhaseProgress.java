package org.adpo.spark;

import java.util.Locale;
import java.util.function.Consumer;
import org.adpo.io.Words;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Progress of a phase that is one or a few Spark jobs with no steps of its own (validating the
 * pool): while it runs, a daemon thread prints every few seconds the tasks done of the active
 * stages, from Spark's status tracker. A phase that ends sooner prints nothing.
 */
final class PhaseProgress implements AutoCloseable {
  static final long PERIOD_MILLIS = 5_000;
  private final Thread thread;
  private volatile boolean done;

  PhaseProgress(JavaSparkContext jsc, String phase) {
    this(jsc, phase, PERIOD_MILLIS, ProgressLog::info);
  }

  PhaseProgress(JavaSparkContext jsc, String phase, long periodMillis, Consumer<String> sink) {
    long start = System.nanoTime();
    thread = new Thread(() -> {
      try {
        while (!done) {
          Thread.sleep(periodMillis);
          if (done) {
            return;
          }
          int finished = 0;
          int total = 0;
          int stages = 0;
          for (int id : jsc.statusTracker().getActiveStageIds()) {
            SparkStageInfo s = jsc.statusTracker().getStageInfo(id);
            if (s != null) {
              finished += s.numCompletedTasks();
              total += s.numTasks();
              stages++;
            }
          }
          sink.accept(String.format(Locale.ROOT, "%s: %s, elapsed %.1f s", phase, stages == 0 ? "between jobs"
              : finished + "/" + total + " tasks done (" + Words.count(stages, "running stage") + ")",
              (System.nanoTime() - start) / 1e9));
        }
      } catch (InterruptedException stopped) {
        // closed
      }
    }, "adpo-progress");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    done = true;
    thread.interrupt();
  }
}
