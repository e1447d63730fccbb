package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.adpo.eval.SplitRule;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The split's sides on Spark: the same ids whatever the partitioning and row order of the pool,
 * disjoint, together the whole pool, every column kept.
 */
@ExtendWith(SparkSessionExtension.class)
class SplitPartitioningTest {
  static Set<Object> ids(Dataset<Row> frame) {
    Set<Object> out = new TreeSet<>();
    for (Row r : frame.select("id").collectAsList()) {
      out.add(r.get(0));
    }
    return out;
  }

  @Test
  void sameSplitForAnyPartitioningAndRowOrder(SparkSession spark) {
    Dataset<Row> pool = Pools.random(1200, 4, 0, 5).frame(spark).withColumn("note", functions.lit("x"));
    SplitRule rule = SplitRule.of(0.25, 9);
    int at = pool.schema().fieldIndex("id");
    Set<Object> test = ids(SplitCommand.side(pool.coalesce(1), at, false, rule, true));
    Set<Object> train = ids(SplitCommand.side(pool.coalesce(1), at, false, rule, false));
    // Round-robin repartitioning moves every row to another partition and position.
    Dataset<Row> shuffled = pool.repartition(7);
    assertEquals(test, ids(SplitCommand.side(shuffled, at, false, rule, true)), "7 partitions");
    assertEquals(train, ids(SplitCommand.side(shuffled, at, false, rule, false)), "7 partitions");
    Set<Object> all = new TreeSet<>(test);
    all.addAll(train);
    assertEquals(1200, all.size(), "together the whole pool");
    assertEquals(1200, test.size() + train.size(), "disjoint");
    assertTrue(test.size() > 230 && test.size() < 370, "about a quarter: " + test.size());
    Dataset<Row> side = SplitCommand.side(pool, at, false, rule, true);
    assertEquals(List.of(pool.columns()), List.of(side.columns()), "every column kept");
  }

  @Test
  void stringIdsSplitTheSameWayOnAnyPartitioning(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(RowFactory.create("pair-" + i, i * 0.5));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType).add("x", DataTypes.DoubleType);
    Dataset<Row> frame = spark.createDataFrame(rows, schema);
    SplitRule rule = SplitRule.of(0.5, 2);
    Set<Object> expected = new TreeSet<>();
    for (int i = 0; i < 1000; i++) {
      if (rule.isTest("pair-" + i)) {
        expected.add("pair-" + i);
      }
    }
    assertEquals(expected, ids(SplitCommand.side(frame.coalesce(1), 0, true, rule, true)));
    assertEquals(expected, ids(SplitCommand.side(frame.repartition(5), 0, true, rule, true)));
  }
}
