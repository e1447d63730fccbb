// Databricks notebook source
// MAGIC %md
// MAGIC # ADPO+ selection through the Java API
// MAGIC
// MAGIC Reads a pool of preference pairs from a Delta or Parquet table, picks the most informative pairs with
// MAGIC `org.adpo.api.AdpoSelector` (exact distributed greedy log-det), writes the picks to a table, and plots the
// MAGIC gain of every pick and the evaluation metrics (ADPO+ against a uniform sample of the same size).
// MAGIC
// MAGIC **Cluster:** a classic cluster in *dedicated (single user)* or *no-isolation* access mode, with the
// MAGIC jar `adpo-spark-spark.jar` (from `mvn package`) attached as a library. Standard (shared) access mode and
// MAGIC serverless run on Spark Connect, which has no SparkContext, RDDs or broadcasts: the selector stops at once
// MAGIC with an `UnsupportedSessionException` saying so (see `deploy/README.md`).
// MAGIC
// MAGIC **Pool columns:** `id`, `phi` (array of numbers), optional `b`, `s` (0/1 label; ADPO+ and the evaluation
// MAGIC need it). `notebooks/extract_llm_features.py` writes such a table from an LLM.
// MAGIC
// MAGIC The calls below are exercised, with the same names and arguments, by `src/test/java/org/adpo/api/NotebookApiTest.java`.

// COMMAND ----------

dbutils.widgets.text("input_table", "main.adpo.pairs", "pool table (or a Parquet/Delta path)")
dbutils.widgets.text("output_table", "main.adpo.selection", "output table")
dbutils.widgets.text("algorithm", "adpo-plus", "algorithm")
dbutils.widgets.text("budget", "1000", "budget (pairs to pick)")
dbutils.widgets.text("alpha", "3", "UCB alpha (0 = plain)")
dbutils.widgets.text("checkpoint_dir", "dbfs:/tmp/adpo/checkpoints", "checkpoint directory (every node reaches it)")

val inputTable = dbutils.widgets.get("input_table")
val outputTable = dbutils.widgets.get("output_table")
val algorithm = dbutils.widgets.get("algorithm")
val budget = dbutils.widgets.get("budget").toLong
val alpha = dbutils.widgets.get("alpha").toDouble
// On a cluster the greedy loop checkpoints its score state to a directory every node reaches; a run
// without one is refused at start-up.
spark.sparkContext.setCheckpointDir(dbutils.widgets.get("checkpoint_dir"))

// COMMAND ----------

// A table name, or a path: Delta when the directory has a _delta_log, else Parquet.
def readPool(name: String) =
  if (!name.contains("/")) spark.table(name)
  else if (dbutils.fs.ls(name).exists(_.name.startsWith("_delta_log"))) spark.read.format("delta").load(name)
  else spark.read.parquet(name)

val pool = readPool(inputTable)
println(s"pool: ${pool.count()} pairs, columns ${pool.columns.mkString(", ")}")

// COMMAND ----------

import org.adpo.api.{AdpoEvaluator, AdpoSelector}

// NotebookApiTest: selector
val selector = new AdpoSelector().setAlgorithm(algorithm).setBudget(budget).setAlpha(alpha)
// NotebookApiTest: run
val result = selector.run(pool)
val picks = result.selection()
println(result.report().selection())

// COMMAND ----------

// NotebookApiTest: write the picks as a table, read them back
picks.write.mode("overwrite").saveAsTable(outputTable)
val saved = spark.table(outputTable)

// COMMAND ----------

// MAGIC %md Gain of each pick, log(1 + v' H^-1 v) at pick time, in pick order (plot: line chart, x = rank, y = gain).

// COMMAND ----------

// NotebookApiTest: gain plot
display(saved.select("rank", "gain").orderBy("rank"))

// COMMAND ----------

// MAGIC %md Evaluation as `bin/adpo evaluate` does it: theta fitted on the first n picks against theta* fitted on all
// MAGIC labels, for n = 1, 2, 4, ... (plot: line chart, x = n, y = max_logit_error, series = method; log scales).

// COMMAND ----------

// NotebookApiTest: uniform baseline of the same size
val uniform = new AdpoSelector().setAlgorithm("uniform").setBudget(budget).select(pool)
// NotebookApiTest: evaluate
val metrics = new AdpoEvaluator().evaluate(pool, java.util.Map.of(algorithm, saved, "uniform", uniform))
display(metrics.orderBy("method", "n"))

// COMMAND ----------

display(metrics.select("method", "n", "error_rate", "accuracy").orderBy("method", "n"))
