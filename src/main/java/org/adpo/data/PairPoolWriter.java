package org.adpo.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a {@link PairPool} into a Spark DataFrame and writes it as a single Parquet file, so a generated pool is
 * an ordinary engine input. Columns: {@code id} long, {@code phi} array&lt;float&gt;, {@code b} double,
 * {@code s} int, {@code pos_index} int, {@code neg_index} int (rows in id order).
 *
 * <p>{@link #writeInto} writes the Parquet file into a directory it is given; {@code bin/adpo make-pool} makes
 * that atomic by giving it the hidden sibling of a claimed {@code io.OutputTarget}.
 */
public final class PairPoolWriter {
  /** Schema of a written pool. */
  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("phi", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("b", DataTypes.DoubleType, false)
      .add("s", DataTypes.IntegerType, false)
      .add("pos_index", DataTypes.IntegerType, false)
      .add("neg_index", DataTypes.IntegerType, false);

  private PairPoolWriter() {}

  /**
   * The pool as a DataFrame with {@link #SCHEMA}, one row per pair, in id order, one partition. The pool is
   * broadcast and the rows are built on the executor, so tasks stay small whatever the pool size.
   */
  public static Dataset<Row> toDataFrame(SparkSession spark, PairPool pool) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<PairPool> shared = jsc.broadcast(pool);
    JavaRDD<Row> rows = jsc.parallelize(Collections.singletonList(0), 1).flatMap(ignored -> {
      PairPool p = shared.value();
      List<Row> out = new ArrayList<>(p.size());
      for (int i = 0; i < p.size(); i++) {
        out.add(row(p, i));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static Row row(PairPool pool, int i) {
    // A primitive array is a valid external value of array<float> for the Row encoder (a java.util.List is not).
    return RowFactory.create(pool.id(i), pool.phi(i), pool.b(i), pool.s(i), pool.posIndex(i), pool.negIndex(i));
  }

  /**
   * Writes the pool as Parquet into {@code dir} (which must not exist), without Spark's {@code .crc}
   * side files. The caller makes it atomic: {@code bin/adpo make-pool} writes into the hidden sibling of an
   * {@code io.OutputTarget}.
   */
  public static void writeInto(SparkSession spark, PairPool pool, org.apache.hadoop.fs.FileSystem fs,
      org.apache.hadoop.fs.Path dir) throws IOException {
    toDataFrame(spark, pool).write().parquet(dir.toString());
    // A checksummed file system (the local one) hides its .crc files from its own listing.
    org.apache.hadoop.fs.FileSystem raw = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem
        ? ((org.apache.hadoop.fs.ChecksumFileSystem) fs).getRawFileSystem() : fs;
    for (org.apache.hadoop.fs.FileStatus f : raw.listStatus(dir)) {
      if (f.getPath().getName().endsWith(".crc")) {
        raw.delete(f.getPath(), false);
      }
    }
  }
}
