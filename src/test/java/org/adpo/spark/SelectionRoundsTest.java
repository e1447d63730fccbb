package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.adpo.api.AdpoSelector;
import org.adpo.io.SelectionReport;
import org.adpo.select.Pick;
import org.adpo.testing.IndependentReference;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The round statistics of the exact loop where the pool makes them predictable: a tie exactly at a
 * partition bound costs a regather, {@code refresh-every} refreshes on schedule, the per-round pick
 * limit ({@link DistributedGreedy#MAX_PICKS_KEY}) gives one round per pick, and an ordinary pool is
 * certified several picks per round. Every run's picks also equal {@link IndependentReference}'s.
 */
@ExtendWith(SparkSessionExtension.class)
class SelectionRoundsTest {
  private static final double GAMMA = 0.5;

  private static void assertPicksEqualReference(SelectionResult r, double[][] phi, long[] ids, int budget) {
    IndependentReference.Greedy ref = IndependentReference.greedy(phi, ids, GAMMA, budget);
    List<Pick> picks = r.picks();
    assertEquals(budget, picks.size());
    for (int t = 0; t < budget; t++) {
      assertEquals(ids[ref.picks()[t]], picks.get(t).id(), "pick " + (t + 1));
      assertEquals(ref.gains()[t], picks.get(t).gain(), 1e-9 * ref.gains()[t], "gain of pick " + (t + 1));
    }
  }

  /**
   * Partition 0 returns a (id 101, score 2); partition 1 holds a' (id 150, a copy of a) and c (id 200,
   * orthogonal, also score 2) and returns only a', so its bound is c's stored score, exactly 2 (all
   * values are binary fractions). a is the sequential pick, but it only ties with that bound: no pick
   * can be certified, the round is gathered again with more rows (everything, here), and then all
   * picks are certified.
   */
  @Test
  void aTieExactlyAtAPartitionBoundIsSettledByARegather(SparkSession spark) {
    int d = 4;
    // Per partition: rows as (id, axis, length); fillers on axes 2 and 3 have distinct lengths.
    double[][][] parts = {
        {{101, 0, 1.0}, {120, 2, 0.5}},
        {{200, 1, 1.0}, {150, 0, 1.0}, {130, 3, 0.25}},
        {{140, 2, 0.3125}},
        {{110, 3, 0.625}},
    };
    List<Row> rows = new ArrayList<>();
    List<Integer> slice = new ArrayList<>();
    List<double[]> phiList = new ArrayList<>();
    List<Long> idList = new ArrayList<>();
    for (int p = 0; p < parts.length; p++) {
      for (double[] r : parts[p]) {
        double[] phi = new double[d];
        phi[(int) r[1]] = r[2];
        rows.add(RowFactory.create((long) r[0], phi.clone(), 0.0, 1, 1.0, "p" + p));
        slice.add(p);
        phiList.add(phi);
        idList.add((long) r[0]);
      }
    }
    // One task per partition index emits that partition's rows; 4 partitions (a multiple of the
    // session's parallelism) are kept with partitions = 0, so the layout is exactly parts.
    JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(Arrays.asList(0, 1, 2, 3), 4).flatMap(p -> {
          List<Row> mine = new ArrayList<>();
          for (int i = 0; i < slice.size(); i++) {
            if (slice.get(i).intValue() == p.intValue()) {
              mine.add(rows.get(i));
            }
          }
          return mine.iterator();
        });
    int budget = 7;
    SelectionResult r = new AdpoSelector().setAlgorithm("apo").setBudget(budget).setPartitions(0).setTopK(1)
        .setGamma(GAMMA).run(spark.createDataFrame(rdd, Pools.SCHEMA));
    SelectionReport.Selection sel = r.report().selection();
    assertTrue(sel.regathers() >= 1, "the tie with partition 1's bound is not certified: " + sel);
    assertPicksEqualReference(r, phiList.toArray(new double[0][]),
        idList.stream().mapToLong(Long::longValue).toArray(), budget);
  }

  /**
   * With at most one pick per round, a selection of n picks takes n rounds (plus any regathers), and
   * refresh-every = 4 recomputes the stored scores before rounds 5, 9, ...: (n - 1) / 4 refreshes
   * (the refresh tolerance is set out of reach, so drift adds none).
   */
  @Test
  void onePickPerRoundAndRefreshesOnSchedule(SparkSession spark) {
    Pools pool = Pools.random(150, 5, 0, 23);
    int budget = 21;
    String key = DistributedGreedy.MAX_PICKS_KEY.substring("spark.".length());
    System.setProperty(key, "1");
    SelectionResult r;
    try {
      r = new AdpoSelector().setAlgorithm("apo").setBudget(budget).setPartitions(3).setTopK(16).setGamma(GAMMA)
          .setRefreshEvery(4).setRefreshTolerance(1e300).run(pool.frame(spark));
    } finally {
      System.clearProperty(key);
    }
    SelectionReport.Selection sel = r.report().selection();
    System.out.println("one pick per round: " + sel);
    assertEquals(0, sel.regathers(), "no regather on this pool: " + sel);
    assertEquals(budget, sel.rounds(), "one round per pick: " + sel);
    assertEquals((budget - 1) / 4, sel.refreshes(), "refreshes before rounds 5, 9, 13, 17, 21: " + sel);
    assertPicksEqualReference(r, pool.phiAsStored(), pool.ids, budget);
  }

  /** Without a limit, an ordinary pool's rounds are certified several picks at a time. */
  @Test
  void anOrdinaryPoolIsCertifiedSeveralPicksPerRound(SparkSession spark) {
    Pools pool = Pools.random(300, 8, 0, 29);
    int budget = 100;
    SelectionResult r = new AdpoSelector().setAlgorithm("apo").setBudget(budget).setPartitions(4).setGamma(GAMMA)
        .run(pool.frame(spark));
    SelectionReport.Selection sel = r.report().selection();
    System.out.println("ordinary pool: " + sel);
    assertTrue(sel.picksPerRound() >= 2 && sel.rounds() <= budget / 2, "several picks per round: " + sel);
    assertEquals(budget / (double) sel.rounds(), sel.picksPerRound(), 1e-12);
    assertPicksEqualReference(r, pool.phiAsStored(), pool.ids, budget);
  }
}
