package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.adpo.design.ScoreKernels;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Which score kernel the JVMs that score candidates chose (each picks its own, see
 * {@link ScoreKernels}), so that a run whose executors lack {@code --add-modules=jdk.incubator.vector}
 * says so once on the driver and in report.json's warnings instead of silently running the plain
 * Java kernel. In local mode the executor is the driver's JVM; on a cluster one small job (one task
 * per core of the application) asks the executors. A kernel forced with {@code -Dadpo.kernel=scalar}
 * is the user's choice and not warned about.
 */
final class ExecutorKernels {
  static final String OPTION = "--add-modules=jdk.incubator.vector";

  private ExecutorKernels() {}

  /** The warning for the session's executors, if any of them fell back to the scalar kernel. */
  static Optional<String> warning(SparkSession spark) {
    if (spark.sparkContext().isLocal()) {
      return ScoreKernels.best().name().equals("scalar") && !vectorModule()
          ? Optional.of("this JVM runs without " + OPTION + ": the score kernel is plain Java (scalar), about 9x"
              + " slower than the SIMD one; add " + OPTION + " to the java options (spark.driver.extraJavaOptions"
              + " with spark-submit; bin/adpo adds it)")
          : Optional.empty();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int tasks = Math.max(2, jsc.defaultParallelism());
    SparkJobs.describe(spark, "score kernel of the executors");
    List<String> seen = jsc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
        .map(i -> (ScoreKernels.best().name().equals("scalar") && !vectorModule() ? "scalar" : "ok") + " "
            + SparkEnv.get().executorId())
        .distinct().collect();
    return message(seen);
  }

  /** From "scalar|ok executorId" answers: the warning naming the scalar executors, or empty. */
  static Optional<String> message(List<String> answers) {
    TreeSet<String> scalar = new TreeSet<>();
    for (String a : answers) {
      if (a.startsWith("scalar ")) {
        scalar.add(a.substring("scalar ".length()));
      }
    }
    if (scalar.isEmpty()) {
      return Optional.empty();
    }
    List<String> ids = new ArrayList<>(scalar);
    return Optional.of((ids.size() == 1 ? "executor " : "executors ") + String.join(", ", ids)
        + (ids.size() == 1 ? " runs" : " run") + " without "
        + OPTION + ": their score kernel is plain Java (scalar), about 9x slower than the SIMD one; add "
        + OPTION + " to spark.executor.extraJavaOptions (deploy/spark-submit/common.sh does)");
  }

  private static boolean vectorModule() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }
}
