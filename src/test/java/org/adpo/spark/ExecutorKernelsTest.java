package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The warning about executors that fell back to the scalar score kernel (no Spark needed). */
class ExecutorKernelsTest {
  @Test
  void namesTheScalarExecutorsAndTheOptionToAdd() {
    assertEquals(Optional.empty(), ExecutorKernels.message(List.of("ok 0", "ok 1")));
    String one = ExecutorKernels.message(List.of("ok 0", "scalar 1")).orElseThrow();
    assertTrue(one.startsWith("executor 1 runs without --add-modules=jdk.incubator.vector"), one);
    assertTrue(one.contains("spark.executor.extraJavaOptions"), one);
    String two = ExecutorKernels.message(List.of("scalar 3", "scalar 2", "ok 0")).orElseThrow();
    assertTrue(two.startsWith("executors 2, 3 run without"), two);
  }
}
