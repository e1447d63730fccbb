package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.adpo.api.AdpoSelector;
import org.adpo.error.UsageException;
import org.adpo.io.SelectionReport;
import org.adpo.oracle.LoggedOracle;
import org.adpo.select.Pick;
import org.adpo.testing.IndependentReference;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lazy loop's rounds run in the driver ({@link DriverRounds}) against the same selection with its
 * rounds as Spark jobs ({@link ExecutorRounds}): every pick, gain and weight equal bit for bit, and the
 * same rounds, refreshes, regathers and gathered rows, offline and online, with several partitions
 * and more slices than threads; and against {@link IndependentReference}. The shared test session runs
 * executor rounds; each case switches the session's runtime conf.
 */
@ExtendWith(SparkSessionExtension.class)
class DriverRoundsTest {
  private static final double GAMMA = 0.5;

  private static SelectionResult with(SparkSession spark, String rounds, Supplier<SelectionResult> run) {
    spark.conf().set(RoundsChoice.KEY, rounds);
    try {
      return run.get();
    } finally {
      spark.conf().set(RoundsChoice.KEY, "executors");
    }
  }

  private static void assertSameSelection(SelectionResult executors, SelectionResult driver) {
    SelectionReport.Selection e = executors.report().selection();
    SelectionReport.Selection d = driver.report().selection();
    assertEquals("executors", e.roundsOn());
    assertEquals("driver", d.roundsOn());
    List<Pick> a = executors.picks();
    List<Pick> b = driver.picks();
    assertEquals(a.size(), b.size());
    for (int t = 0; t < a.size(); t++) {
      assertEquals(a.get(t).id(), b.get(t).id(), "pick " + (t + 1));
      assertEquals(a.get(t).rank(), b.get(t).rank());
      assertEquals(Double.doubleToLongBits(a.get(t).gain()), Double.doubleToLongBits(b.get(t).gain()),
          "gain of pick " + (t + 1));
      assertEquals(Double.doubleToLongBits(a.get(t).weight()), Double.doubleToLongBits(b.get(t).weight()),
          "weight of pick " + (t + 1));
    }
    assertEquals(e.rounds(), d.rounds(), "rounds");
    assertEquals(e.refreshes(), d.refreshes(), "refreshes");
    assertEquals(e.regathers(), d.regathers(), "regathers");
    assertEquals(e.gatheredRowsPerRound(), d.gatheredRowsPerRound(), "gathered rows per round");
    assertEquals(0, d.checkpoints(), "the driver rounds keep no lineage to cut");
  }

  static Stream<Arguments> offline() {
    return Stream.of(
        // algorithm, N, d, duplicates, partitions, budget, refresh-every
        Arguments.of("apo", 400, 16, 0, 3, 60, 0),
        Arguments.of("dopt", 300, 100, 0, 5, 40, 0),
        Arguments.of("adpo-plus", 300, 6, 20, 4, 50, 0),
        Arguments.of("apo", 200, 5, 40, 2, 45, 3));
  }

  @ParameterizedTest(name = "{0} N={1} d={2} dup={3} P={4} n={5} refresh-every={6}")
  @MethodSource("offline")
  void offlineSelectionsEqualTheExecutorRounds(String algorithm, int count, int d, int dup, int partitions, int n,
      int refreshEvery, SparkSession spark) {
    Pools pool = Pools.random(count, d, dup, 7L * count + d);
    Supplier<SelectionResult> run = () -> new AdpoSelector().setAlgorithm(algorithm).setBudget(n)
        .setPartitions(partitions).setGamma(GAMMA).setTopK(4).setRefreshEvery(refreshEvery)
        .run(pool.frame(spark));
    assertSameSelection(with(spark, "executors", run), with(spark, "driver", run));
  }

  /** Online ADPO: the refits re-weigh the candidates, which the driver rounds collect again. */
  @Test
  void onlineRefitsEqualTheExecutorRounds(SparkSession spark) {
    Pools pool = Pools.random(150, 4, 30, 91);
    Supplier<SelectionResult> run = () -> OnlineSelectionTest.selector("adpo", 50, 3, "doubling", 1, 0.0)
        .setOracle(new LoggedOracle()).run(pool.frame(spark));
    SelectionResult executors = with(spark, "executors", run);
    SelectionResult driver = with(spark, "driver", run);
    assertSameSelection(executors, driver);
    assertTrue(driver.report().online().refitCount() >= 3, "several refits: " + driver.report().online());
  }

  /** The picks equal the independent dense greedy; the collect path (as on a cluster) gives the same. */
  @Test
  void driverRoundsEqualTheIndependentReferenceWithAndWithoutTheLocalHandOff(SparkSession spark) {
    Pools pool = Pools.random(20000, 16, 0, 5);
    int budget = 30;
    Supplier<SelectionResult> run = () -> new AdpoSelector().setAlgorithm("apo").setBudget(budget).setPartitions(3)
        .setGamma(GAMMA).run(pool.frame(spark));
    SelectionResult handed = with(spark, "driver", run);
    SelectionResult collected;
    DriverRounds.handOffLocally = false;
    try {
      collected = with(spark, "driver", run);
    } finally {
      DriverRounds.handOffLocally = true;
    }
    IndependentReference.Greedy ref = IndependentReference.greedy(pool.phiAsStored(), pool.ids, GAMMA, budget);
    for (SelectionResult r : List.of(handed, collected)) {
      assertEquals("driver", r.report().selection().roundsOn());
      for (int t = 0; t < budget; t++) {
        assertEquals(pool.ids[ref.picks()[t]], r.picks().get(t).id(), "pick " + (t + 1));
        assertEquals(ref.gains()[t], r.picks().get(t).gain(), 1e-9 * ref.gains()[t], "gain of pick " + (t + 1));
      }
    }
  }

  @Test
  void autoRunsTheRoundsInTheDriverOnALocalMaster(SparkSession spark) {
    Pools pool = Pools.random(100, 3, 0, 3);
    SelectionResult r = with(spark, "auto",
        () -> new AdpoSelector().setAlgorithm("apo").setBudget(5).setGamma(GAMMA).run(pool.frame(spark)));
    assertEquals("driver", r.report().selection().roundsOn());
  }

  @Test
  void aValueOtherThanAutoDriverOrExecutorsIsRefusedNamingTheSetting(SparkSession spark) {
    Pools pool = Pools.random(50, 3, 0, 3);
    UsageException e = assertThrows(UsageException.class, () -> with(spark, "gpu",
        () -> new AdpoSelector().setAlgorithm("apo").setBudget(5).setGamma(GAMMA).run(pool.frame(spark))));
    assertEquals("spark.adpo.select.rounds must be auto, driver or executors, not 'gpu'", e.getMessage());
  }
}
