package org.adpo.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adpo.error.UsageException;
import org.adpo.spark.PickRows;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The outcome of {@link AdpoSelection#fit}: the picks (id, rank, gain, weight; the revealed label for adpo /
 * pmc), theta and the run's {@link AdpoSelectionSummary}. {@link #transform} returns the rows of a DataFrame
 * whose id is picked, with the columns of the CLI's {@code selection/}: the input's columns plus rank, gain
 * and weight (and label), in rank order; an input column of the same name as an added one is replaced, as
 * in the CLI. Applied to the pool it was fitted on, it gives exactly the selection of {@code bin/adpo select}.
 *
 * <p>Saved with {@code write().save(path)}: the params (Spark's metadata), {@code data/} (the picks) and
 * {@code model/} (theta and the report), read back by {@link #load}; listed in
 * {@code META-INF/services/org.apache.spark.ml.Transformer}.
 */
public final class AdpoSelectionModel extends Model<AdpoSelectionModel> implements AdpoSelectionParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Map<String, Param<?>> params;
  private SelectedPicks picks;

  /** A model without picks (what a reader fills in); {@link #transform} refuses to run until it has them. */
  public AdpoSelectionModel(String uid) {
    this(uid, null);
  }

  /**
   * An empty model with a random uid: {@link java.util.ServiceLoader}, through which Spark Connect's ML server
   * finds the Transformers listed in META-INF/services, needs a public no-argument constructor.
   */
  public AdpoSelectionModel() {
    this(org.apache.spark.ml.util.Identifiable.randomUID("adpoSelectionModel"));
  }

  AdpoSelectionModel(String uid, SelectedPicks picks) {
    this.uid = uid;
    this.params = AdpoSelectionParams.declare(this);
    this.picks = picks;
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

  private SelectedPicks requirePicks() {
    if (picks == null) {
      throw new UsageException("model " + uid + " holds no picks: fit it with AdpoSelection or load a saved one");
    }
    return picks;
  }

  /** Number of picks. */
  public long numPicks() {
    return requirePicks().size();
  }

  /** The picks in rank order: id (as in the pool: integer ids as long), rank, gain, weight[, label]. */
  public Dataset<Row> picks() {
    return requirePicks().frame(SparkSession.active(), getIdCol());
  }

  /** The fitted theta (adpo-plus: the fit on all labels; adpo / pmc: the last refit); size 0 for the others. */
  public Vector theta() {
    return Vectors.dense(requirePicks().theta.clone());
  }

  public boolean hasSummary() {
    return picks != null;
  }

  /** The run's report (what report.json holds). */
  public AdpoSelectionSummary summary() {
    return new AdpoSelectionSummary(requirePicks().reportJson);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    SelectedPicks p = requirePicks();
    Dataset<Row> frame = dataset.toDF();
    transformSchema(frame.schema());
    return PickRows.selection(frame, getIdCol(), p.frame(frame.sparkSession(), PickRows.KEY), p.addedColumns());
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema, getIdCol(), picks != null ? picks.labels != null
        : org.adpo.select.Algorithm.parse(getAlgorithm()).isOnline());
  }

  /** The input's fields (minus those the selection replaces) plus rank, gain, weight and, online, label. */
  static StructType outputSchema(StructType schema, String idCol, boolean online) {
    if (!List.of(schema.fieldNames()).contains(idCol)) {
      throw new UsageException("the DataFrame has no id column '" + idCol + "' (idCol); its columns are "
          + List.of(schema.fieldNames()));
    }
    List<String> added = new ArrayList<>(org.adpo.spark.SelectionJob.ADDED_COLUMNS);
    if (online) {
      added.add(org.adpo.spark.SelectionJob.LABEL_COLUMN);
    }
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      if (!added.contains(f.name()) || f.name().equals(idCol)) {
        out = out.add(f);
      }
    }
    out = out.add("rank", DataTypes.LongType, false).add("gain", DataTypes.DoubleType, false)
        .add("weight", DataTypes.DoubleType, false);
    return online ? out.add(org.adpo.spark.SelectionJob.LABEL_COLUMN, DataTypes.IntegerType, false) : out;
  }

  @Override
  public AdpoSelectionModel copy(ParamMap extra) {
    AdpoSelectionModel copy = copyValues(new AdpoSelectionModel(uid, picks), extra);
    return parent() == null ? copy : copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<AdpoSelectionModel> read() {
    return new Reader();
  }

  public static AdpoSelectionModel load(String path) {
    return read().load(path);
  }

  private static final StructType MODEL_SCHEMA = new StructType()
      .add("theta", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("report", DataTypes.StringType, false);

  /** Spark's params metadata, then the picks under data/ and theta with the report under model/ (Parquet). */
  static final class Writer extends MLWriter {
    private final AdpoSelectionModel model;

    Writer(AdpoSelectionModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      SelectedPicks p = model.requirePicks();
      DefaultParamsWriter params = new DefaultParamsWriter(model);
      params.session(sparkSession());
      params.saveImpl(path);
      p.frame(sparkSession(), "id").coalesce(1).write().parquet(path + "/data");
      List<Double> theta = new ArrayList<>();
      for (double t : p.theta) {
        theta.add(t);
      }
      sparkSession().createDataFrame(List.of(RowFactory.create(theta, p.reportJson)), MODEL_SCHEMA)
          .coalesce(1).write().parquet(path + "/model");
    }
  }

  static final class Reader extends MLReader<AdpoSelectionModel> {
    @Override
    public AdpoSelectionModel load(String path) {
      DefaultParamsReader<AdpoSelectionModel> params = new DefaultParamsReader<>();
      params.session(sparkSession());
      AdpoSelectionModel model = params.load(path);
      Dataset<Row> data = sparkSession().read().parquet(path + "/data");
      Row extra = sparkSession().read().parquet(path + "/model").head();
      List<Double> t = extra.getList(0);
      double[] theta = new double[t.size()];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = t.get(i);
      }
      model.picks = SelectedPicks.fromRows(data.collectAsList(), data.schema(), theta, extra.getString(1));
      return model;
    }
  }
}
