package org.adpo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.adpo.data.BundledPool;
import org.adpo.spark.SelectionResult;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes exactly the Java API calls of {@code notebooks/select_with_java_api.scala}, in its order and with its
 * method names and arguments, on the bundled pool written to a Parquet "table" and read back. Each step is
 * marked with the notebook's {@code // NotebookApiTest: ...} comment; {@link #notebookMarksMatchThisTest}
 * checks that the notebook still has those marks and calls. Only the table I/O differs: no metastore here,
 * so {@code saveAsTable}/{@code spark.table} become a Parquet path.
 */
@ExtendWith(SparkSessionExtension.class)
class NotebookApiTest {
  private static final String ALGORITHM = "adpo-plus"; // widget "algorithm"
  private static final long BUDGET = 64; // widget "budget" (1000 in the notebook's default)
  private static final double ALPHA = 3.0; // widget "alpha"

  @Test
  void notebookCallsRunOnTheBundledPool(SparkSession spark, @TempDir Path dir) {
    // The pool as a table: the bundled pool written as Parquet and read back (readPool's Parquet branch).
    String poolTable = dir.resolve("pairs").toString();
    spark.read().parquet(BundledPool.projectDir().resolve(BundledPool.RELATIVE_DIR).toString())
        .write().parquet(poolTable);
    Dataset<Row> pool = spark.read().parquet(poolTable);

    // NotebookApiTest: selector
    AdpoSelector selector = new AdpoSelector().setAlgorithm(ALGORITHM).setBudget(BUDGET).setAlpha(ALPHA);
    // NotebookApiTest: run
    SelectionResult result = selector.run(pool);
    Dataset<Row> picks = result.selection();
    assertTrue(result.report().selection().picks() > 0, "report has a selection section");

    // NotebookApiTest: write the picks as a table, read them back
    String outputTable = dir.resolve("selection").toString();
    picks.write().mode("overwrite").parquet(outputTable);
    Dataset<Row> saved = spark.read().parquet(outputTable);
    assertEquals(BUDGET, saved.count());

    // NotebookApiTest: gain plot
    List<Row> gains = saved.select("rank", "gain").orderBy("rank").collectAsList();
    assertEquals(BUDGET, gains.size());
    for (int i = 0; i < gains.size(); i++) {
      assertEquals(i + 1, ((Number) gains.get(i).get(0)).longValue(), "ranks 1..n in order");
      assertTrue(gains.get(i).getDouble(1) > 0, "gain of pick " + (i + 1));
    }

    // NotebookApiTest: uniform baseline of the same size
    Dataset<Row> uniform = new AdpoSelector().setAlgorithm("uniform").setBudget(BUDGET).select(pool);
    // NotebookApiTest: evaluate
    Dataset<Row> metrics = new AdpoEvaluator().evaluate(pool, Map.of(ALGORITHM, saved, "uniform", uniform));
    List<String> columns = List.of(metrics.columns());
    assertEquals(List.of("method", "n", "max_logit_error", "mean_logit_error", "error_rate", "accuracy", "margin",
        "nll", "fit_iterations", "fit_converged"), columns);
    List<Row> rows = metrics.orderBy("method", "n").collectAsList();
    Set<String> methods = new HashSet<>();
    for (Row r : rows) {
      methods.add(r.getString(0));
      assertTrue(r.getDouble(columns.indexOf("max_logit_error")) >= 0);
    }
    assertEquals(Set.of(ALGORITHM, "uniform"), methods);
    // default grid 1, 2, 4, ..., 64 for each method
    assertEquals(2 * 7, rows.size());
    assertTrue(metrics.select("method", "n", "error_rate", "accuracy").count() == rows.size());
  }

  /** The notebook still makes the calls this test makes (a renamed method must show up in both). */
  @Test
  void notebookMarksMatchThisTest() throws Exception {
    Path project = BundledPool.projectDir();
    String notebook = Files.readString(project.resolve("notebooks/select_with_java_api.scala"), StandardCharsets.UTF_8);
    String test = Files.readString(project.resolve("src/test/java/org/adpo/api/NotebookApiTest.java"),
        StandardCharsets.UTF_8);
    assertTrue(notebook.startsWith("// Databricks notebook source\n"), "Databricks source header");
    assertTrue(notebook.contains("\n// COMMAND ----------\n"), "cell separators");
    List<String> marks = marks(notebook);
    assertEquals(marks(test.substring(test.indexOf("void notebookCallsRunOnTheBundledPool"),
        test.indexOf("void notebookMarksMatchThisTest"))), marks);
    assertEquals(List.of("selector", "run", "write the picks as a table, read them back", "gain plot",
        "uniform baseline of the same size", "evaluate"), marks);
    for (String call : List.of("new AdpoSelector().setAlgorithm(algorithm).setBudget(budget).setAlpha(alpha)",
        "selector.run(pool)", "result.selection()", "result.report().selection()",
        "saved.select(\"rank\", \"gain\").orderBy(\"rank\")",
        "new AdpoSelector().setAlgorithm(\"uniform\").setBudget(budget).select(pool)",
        "new AdpoEvaluator().evaluate(pool, java.util.Map.of(algorithm, saved, \"uniform\", uniform))",
        "metrics.select(\"method\", \"n\", \"error_rate\", \"accuracy\")", "import org.adpo.api.{AdpoEvaluator, AdpoSelector}")) {
      assertTrue(notebook.contains(call), "notebook calls " + call);
    }
  }

  private static List<String> marks(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("// NotebookApiTest: (.+)").matcher(text);
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }
}
