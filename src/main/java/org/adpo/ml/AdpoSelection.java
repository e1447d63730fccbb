package org.adpo.ml;

import java.util.Map;
import org.adpo.spark.SparkFeatures;
import org.adpo.spark.SelectionJob;
import org.adpo.spark.SelectionResult;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The selection as a Spark ML {@link Estimator}: {@code fit(pool)} runs the same selection as {@code bin/adpo
 * select} and {@link org.adpo.api.AdpoSelector} (the settings are read through the command line's loader and
 * validation, {@link AdpoSelectionParams#selectionSettings()}, then {@link SelectionJob}) and returns an
 * {@link AdpoSelectionModel} holding the picks, theta and the report. The pool needs a classic Spark
 * session (a live SparkContext); see {@link SparkFeatures}.
 *
 * <pre>{@code
 * AdpoSelectionModel model = new AdpoSelection().setAlgorithm("adpo-plus").setSelectionSize(500).fit(pool);
 * Dataset<Row> selected = model.transform(pool); // the pool's columns plus rank, gain, weight
 * }</pre>
 *
 * <p>Saved with {@code write().save(path)} (params only) and read with {@link #load}; listed in
 * {@code META-INF/services/org.apache.spark.ml.Estimator}.
 */
public final class AdpoSelection extends Estimator<AdpoSelectionModel>
    implements AdpoSelectionParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Map<String, Param<?>> params;

  public AdpoSelection(String uid) {
    this.uid = uid;
    this.params = AdpoSelectionParams.declare(this);
  }

  public AdpoSelection() {
    this(Identifiable.randomUID("adpoSelection"));
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Param<?> declaredParam(String name) {
    Param<?> p = params.get(name);
    if (p == null) {
      throw new java.util.NoSuchElementException("no setting called " + name);
    }
    return p;
  }

  /** Runs the selection on {@code dataset} (the pool) and returns the model of its picks. */
  @Override
  public AdpoSelectionModel fit(Dataset<?> dataset) {
    Dataset<Row> pool = dataset.toDF();
    SparkSession spark = pool.sparkSession();
    SparkFeatures.requireClassicSpark(spark);
    transformSchema(pool.schema());
    SelectionResult result = SelectionJob.run(spark, pool, "the pool DataFrame", selectionSettings());
    AdpoSelectionModel model = new AdpoSelectionModel(uid, SelectedPicks.of(result, getIdCol()));
    copyValues(model, ParamMap.empty());
    return model.setParent(this);
  }

  /** The model's output schema: the input's columns plus rank, gain, weight (and label for adpo / pmc). */
  @Override
  public StructType transformSchema(StructType schema) {
    return AdpoSelectionModel.outputSchema(schema, getIdCol(), org.adpo.select.Algorithm.parse(getAlgorithm()).isOnline());
  }

  @Override
  public AdpoSelection copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** The reader of a saved estimator (what {@code Pipeline}'s reader calls by reflection). */
  public static MLReader<AdpoSelection> read() {
    return new DefaultParamsReader<>();
  }

  public static AdpoSelection load(String path) {
    return read().load(path);
  }

  // Setters, one per setting (see AdpoSelectionParams.SETTINGS for docs, defaults and CLI names).

  public AdpoSelection setAlgorithm(String value) {
    return put(algorithm(), value);
  }

  public AdpoSelection setSelectionSize(long value) {
    return put(selectionSize(), value);
  }

  public AdpoSelection setBeta(double value) {
    return put(beta(), value);
  }

  public AdpoSelection setGamma(double value) {
    return put(gamma(), value);
  }

  public AdpoSelection setRegParam(double value) {
    return put(regParam(), value);
  }

  public AdpoSelection setAlpha(double value) {
    return put(alpha(), value);
  }

  public AdpoSelection setSeed(long value) {
    return put(seed(), value);
  }

  public AdpoSelection setNumCandidates(int value) {
    return put(numCandidates(), value);
  }

  public AdpoSelection setEpsilon(double value) {
    return put(epsilon(), value);
  }

  public AdpoSelection setStrategy(String value) {
    return put(strategy(), value);
  }

  public AdpoSelection setTopK(int value) {
    return put(topK(), value);
  }

  public AdpoSelection setRefreshInterval(int value) {
    return put(refreshInterval(), value);
  }

  public AdpoSelection setRefreshTol(double value) {
    return put(refreshTol(), value);
  }

  public AdpoSelection setCheckpointInterval(int value) {
    return put(checkpointInterval(), value);
  }

  public AdpoSelection setNumPartitions(int value) {
    return put(numPartitions(), value);
  }

  public AdpoSelection setOracle(String value) {
    return put(oracle(), value);
  }

  public AdpoSelection setThetaTruePath(String value) {
    return put(thetaTruePath(), value);
  }

  public AdpoSelection setRefitSchedule(String value) {
    return put(refitSchedule(), value);
  }

  public AdpoSelection setBatchSize(int value) {
    return put(batchSize(), value);
  }

  public AdpoSelection setMaxIter(int value) {
    return put(maxIter(), value);
  }

  public AdpoSelection setTol(double value) {
    return put(tol(), value);
  }

  public AdpoSelection setIdCol(String value) {
    return put(idCol(), value);
  }

  public AdpoSelection setFeaturesCol(String value) {
    return put(featuresCol(), value);
  }

  public AdpoSelection setFeatures1Col(String value) {
    return put(features1Col(), value);
  }

  public AdpoSelection setFeatures2Col(String value) {
    return put(features2Col(), value);
  }

  public AdpoSelection setOffsetCol(String value) {
    return put(offsetCol(), value);
  }

  public AdpoSelection setLabelCol(String value) {
    return put(labelCol(), value);
  }

  public AdpoSelection setWeightCol(String value) {
    return put(weightCol(), value);
  }

  @SuppressWarnings("unchecked")
  private AdpoSelection put(Param<?> param, Object value) {
    set((Param<Object>) param, value);
    return this;
  }
}
