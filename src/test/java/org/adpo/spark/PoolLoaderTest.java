package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.adpo.config.SelectionSettings;
import org.adpo.data.PoolBlock;
import org.adpo.error.BadInputException;
import org.adpo.select.Algorithm;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The validating and decoding pass of {@link PoolLoader}: its fingerprints equal the ones computed over the
 * cached blocks afterwards, its duplicate-id check finds an id repeated within a partition and across
 * partitions whose id ranges overlap (and passes distinct ids in overlapping ranges), and a non-finite
 * float32 feature is refused naming the row and the position.
 */
@ExtendWith(SparkSessionExtension.class)
class PoolLoaderTest {
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("phi", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("b", DataTypes.DoubleType, false)
      .add("s", DataTypes.IntegerType, true);

  private static Dataset<Row> pool(SparkSession spark, long[] ids, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      float[] phi = new float[5]; // a primitive array: what the encoder of an RDD's rows takes
      for (int j = 0; j < 5; j++) {
        phi[j] = (float) Math.cos(ids[i] * 7 + j);
      }
      rows.add(RowFactory.create(ids[i], phi, i * 0.25, i % 3 == 2 ? null : i % 2));
    }
    // parallelize cuts the list into contiguous runs, one per partition.
    return spark.createDataFrame(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions),
        SCHEMA);
  }

  private static SelectionSettings settings(int partitions) {
    return SelectionSettings.builder().algorithm(Algorithm.DOPT).budget(1).partitions(partitions).build();
  }

  @Test
  void fingerprintsOfThePassEqualThoseOfTheBlocks(SparkSession spark) {
    long[] ids = new long[103];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 37L) % 211 - 50; // distinct, negative ones too, ranges of the partitions overlap
    }
    for (int partitions : new int[] {1, 3, 7}) {
      LoadedPool pool = PoolLoader.load(pool(spark, ids, 4), "test", settings(partitions));
      try {
        assertNotNull(pool.digests());
        assertArrayEquals(PoolDigest.withLabels(pool.blocks()), pool.digests());
        assertEquals(PoolDigest.of(pool.blocks()), pool.digests()[0]);
        long rows = 0;
        for (PoolBlock b : pool.blocks().collect()) {
          rows += b.rows;
        }
        assertEquals(ids.length, rows);
        assertEquals(ids.length, pool.rows());
      } finally {
        pool.release();
      }
    }
  }

  @Test
  void repeatedIdsAreFoundWithinAndAcrossPartitions(SparkSession spark) {
    // Two partitions, [1, 5] and [5, 11]: their ranges overlap, so the ids are compared by hash buckets.
    long[] across = {1, 2, 3, 5, 7, 9, 11, 5};
    BadInputException e = assertThrows(BadInputException.class,
        () -> PoolLoader.load(pool(spark, across, 2), "test", settings(0)));
    assertEquals("test: duplicate ids in column 'id': 5 (2 rows); ids must be unique", e.getMessage());
    assertEquals(3, e.exitCode());

    long[] within = {10, 11, 12, 10, 20, 21};
    e = assertThrows(BadInputException.class, () -> PoolLoader.load(pool(spark, within, 2), "test", settings(0)));
    assertEquals("test: duplicate ids in column 'id': 10 (2 rows); ids must be unique", e.getMessage());
  }

  @Test
  void theHashCheckPassesDistinctIdsInOverlappingRanges(SparkSession spark) {
    long[] ids = new long[60];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i % 12) * 100L + i / 12; // partition p of 5 holds p, 100 + p, ..., 1100 + p
    }
    LoadedPool pool = PoolLoader.load(pool(spark, ids, 5), "test", settings(0));
    try {
      assertEquals(60, pool.rows());
      assertFalse(PoolLoader.hasRepeatedIds(pool.blocks()));
    } finally {
      pool.release();
    }
    ids[59] = 1100; // now two partitions hold 1100
    BadInputException e = assertThrows(BadInputException.class,
        () -> PoolLoader.load(pool(spark, ids, 5), "test", settings(0)));
    assertEquals("test: duplicate ids in column 'id': 1100 (2 rows); ids must be unique", e.getMessage());
  }

  @Test
  void aNonFiniteFloatIsRefusedWithItsRowAndPosition(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<Float> phi = new ArrayList<>(List.of(1f, 2f, 3f));
      if (i == 6) {
        phi.set(2, Float.NEGATIVE_INFINITY);
      }
      rows.add(RowFactory.create((long) i, phi, 0.0, 1));
    }
    BadInputException e = assertThrows(BadInputException.class,
        () -> PoolLoader.load(spark.createDataFrame(rows, SCHEMA), "pool.parquet", settings(0)));
    assertEquals("pool.parquet: row with id=6: phi[2] is -Infinity", e.getMessage());
    assertEquals(3, e.exitCode());
  }
}
