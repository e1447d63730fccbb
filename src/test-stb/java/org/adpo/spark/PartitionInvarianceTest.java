package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.holdenkarau.spark.testing.DataFrameSuiteBase$;
import com.holdenkarau.spark.testing.JavaRDDComparisons;
import java.util.List;
import org.adpo.api.AdpoSelector;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
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
  void selectionFrameIsIdenticalForAnyPartitioning(SparkSession spark) {
    // apo has no fitted weights, so every number in the output is computed by the same arithmetic.
    Pools pool = Pools.random(400, 6, 40, 99);
    Dataset<Row> one = new AdpoSelector().setAlgorithm("apo").setBudget(60).setPartitions(1).select(pool.frame(spark));
    Dataset<Row> many = new AdpoSelector().setAlgorithm("apo").setBudget(60).setPartitions(7).setTopK(3)
        .select(pool.frame(spark));
    JavaRDDComparisons.assertRDDEqualsWithOrder(one.javaRDD().repartition(1), many.javaRDD().repartition(1));
  }

  @Test
  void adpoPlusSelectionAgreesForAnyPartitioning(SparkSession spark) {
    // theta is a sum over partitions, so it may differ in the last bits; rows agree to 1e-9.
    Pools pool = Pools.random(400, 6, 40, 98);
    List<Row> ra = new AdpoSelector().setBudget(60).setPartitions(1).select(pool.frame(spark)).collectAsList();
    List<Row> rb = new AdpoSelector().setBudget(60).setPartitions(7).setTopK(3).select(pool.frame(spark))
        .collectAsList();
    assertEquals(60, ra.size());
    for (int i = 0; i < ra.size(); i++) {
      assertTrue(DataFrameSuiteBase$.MODULE$.approxEquals(ra.get(i), rb.get(i), 1e-9), "row " + i);
    }
  }
}
