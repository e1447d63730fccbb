package org.adpo.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one way picks are joined back to rows, for {@code select}'s {@code selection/}, the Spark ML model's
 * {@code transform}, and the online rounds' queries and export: the picks are a small frame (one row per
 * pick, the id in column {@link #KEY}, Long or String), cast to the type of the rows' id column and
 * broadcast-joined on it.
 */
public final class PickRows {
  private PickRows() {}

  /** The picks' id column. */
  public static final String KEY = "__adpo_pick_id";

  /** The column of {@link #frame} with features that holds the picks' vectors, under the input's name in the output. */
  static final String FEATURES = "__adpo_pick_features";

  /**
   * The picks as rows: {@link #KEY} (Long for integer ids, String for string ids), rank, gain, weight and,
   * when {@code labels} is not null, {@link SelectionJob#LABEL_COLUMN}: the columns a selection adds.
   */
  public static Dataset<Row> frame(SparkSession spark, boolean stringIds, Object[] ids, long[] ranks,
      double[] gains, double[] weights, int[] labels) {
    return frame(spark, stringIds, ids, ranks, gains, weights, labels, null, null);
  }

  /**
   * As {@link #frame(SparkSession, boolean, Object[], long[], double[], double[], int[])}, with one more column,
   * {@link #FEATURES}, when {@code phi} is not null: each pick's vector as the pool's column {@code phi} holds it
   * (an array of float32, so the values decoded from the pool are its values bit for bit; {@code features} in
   * pick order). Then {@link #selection} takes that column from the picks and does not read it from the pool: at
   * high d the features are nearly all of a pool's bytes, and Spark's Parquet reader spends most of a scan
   * assembling array columns.
   */
  static Dataset<Row> frame(SparkSession spark, boolean stringIds, Object[] ids, long[] ranks,
      double[] gains, double[] weights, int[] labels, StructField phi, List<float[]> features) {
    StructType schema = new StructType()
        .add(KEY, stringIds ? DataTypes.StringType : DataTypes.LongType, false)
        .add("rank", DataTypes.LongType, false)
        .add("gain", DataTypes.DoubleType, false)
        .add("weight", DataTypes.DoubleType, false);
    if (labels != null) {
      schema = schema.add(SelectionJob.LABEL_COLUMN, DataTypes.IntegerType, false);
    }
    if (phi != null) {
      schema = schema.add(FEATURES, phi.dataType(), phi.nullable());
    }
    List<Row> rows = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      List<Object> values = new ArrayList<>(List.of(stringIds ? String.valueOf(ids[i])
          : (Object) ((Number) ids[i]).longValue(), ranks[i], gains[i], weights[i]));
      if (labels != null) {
        values.add(labels[i]);
      }
      if (phi != null) {
        values.add(features.get(i)); // a float[] is what Spark's converter takes for an array of floats
      }
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** The columns of {@code frame} that a selection adding {@code added} replaces: same name, not the id. */
  public static List<String> replaced(String[] columns, String idName, List<String> added) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      if (added.contains(c) && !c.equals(idName)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The rows of {@code frame} whose id is picked: the frame's columns (those {@link #replaced} dropped), then the
   * picks' columns {@code added}, in rank order (the picks' {@code rank}), in one partition.
   */
  public static Dataset<Row> selection(Dataset<Row> frame, String idName, Dataset<Row> picks, List<String> added) {
    return selection(frame, idName, picks, added, null);
  }

  /**
   * As {@link #selection(Dataset, String, Dataset, List)}; when {@code phiName} is not null, {@code picks} holds
   * that column's values in {@link #FEATURES} ({@link #frame} with features), and the join does not read it from
   * {@code frame}: the output has the same columns, in the same order, with the same values.
   */
  static Dataset<Row> selection(Dataset<Row> frame, String idName, Dataset<Row> picks, List<String> added,
      String phiName) {
    List<String> drop = replaced(frame.columns(), idName, added);
    Dataset<Row> base = drop.isEmpty() ? frame : frame.drop(drop.toArray(new String[0]));
    Dataset<Row> read = phiName == null ? base : base.drop(phiName);
    Dataset<Row> keyed = keyed(read, idName, picks);
    List<Column> out = new ArrayList<>();
    for (String c : base.columns()) {
      out.add(c.equals(phiName) ? keyed.col(FEATURES).as(c, base.schema().apply(c).metadata()) : read.col(quote(c)));
    }
    for (String c : added) {
      out.add(keyed.col(c));
    }
    // The picks are few: they are gathered into one partition and sorted there. A global orderBy would
    // sample its input for a range partitioning first, one more pass over the whole pool.
    return joined(read, idName, keyed).select(out.toArray(new Column[0])).repartition(1)
        .sortWithinPartitions(functions.col("rank"));
  }

  /** Every column of {@code frame} and of {@code picks} for the picked rows (unordered). */
  static Dataset<Row> join(Dataset<Row> frame, String idName, Dataset<Row> picks) {
    return joined(frame, idName, keyed(frame, idName, picks));
  }

  /** {@code picks} with {@link #KEY} cast to the type of {@code frame}'s id column. */
  private static Dataset<Row> keyed(Dataset<Row> frame, String idName, Dataset<Row> picks) {
    DataType idType = frame.schema().apply(idName).dataType();
    return picks.withColumn(KEY, functions.col(KEY).cast(idType));
  }

  private static Dataset<Row> joined(Dataset<Row> frame, String idName, Dataset<Row> keyed) {
    return frame.join(functions.broadcast(keyed), frame.col(quote(idName)).equalTo(keyed.col(KEY)));
  }

  /** A column name as Spark's {@code col} reads it literally. */
  static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
