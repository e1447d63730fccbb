package org.adpo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.adpo.api.AdpoSelector;
import org.adpo.model.FisherWeights;
import org.adpo.reference.DenseGreedy;
import org.adpo.select.Pick;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The distributed exact selection equals the independent dense reference pick for pick, with gains
 * equal to 1e-9 relative, for several pool sizes, dimensions, partition counts, budgets up to the
 * pool size, and pools with duplicate rows (exact ties, broken by the smallest id).
 */
@ExtendWith(SparkSessionExtension.class)
class SelectionParityTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // n, d, duplicates, partitions, budget, topK, algorithm, strategy, refresh-every, checkpoint-every
        Arguments.of(40, 3, 0, 1, 40, 16, "apo", "lazy", 0, 16),
        Arguments.of(40, 3, 10, 3, 40, 2, "dopt", "lazy", 0, 2),
        Arguments.of(120, 5, 30, 8, 60, 4, "apo", "lazy", 3, 16),
        Arguments.of(120, 5, 30, 3, 120, 1, "dopt", "lazy", 0, 1),
        Arguments.of(300, 8, 60, 8, 100, 16, "dopt", "lazy", 0, 4),
        Arguments.of(300, 8, 0, 1, 50, 8, "adpo-plus", "lazy", 0, 16),
        Arguments.of(200, 4, 50, 3, 200, 16, "adpo-plus", "lazy", 5, 3),
        Arguments.of(200, 4, 50, 8, 120, 3, "adpo-plus", "lazy", 0, 16),
        Arguments.of(120, 5, 30, 3, 40, 16, "dopt", "naive", 0, 16),
        Arguments.of(200, 4, 50, 8, 30, 16, "adpo-plus", "naive", 0, 16),
        // all rows identical: every pick is a tie broken by the smallest id
        Arguments.of(30, 3, 29, 3, 30, 2, "apo", "lazy", 0, 16));
  }

  @ParameterizedTest(name = "N={0} d={1} dup={2} P={3} n={4} k={5} {6} {7} refresh={8} checkpoint={9}")
  @MethodSource("cases")
  void distributedEqualsDenseReference(int n, int d, int dup, int partitions, int budget, int topK,
      String algorithm, String strategy, int refreshEvery, int checkpointEvery, SparkSession spark) {
    Pools pool = Pools.random(n, d, dup, 7L * n + d + partitions);
    SelectionResult r = new AdpoSelector().setAlgorithm(algorithm).setBudget(budget)
        .setPartitions(partitions).setTopK(topK).setBeta(1.5).setGamma(0.5).setStrategy(strategy)
        .setRefreshEvery(refreshEvery).setCheckpointEvery(checkpointEvery).run(pool.frame(spark));

    // Reference vectors v_i = scale_i phi_i built here from the pool (features as the engine stores
    // them, float32), not from the engine.
    double beta = 1.5;
    double[][] phi = pool.phiAsStored();
    double[][] v = new double[n][d];
    double[] theta = r.fit() == null ? null : r.fit().theta();
    for (int i = 0; i < n; i++) {
      double scale;
      switch (algorithm) {
        case "apo":
          scale = 1.0;
          break;
        case "dopt":
          scale = Math.sqrt(pool.weight[i]);
          break;
        default: {
          double dot = 0;
          for (int j = 0; j < d; j++) {
            dot += phi[i][j] * theta[j];
          }
          scale = beta * Math.sqrt(FisherWeights.weight(beta * (dot - pool.b[i])));
        }
      }
      for (int j = 0; j < d; j++) {
        v[i][j] = scale * phi[i][j];
      }
    }
    DenseGreedy.Result ref = DenseGreedy.select(v, pool.ids, 0.5, budget);
    List<Pick> picks = r.picks();
    assertEquals(budget, picks.size());
    for (int t = 0; t < budget; t++) {
      long expectedId = pool.ids[ref.picks()[t]];
      assertEquals(expectedId, picks.get(t).id(), "pick " + (t + 1));
      assertEquals(t + 1, picks.get(t).rank());
      double g = picks.get(t).gain();
      assertEquals(ref.gains()[t], g, 1e-9 * Math.abs(ref.gains()[t]) + 1e-15, "gain of pick " + (t + 1));
    }
    double logDet = r.report().selection().logDetFinal();
    assertEquals(ref.logDet(), logDet, 1e-9 * Math.abs(ref.logDet()) + 1e-9);
    // The selection frame holds exactly the picks, in rank order, with the pass-through column.
    List<org.apache.spark.sql.Row> rows = r.selection().collectAsList();
    assertEquals(budget, rows.size());
    for (int t = 0; t < budget; t++) {
      assertEquals(picks.get(t).id(), rows.get(t).getAs("id"));
      assertEquals((long) t + 1, (long) rows.get(t).getAs("rank"));
      assertEquals("row " + ref.picks()[t], rows.get(t).getAs("note"), "pass-through column of pick " + (t + 1));
    }
  }
}
