package org.adpo.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.adpo.io.ReportJson;
import org.adpo.select.Pick;
import org.adpo.spark.PickRows;
import org.adpo.spark.SelectionJob;
import org.adpo.spark.SelectionResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What a fitted {@link AdpoSelectionModel} holds: the picks in rank order (id, gain, weight, and for adpo /
 * pmc the revealed label), theta (empty when the algorithm fits none) and the report as JSON. Small: one
 * entry per pick, kept on the driver.
 */
final class SelectedPicks implements Serializable {
  private static final long serialVersionUID = 1L;

  final boolean stringIds;
  final Object[] ids;
  final double[] gains;
  final double[] weights;
  /** null unless the algorithm is online. */
  final int[] labels;
  final double[] theta;
  final String reportJson;

  SelectedPicks(boolean stringIds, Object[] ids, double[] gains, double[] weights, int[] labels, double[] theta,
      String reportJson) {
    this.stringIds = stringIds;
    this.ids = ids;
    this.gains = gains;
    this.weights = weights;
    this.labels = labels;
    this.theta = theta;
    this.reportJson = reportJson;
  }

  /** The picks of one selection run; for online runs the labels are read from its selection frame. */
  static SelectedPicks of(SelectionResult result, String idCol) {
    List<Pick> picks = result.picks();
    int n = picks.size();
    Object[] ids = new Object[n];
    double[] gains = new double[n];
    double[] weights = new double[n];
    boolean stringIds = false;
    for (int i = 0; i < n; i++) {
      Pick p = picks.get(i);
      if (p.rank() != i + 1) {
        throw new IllegalStateException("pick " + i + " has rank " + p.rank());
      }
      ids[i] = p.id();
      stringIds |= p.id() instanceof String;
      gains[i] = p.gain();
      weights[i] = p.weight();
    }
    int[] labels = null;
    if (List.of(result.selection().columns()).contains(SelectionJob.LABEL_COLUMN)) {
      labels = new int[n];
      for (Row r : result.selection().select("rank", SelectionJob.LABEL_COLUMN).collectAsList()) {
        labels[(int) r.getLong(0) - 1] = r.getInt(1);
      }
    }
    double[] theta = result.fit() == null ? new double[0] : result.fit().theta();
    return new SelectedPicks(stringIds, ids, gains, weights, labels, theta, ReportJson.toJson(result.report()));
  }

  int size() {
    return ids.length;
  }

  /** Columns the model adds to the rows it selects, as the CLI's selection/ has them. */
  List<String> addedColumns() {
    List<String> added = new ArrayList<>(SelectionJob.ADDED_COLUMNS);
    if (labels != null) {
      added.add(SelectionJob.LABEL_COLUMN);
    }
    return added;
  }

  /** The picks as rows: {@code key} (Long or String ids), rank, gain, weight[, label] ({@link PickRows#frame}). */
  Dataset<Row> frame(SparkSession spark, String key) {
    long[] ranks = new long[ids.length];
    for (int i = 0; i < ranks.length; i++) {
      ranks[i] = i + 1;
    }
    Dataset<Row> f = PickRows.frame(spark, stringIds, ids, ranks, gains, weights, labels);
    return key.equals(PickRows.KEY) ? f : f.withColumnRenamed(PickRows.KEY, key);
  }

  /** The inverse of {@link #frame} (rows in any order) plus theta and the report. */
  static SelectedPicks fromRows(List<Row> rows, StructType schema, double[] theta, String reportJson) {
    int n = rows.size();
    boolean stringIds = schema.apply(0).dataType().equals(DataTypes.StringType);
    boolean online = List.of(schema.fieldNames()).contains(SelectionJob.LABEL_COLUMN);
    Object[] ids = new Object[n];
    double[] gains = new double[n];
    double[] weights = new double[n];
    int[] labels = online ? new int[n] : null;
    for (Row r : rows) {
      int i = (int) r.getLong(1) - 1;
      if (i < 0 || i >= n || ids[i] != null) {
        throw new IllegalStateException("saved picks have a bad or repeated rank " + (i + 1));
      }
      ids[i] = r.get(0);
      gains[i] = r.getDouble(2);
      weights[i] = r.getDouble(3);
      if (online) {
        labels[i] = r.getInt(4);
      }
    }
    return new SelectedPicks(stringIds, ids, gains, weights, labels, theta, reportJson);
  }
}
