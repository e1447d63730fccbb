package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.adpo.config.SelectionSettings;
import org.adpo.config.SettingsLoader;
import org.adpo.data.PoolReader;
import org.adpo.select.Pick;
import org.adpo.select.SeededHash;
import org.adpo.spark.SelectionJob;
import org.adpo.spark.SelectionResult;
import org.adpo.testing.IndependentReference;
import org.adpo.testing.Pools;
import org.adpo.testing.SparkSessionExtension;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --candidates} and {@code --epsilon} with the weighted algorithms, through the select
 * command's own path: its option table and configuration ({@link SelectCommand#parse},
 * {@link SelectCommand#config}), the pool read from a JSON Lines file, {@link SelectionJob}. Each
 * pick must equal {@link IndependentReference}'s greedy restricted, at step t, to the K unpicked rows
 * with the smallest keys {@code SeededHash.key(seed, t, id)} (the draw the contract defines), with
 * weights (ADPO+: theta fitted test-side, Fisher weight or its UCB bound) computed test-side.
 */
@ExtendWith(SparkSessionExtension.class)
class CandidateSubsetsTest {
  private static final double BETA = 1.5;
  private static final double GAMMA = 0.5;
  private static final double LAMBDA = 1.0;
  private static final long SEED = 42;

  /** Step t's rows: the k unpicked rows with the smallest keys key(seed, t, id) (integer ids are their own ords). */
  static IndependentReference.Draw seededDraw(long seed, long[] ids, int k) {
    return (step, taken) -> {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < ids.length; i++) {
        if (!taken[i]) {
          rows.add(i);
        }
      }
      rows.sort(Comparator.comparing(i -> SeededHash.key(seed, step, ids[i]), Long::compareUnsigned));
      return rows.subList(0, Math.min(k, rows.size())).stream().mapToInt(Integer::intValue).toArray();
    };
  }

  @ParameterizedTest(name = "{0} alpha={1} {2} {3}, budget {4}")
  @CsvSource({
      "dopt, 0, --candidates, 12, 25",
      "adpo-plus, 0, --candidates, 10, 20",
      // K = ceil(150 / 20 * ln(1 / 0.2)) = ceil(12.07) = 13
      "adpo-plus, 2, --epsilon, 0.2, 20",
  })
  void picksEqualTheReferenceOnTheSameSeededSubsets(String algorithm, double alpha, String mode, String value,
      int budget, SparkSession spark, @TempDir Path dir) throws Exception {
    Pools pool = Pools.random(150, 5, 20, 31L * budget + (long) alpha);
    Path input = dir.resolve("pool.jsonl");
    PoolFiles.jsonl(pool, input);
    String[] args = {"select", "--input", input.toString(), "--output", dir.resolve("out").toString(),
        "--algorithm", algorithm, "--budget", String.valueOf(budget), mode, value, "--seed", String.valueOf(SEED),
        "--beta", String.valueOf(BETA), "--gamma", String.valueOf(GAMMA), "--lambda", String.valueOf(LAMBDA),
        "--alpha", String.valueOf(alpha), "--partitions", "3"};
    Config config = SelectCommand.config(SelectCommand.parse(args));
    SelectionSettings settings = SettingsLoader.selection(config);
    SelectionResult r = SelectionJob.run(spark,
        PoolReader.read(spark, input.toString(), config.getString("adpo.input.format")), input.toString(), settings);

    int n = pool.size();
    int k = mode.equals("--candidates") ? Integer.parseInt(value)
        : (int) Math.ceil(n / (double) budget * Math.log(1 / Double.parseDouble(value)));
    assertEquals((long) k, r.report().selection().candidatesPerPick());

    double[][] phi = pool.phiAsStored();
    int d = phi[0].length;
    double[] weight = new double[n];
    double[][] v = new double[n][d];
    double tolerance = 1e-9;
    if (algorithm.equals("adpo-plus")) {
      double[] theta = IndependentReference.fit(phi, pool.b, pool.s, BETA, LAMBDA);
      double[][] sigma = alpha > 0 ? IndependentReference.sigmaHat(phi, pool.b, theta, BETA, LAMBDA) : null;
      for (int i = 0; i < n; i++) {
        weight[i] = IndependentReference.weight(phi[i], pool.b[i], theta, BETA, alpha, sigma);
      }
      tolerance = 1e-5; // theta to a gradient tolerance of 1e-9 relative
    } else {
      weight = pool.weight.clone();
    }
    for (int i = 0; i < n; i++) {
      double scale = algorithm.equals("adpo-plus") ? BETA * Math.sqrt(weight[i]) : Math.sqrt(weight[i]);
      for (int j = 0; j < d; j++) {
        v[i][j] = scale * phi[i][j];
      }
    }
    IndependentReference.Greedy ref = IndependentReference.greedy(v, pool.ids, GAMMA, budget,
        seededDraw(SEED, pool.ids, k));
    // The subsets matter: the full greedy picks differently on these pools.
    int[] full = IndependentReference.greedy(v, pool.ids, GAMMA, budget).picks();
    assertFalse(Arrays.equals(full, ref.picks()), "the subset rule and the full greedy differ here");

    List<Pick> picks = r.picks();
    assertEquals(budget, picks.size());
    for (int t = 0; t < budget; t++) {
      int row = ref.picks()[t];
      Pick p = picks.get(t);
      assertEquals(pool.ids[row], p.id(), "pick " + (t + 1));
      assertEquals(weight[row], p.weight(), tolerance * weight[row], "weight of pick " + (t + 1));
      assertEquals(ref.gains()[t], p.gain(), tolerance * ref.gains()[t] + 1e-15, "gain of pick " + (t + 1));
    }
  }
}
