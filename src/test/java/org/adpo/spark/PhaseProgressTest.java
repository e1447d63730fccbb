package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A phase of plain Spark jobs reports the tasks done while it runs, and nothing after it closed. */
@ExtendWith(SparkSessionExtension.class)
class PhaseProgressTest {
  @Test
  void reportsTasksDoneOfTheRunningStageWhileTheJobRuns(SparkSession spark) throws Exception {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<String> lines = new CopyOnWriteArrayList<>();
    try (PhaseProgress p = new PhaseProgress(jsc, "validate pool x", 150, lines::add)) {
      jsc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).foreach(i -> Thread.sleep(200));
    }
    int seen = lines.size();
    assertTrue(lines.stream().anyMatch(l -> l.matches("validate pool x: \\d/8 tasks done \\(1 running stage\\), "
        + "elapsed \\d+\\.\\d s")), lines.toString());
    Thread.sleep(400);
    assertTrue(lines.size() == seen, "no line after close: " + lines);
  }
}
