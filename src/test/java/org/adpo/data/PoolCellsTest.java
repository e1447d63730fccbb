package org.adpo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reading a pool's cells from Spark's internal rows ({@link PoolCells}) gives what the external rows give
 * ({@link PoolLayout}'s own readers), value for value and bit for bit, with the same message for a cell that
 * cannot be decoded: for every column type a pool may have (integer widths, decimals, floats, booleans,
 * arrays of each numeric type with and without null elements, ML and MLlib Vectors, dense and sparse,
 * text, phi1/phi2 pairs of different types), from an in-memory frame and from Parquet.
 */
@ExtendWith(SparkSessionExtension.class)
class PoolCellsTest {

  /** Compares both readers on every row of {@code frame}; returns the number of rows whose phi failed. */
  private static int compare(Dataset<Row> frame) {
    PoolLayout layout = PoolLayout.resolve("test", ColumnNames.defaults(), frame.schema(), false);
    PoolCells cells = layout.cells(frame.schema());
    int[] at = layout.projectedIndices(frame.schema());
    List<Row> rows = frame.collectAsList();
    // Internal rows may be reused by the reader: copy them as they come.
    List<InternalRow> internal = new ArrayList<>();
    Iterator<InternalRow> it = frame.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy).collect().iterator();
    it.forEachRemaining(internal::add);
    assertEquals(rows.size(), internal.size());
    int failed = 0;
    for (int i = 0; i < rows.size(); i++) {
      Object[] narrow = new Object[at.length];
      for (int k = 0; k < at.length; k++) {
        narrow[k] = rows.get(i).get(at[k]);
      }
      Row r = RowFactory.create(narrow);
      InternalRow ir = internal.get(i);
      assertEquals(layout.id(r), cells.id(ir), "id of row " + i);
      assertEquals(Double.doubleToLongBits(layout.b(r)), Double.doubleToLongBits(cells.b(ir)), "b of row " + i);
      assertEquals(Double.doubleToLongBits(layout.s(r)), Double.doubleToLongBits(cells.s(ir)), "s of row " + i);
      assertEquals(Double.doubleToLongBits(layout.weight(r)), Double.doubleToLongBits(cells.weight(ir)),
          "weight of row " + i);
      String expectedError = null;
      double[] expected = null;
      try {
        expected = layout.phi(r);
      } catch (VectorFormatException e) {
        expectedError = e.getMessage();
      }
      String error = null;
      double[] got = null;
      try {
        if (cells.floatFeatures()) {
          // Every other row is read into a reused array of its length, filled with NaN beforehand.
          float[] scratch = i % 2 == 0 || expected == null ? null : new float[expected.length];
          if (scratch != null) {
            Arrays.fill(scratch, Float.NaN);
          }
          float[] f = cells.phiFloats(ir, scratch);
          got = new double[f.length];
          for (int j = 0; j < f.length; j++) {
            got[j] = f[j];
          }
        } else {
          got = cells.phi(ir);
        }
      } catch (VectorFormatException e) {
        error = e.getMessage();
      }
      assertEquals(expectedError, error, "phi error of row " + i);
      if (expected != null) {
        assertArrayEquals(bits(expected), bits(got), "phi of row " + i + ": " + Arrays.toString(got));
      } else {
        assertNull(got);
        failed++;
      }
    }
    return failed;
  }

  private static long[] bits(double[] v) {
    long[] b = new long[v.length];
    for (int j = 0; j < v.length; j++) {
      b[j] = Double.doubleToLongBits(v[j]);
    }
    return b;
  }

  @Test
  void scalarTypesAndArraysOfEveryNumericType(SparkSession spark) {
    StructType schema = new StructType()
        .add("id", DataTypes.IntegerType, true)
        .add("phi", DataTypes.createArrayType(DataTypes.createDecimalType(12, 5), true), true)
        .add("b", DataTypes.createDecimalType(20, 7), true)
        .add("s", DataTypes.BooleanType, true)
        .add("weight", DataTypes.FloatType, true)
        .add("note", DataTypes.StringType, true);
    List<Row> rows = List.of(
        RowFactory.create(1, Arrays.asList(new BigDecimal("0.12345"), new BigDecimal("-3.1")),
            new BigDecimal("0.1000001"), true, 0.1f, "a"),
        RowFactory.create(2, Arrays.asList(new BigDecimal("1"), null), null, false, null, "b"),
        RowFactory.create(null, null, new BigDecimal("-2.5"), null, 3.0f, null));
    assertEquals(2, compare(spark.createDataFrame(rows, schema)));

    for (org.apache.spark.sql.types.DataType element : List.of(DataTypes.ByteType, DataTypes.ShortType,
        DataTypes.IntegerType, DataTypes.LongType, DataTypes.FloatType, DataTypes.DoubleType)) {
      for (boolean nulls : new boolean[] {false, true}) {
        StructType s2 = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("phi", DataTypes.createArrayType(element, nulls), true)
            .add("b", DataTypes.FloatType, true)
            .add("s", DataTypes.LongType, true)
            .add("weight", DataTypes.ShortType, true);
        List<Row> r2 = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          List<Object> phi = new ArrayList<>();
          for (int j = 0; j < 70; j++) { // more than 64 elements: the null flags take two words
            phi.add(value(element, i * 100 + j - 7 * i));
          }
          if (nulls && i == 3) {
            phi.set(66, null);
          }
          r2.add(RowFactory.create((long) i, i == 4 ? null : phi, 0.3f * i, (long) (i % 2), (short) i));
        }
        Dataset<Row> frame = spark.createDataFrame(r2, s2);
        assertEquals(nulls ? 2 : 1, compare(frame), element + " nulls " + nulls);
        if (element == DataTypes.FloatType) { // rows that went through a shuffle
          assertEquals(nulls ? 2 : 1, compare(frame.repartition(2)), element + " nulls " + nulls + " shuffled");
        }
      }
    }
  }

  private static Object value(org.apache.spark.sql.types.DataType type, int k) {
    if (type == DataTypes.ByteType) {
      return (byte) k;
    } else if (type == DataTypes.ShortType) {
      return (short) (k * 300);
    } else if (type == DataTypes.IntegerType) {
      return k * 100_003;
    } else if (type == DataTypes.LongType) {
      return k * 9_007_199_254_740_993L; // beyond 2^53: the rounding to double is compared too
    } else if (type == DataTypes.FloatType) {
      return k == 5 ? Float.NaN : (float) (k / 3.0);
    }
    return k == 6 ? Double.POSITIVE_INFINITY : k / 7.0 + 1e300 * (k % 3);
  }

  @Test
  void vectorsTextAndPairs(SparkSession spark) {
    StructType schema = new StructType()
        .add("id", DataTypes.ShortType, false)
        .add("phi1", SQLDataTypes.VectorType(), true)
        .add("phi2", new org.apache.spark.mllib.linalg.VectorUDT(), true)
        .add("b", DataTypes.DoubleType, true);
    List<Row> rows = List.of(
        RowFactory.create((short) 1, Vectors.dense(0.5, -1.25, 3), org.apache.spark.mllib.linalg.Vectors.dense(1, 2, 3), 0.5),
        RowFactory.create((short) 2, Vectors.sparse(3, new int[] {1}, new double[] {2.5}),
            org.apache.spark.mllib.linalg.Vectors.sparse(3, new int[] {0, 2}, new double[] {1, 1}), null),
        RowFactory.create((short) 3, Vectors.dense(1, 2), org.apache.spark.mllib.linalg.Vectors.dense(1, 2, 3), 1.0),
        RowFactory.create((short) 4, null, org.apache.spark.mllib.linalg.Vectors.dense(1), 1.0));
    assertEquals(2, compare(spark.createDataFrame(rows, schema)));

    StructType text = new StructType()
        .add("id", DataTypes.StringType, true)
        .add("phi", DataTypes.StringType, true)
        .add("s", DataTypes.DoubleType, true);
    List<Row> t = List.of(RowFactory.create("x", "[0.1, -0.2]", 1.0), RowFactory.create("y", "0.1;oops", 0.0),
        RowFactory.create("z", "", null), RowFactory.create(null, null, 2.0));
    assertEquals(2, compare(spark.createDataFrame(t, text)));

    StructType pairs = new StructType()
        .add("id", DataTypes.ByteType, false)
        .add("phi1", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("phi2", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    List<Row> p = List.of(RowFactory.create((byte) 1, Arrays.asList(0.1f, 0.7f), Arrays.asList(3, -4)),
        RowFactory.create((byte) 2, Arrays.asList(0.1f), Arrays.asList(3, -4)));
    assertEquals(1, compare(spark.createDataFrame(p, pairs)));
  }

  @Test
  void parquetFloatArrays(SparkSession spark, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("phi", DataTypes.createArrayType(DataTypes.FloatType, true), true)
        .add("b", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<Float> phi = new ArrayList<>();
      for (int j = 0; j < 130; j++) {
        phi.add(i == 17 && j == 129 ? null : (float) Math.sin(i * 131 + j));
      }
      rows.add(RowFactory.create((long) i, phi, i / 3.0));
    }
    String path = dir.resolve("pool.parquet").toString();
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(path);
    Dataset<Row> frame = spark.read().parquet(path);
    PoolLayout layout = PoolLayout.resolve("test", ColumnNames.defaults(), frame.schema(), false);
    assertTrue(layout.cells(frame.schema()).floatFeatures());
    assertEquals(1, compare(frame));
  }
}
