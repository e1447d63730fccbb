package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adpo.config.SelectionSettings;
import org.adpo.select.Algorithm;
import org.adpo.select.Pick;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The selection's rows are the input's rows, column for column and bit for bit, whether the join read the
 * feature column from the pool (double features) or took the picks' float32 vectors from the cached blocks
 * (float features: then the scan reads only the other columns); and the Parquet batch size of the validating
 * scan follows the rows' width and leaves the session's setting as it was.
 */
@ExtendWith(SparkSessionExtension.class)
class SelectionOutputTest {
  private static final int D = 9;

  /** A Parquet pool of 60 rows: a text column before phi and one after, phi of {@code element} values. */
  private static Dataset<Row> pool(SparkSession spark, Path dir, DataType element) {
    StructType schema = new StructType()
        .add("note", DataTypes.StringType, true)
        .add("id", DataTypes.LongType, false)
        .add("phi", DataTypes.createArrayType(element, true), true)
        .add("b", DataTypes.DoubleType, false)
        .add("s", DataTypes.IntegerType, false)
        .add("tail", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Object[] phi = new Object[D];
      for (int j = 0; j < D; j++) {
        double x = Math.sin(i * 1.7 + j * 0.31) / (1 + j) + (j == 3 && i % 7 == 0 ? -0.0 : 0.0);
        phi[j] = element == DataTypes.FloatType ? (Object) (float) x : (Object) x;
      }
      if (i % 11 == 0) {
        phi[2] = element == DataTypes.FloatType ? (Object) (-0.0f) : (Object) (-0.0);
      }
      rows.add(RowFactory.create("row " + i, 1000L + i * 3, phi, i * 0.01 - 0.2, i % 2, i % 5 == 0 ? null : "t" + i));
    }
    String path = dir.resolve("pool-" + element.simpleString()).toString();
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(path);
    return spark.read().parquet(path);
  }

  private static String cell(Object v) {
    if (v instanceof scala.collection.Seq<?> seq) {
      StringBuilder sb = new StringBuilder("[");
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        Object x = it.next();
        sb.append(x instanceof Float f ? "f" + Integer.toHexString(Float.floatToRawIntBits(f))
            : x instanceof Double g ? "d" + Long.toHexString(Double.doubleToRawLongBits(g)) : String.valueOf(x)).append(',');
      }
      return sb.append(']').toString();
    }
    return String.valueOf(v);
  }

  private static void assertRowsAreThePicksInputRows(Dataset<Row> input, SelectionResult r, boolean online) {
    List<String> expectedColumns = new ArrayList<>(List.of(input.columns()));
    expectedColumns.addAll(SelectionJob.ADDED_COLUMNS);
    if (online) {
      expectedColumns.add(SelectionJob.LABEL_COLUMN); // the label each pick revealed
    }
    assertEquals(expectedColumns, List.of(r.selection().columns()));
    for (org.apache.spark.sql.types.StructField f : input.schema().fields()) {
      assertEquals(f.dataType(), r.selection().schema().apply(f.name()).dataType(), f.name());
    }
    Map<Long, Row> byId = new HashMap<>();
    for (Row row : input.collectAsList()) {
      byId.put(row.getLong(1), row);
    }
    List<Row> out = r.selection().collectAsList();
    assertEquals(r.picks().size(), out.size());
    for (int k = 0; k < out.size(); k++) {
      Pick p = r.picks().get(k);
      Row row = out.get(k);
      Row in = byId.get(((Number) p.id()).longValue());
      for (int c = 0; c < input.columns().length; c++) {
        assertEquals(cell(in.get(c)), cell(row.get(c)), "pick " + (k + 1) + ", column " + input.columns()[c]);
      }
      int at = input.columns().length;
      assertEquals(p.rank(), row.getLong(at));
      assertEquals(p.gain(), row.getDouble(at + 1));
      assertEquals(p.weight(), row.getDouble(at + 2));
    }
  }

  @Test
  void floatFeaturesComeFromThePicksAndTheScanSkipsThem(SparkSession spark, @TempDir Path dir) {
    Dataset<Row> input = pool(spark, dir, DataTypes.FloatType);
    String property = SelectionJob.LOOKUP_KEY.substring("spark.".length());
    System.setProperty(property, "0"); // the lookup at any pool size (by default only from 2^26 values)
    try {
      for (Algorithm a : new Algorithm[] {Algorithm.DOPT, Algorithm.ADPO_PLUS, Algorithm.UNIFORM, Algorithm.ADPO}) {
        SelectionSettings s = SelectionSettings.builder().algorithm(a).budget(17).build();
        SelectionResult r = SelectionJob.run(spark, input, "test", s, null, null);
        assertRowsAreThePicksInputRows(input, r, a.isOnline());
        String plan = r.selection().queryExecution().executedPlan().toString();
        assertTrue(plan.contains("ReadSchema: struct<note:string,id:bigint,b:double,s:int,tail:string>"),
            a + ": " + plan);
      }
    } finally {
      System.clearProperty(property);
    }
    // A pool below the default size: the join reads the feature column, with the same rows.
    SelectionResult r = SelectionJob.run(spark, input, "test",
        SelectionSettings.builder().algorithm(Algorithm.DOPT).budget(17).build(), null, null);
    assertRowsAreThePicksInputRows(input, r, false);
    assertTrue(r.selection().queryExecution().executedPlan().toString().contains("phi:array<float>"));
  }

  @Test
  void doubleFeaturesAreReadFromThePool(SparkSession spark, @TempDir Path dir) {
    Dataset<Row> input = pool(spark, dir, DataTypes.DoubleType);
    SelectionResult r = SelectionJob.run(spark, input, "test",
        SelectionSettings.builder().algorithm(Algorithm.DOPT).budget(17).build(), null, null);
    assertRowsAreThePicksInputRows(input, r, false);
    assertTrue(r.selection().queryExecution().executedPlan().toString().contains("phi:array<double>"));
  }

  @Test
  void theBatchSizeFollowsTheRowWidth(SparkSession spark, @TempDir Path dir) {
    assertEquals(4096, ParquetBatch.rowsFor(0));
    assertEquals(4096, ParquetBatch.rowsFor(64));
    assertEquals(4096, ParquetBatch.rowsFor(512));
    assertEquals(512, ParquetBatch.rowsFor(4096));
    assertEquals(256, ParquetBatch.rowsFor(8192));
    assertEquals(64, ParquetBatch.rowsFor(1 << 20));
    Dataset<Row> input = pool(spark, dir, DataTypes.FloatType);
    assertEquals(D + 5, ParquetBatch.valuesPerRow(input)); // note, id, D values, b, s, tail
    assertEquals(0, ParquetBatch.valuesPerRow(spark.range(3).toDF()));

    // A wide pool: the scan is planned with the narrower batch, and the session's setting is restored.
    List<Row> wide = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      float[] phi = new float[70000];
      phi[i] = 1;
      wide.add(RowFactory.create((long) i, phi));
    }
    String path = dir.resolve("wide").toString();
    spark.createDataFrame(wide, new StructType().add("id", DataTypes.LongType)
        .add("phi", DataTypes.createArrayType(DataTypes.FloatType, false))).write().parquet(path);
    Dataset<Row> w = spark.read().parquet(path);
    assertEquals(70001, ParquetBatch.valuesPerRow(w));
    String inside = ParquetBatch.around(w, () -> spark.conf().get(ParquetBatch.KEY));
    assertEquals("64", inside);
    assertFalse(spark.conf().getAll().contains(ParquetBatch.KEY));
    spark.conf().set(ParquetBatch.KEY, 1000);
    try {
      assertEquals("1000", ParquetBatch.around(w, () -> spark.conf().get(ParquetBatch.KEY)));
      assertEquals("1000", spark.conf().get(ParquetBatch.KEY));
    } finally {
      spark.conf().unset(ParquetBatch.KEY);
    }
    // The validating pass reads the wide pool whole, with that batch.
    LoadedPool loaded = PoolLoader.load(w, "wide", SelectionSettings.builder().algorithm(Algorithm.DOPT).budget(1)
        .build(), false);
    try {
      assertEquals(4, loaded.rows());
      assertEquals(70000, loaded.dimension());
    } finally {
      loaded.release();
    }
  }
}
