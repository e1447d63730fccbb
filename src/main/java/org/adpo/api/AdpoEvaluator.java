package org.adpo.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adpo.config.SettingsLoader;
import org.adpo.error.UsageException;
import org.adpo.eval.EvaluationSettings;
import org.adpo.eval.MetricTable;
import org.adpo.eval.PrefixGrid;
import org.adpo.eval.SelectionInput;
import org.adpo.spark.EvaluationJob;
import org.adpo.spark.EvaluationResult;
import org.adpo.spark.SparkFeatures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Java API of {@code bin/adpo evaluate}, for notebooks: evaluates selections made by
 * {@link AdpoSelector} on their pool and returns the metric table as a DataFrame (one row per method
 * and prefix size n, the columns of {@code metrics.csv}), ready for {@code display(...)}. Same
 * computation as the command ({@link EvaluationJob}); the pool needs labels.
 */
public final class AdpoEvaluator {
  private final Map<String, Object> overrides = new LinkedHashMap<>();
  private EvaluationResult last;

  /** Prefix sizes to evaluate (default: 1, 2, 4, ... up to each selection's size, and its size). */
  public AdpoEvaluator setGrid(List<Long> grid) {
    overrides.put("adpo.evaluate.grid", PrefixGrid.check(new ArrayList<>(grid)));
    return this;
  }

  public AdpoEvaluator setBeta(double beta) {
    overrides.put("adpo.select.beta", beta);
    return this;
  }

  public AdpoEvaluator setLambda(double lambda) {
    overrides.put("adpo.select.lambda", lambda);
    return this;
  }

  /**
   * Evaluates each selection (name to the DataFrame {@link AdpoSelector#select} returned, or any frame
   * with the pool's id column and {@code rank}) on {@code pool}. Returns the columns of metrics.csv.
   */
  public Dataset<Row> evaluate(Dataset<Row> pool, Map<String, Dataset<Row>> selections) {
    SparkSession spark = pool.sparkSession();
    SparkFeatures.requireClassicSpark(spark);
    EvaluationSettings settings = EvaluationSettings.from(SettingsLoader.load(null, overrides));
    String id = settings.columns().id();
    List<SelectionInput> inputs = new ArrayList<>();
    for (Map.Entry<String, Dataset<Row>> e : selections.entrySet()) {
      Dataset<Row> sel = e.getValue();
      if (!List.of(sel.columns()).contains("rank") || !List.of(sel.columns()).contains(id)) {
        throw new UsageException("selection '" + e.getKey() + "' needs the columns '" + id + "' and 'rank'"
            + " (as AdpoSelector.select returns them); it has " + List.of(sel.columns()));
      }
      List<Object> ids = new ArrayList<>();
      for (Row r : sel.orderBy("rank").select(id).collectAsList()) {
        ids.add(r.get(0));
      }
      inputs.add(new SelectionInput(e.getKey(), "the DataFrame '" + e.getKey() + "'", ids, null, null, null));
    }
    last = EvaluationJob.run(spark, pool, "the pool DataFrame", settings, inputs);
    List<Row> rows = new ArrayList<>();
    for (MetricTable.Row r : last.table().rows()) {
      List<Object> cells = new ArrayList<>();
      cells.add(r.method());
      cells.add(r.n());
      cells.addAll(r.metrics().values().values());
      cells.add(r.fitIterations());
      cells.add(r.fitConverged());
      rows.add(RowFactory.create(cells.toArray()));
    }
    return spark.createDataFrame(rows, schema());
  }

  /** The full result of the last {@link #evaluate} (fits, theta*, the report of metrics.json), or null. */
  public EvaluationResult lastResult() {
    return last;
  }

  private static StructType schema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("method", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("n", DataTypes.LongType, false));
    for (MetricTable.Metric m : MetricTable.METRICS) {
      f.add(DataTypes.createStructField(m.column(), DataTypes.DoubleType, false));
    }
    f.add(DataTypes.createStructField("fit_iterations", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("fit_converged", DataTypes.BooleanType, false));
    return DataTypes.createStructType(f);
  }
}
