// Databricks notebook source
// MAGIC %md
// MAGIC # ADPO+ selection as a Spark ML Pipeline stage
// MAGIC
// MAGIC The same selection as `bin/adpo select` and `select_with_java_api.scala`, through `org.adpo.ml.AdpoSelection`
// MAGIC (an `Estimator`) in a `Pipeline` after a built-in stage; the fitted `PipelineModel` is saved and loaded back.
// MAGIC The settings are Params (`selection.explainParams()` lists them with their docs and defaults; `--budget` is
// MAGIC `selectionSize`, `--lambda` is `regParam`, see the README).
// MAGIC
// MAGIC **Cluster:** a classic cluster in *dedicated (single user)* or *no-isolation* access mode with
// MAGIC `adpo-spark-spark.jar` attached (Spark Connect sessions have no RDDs or broadcasts; see `deploy/README.md`).
// MAGIC The Pipeline of this notebook is the one `src/test/java/org/adpo/ml/AdpoSelectionTest.java` fits and reloads.

// COMMAND ----------

dbutils.widgets.text("input_table", "main.adpo.pairs", "pool table")
dbutils.widgets.text("model_path", "dbfs:/tmp/adpo/selection-pipeline", "where the fitted Pipeline is saved")
dbutils.widgets.text("budget", "1000", "selectionSize (pairs to pick)")
dbutils.widgets.text("alpha", "3", "UCB alpha (0 = plain)")
dbutils.widgets.text("checkpoint_dir", "dbfs:/tmp/adpo/checkpoints", "checkpoint directory (every node reaches it)")
spark.sparkContext.setCheckpointDir(dbutils.widgets.get("checkpoint_dir"))
val pool = spark.table(dbutils.widgets.get("input_table"))
val modelPath = dbutils.widgets.get("model_path")

// COMMAND ----------

import org.apache.spark.ml.{Pipeline, PipelineModel, PipelineStage}
import org.apache.spark.ml.feature.SQLTransformer
import org.adpo.ml.{AdpoSelection, AdpoSelectionModel}

val bucket = new SQLTransformer().setStatement("SELECT *, id % 7 AS bucket FROM __THIS__")
val selection = new AdpoSelection().setAlgorithm("adpo-plus").setSelectionSize(dbutils.widgets.get("budget").toLong)
  .setAlpha(dbutils.widgets.get("alpha").toDouble)
println(selection.explainParams())
val fitted = new Pipeline().setStages(Array[PipelineStage](bucket, selection)).fit(pool)

// COMMAND ----------

// MAGIC %md The selected rows: the pool's columns, the SQL stage's `bucket`, and rank, gain, weight (plot: x = rank, y = gain).

// COMMAND ----------

val model = fitted.stages(1).asInstanceOf[AdpoSelectionModel]
display(fitted.transform(pool).orderBy("rank"))
println(s"theta: ${model.theta()}")
println(model.summary().json())

// COMMAND ----------

fitted.write.overwrite().save(modelPath)
val reloaded = PipelineModel.load(modelPath)
display(reloaded.transform(pool).select("id", "rank", "gain", "weight"))
