package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.holdenkarau.spark.testing.DataFrameSuiteBase$;
import com.holdenkarau.spark.testing.JavaRDDComparisons;
import java.util.List;
import org.adpo.api.AdpoSelector;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole selection DataFrame (all input columns plus rank, gain, weight, in order) does not
 * depend on how the pool is partitioned, checked with spark-testing-base's RDD and Row comparisons.
 * Only built on the Spark 3.5 line, the one for which spark-testing-base is published.
 */
@Tag("spark-testing-base")
@ExtendWith(SparkSessionExtension.class)
class PartitionInvarianceTest {

  @Test
  void selectionFrameIsTheSameForAnyPartitioning(SparkSession spark) {
    Pools pool = Pools.random(400, 6, 40, 99);
    Dataset<Row> one = new AdpoSelector().setBudget(60).setPartitions(1).select(pool.frame(spark));
    Dataset<Row> many = new AdpoSelector().setBudget(60).setPartitions(7).setTopK(3).select(pool.frame(spark));
    JavaRDD<Row> a = one.javaRDD();
    JavaRDD<Row> b = many.javaRDD().repartition(1);
    JavaRDDComparisons.assertRDDEqualsWithOrder(a.repartition(1), b);

    List<Row> ra = one.collectAsList();
    List<Row> rb = many.collectAsList();
    assertEquals(60, ra.size());
    for (int i = 0; i < ra.size(); i++) {
      assertTrue(DataFrameSuiteBase$.MODULE$.approxEquals(ra.get(i), rb.get(i), 0.0), "row " + i);
    }
  }
}
