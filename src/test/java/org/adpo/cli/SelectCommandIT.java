package org.adpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.adpo.testing.Pools;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.adpo.testing.DefaultLineOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/adpo select} end to end, as separate processes: every input format with every
 * algorithm, each output format, string ids with phi1/phi2, and the help texts. Outputs are read
 * back with Spark and checked against the report and the pool.
 */
class SelectCommandIT {
  @TempDir static Path dir;
  static SparkSession spark;
  static Pools pool;

  @BeforeAll
  static void writePools() throws Exception {
    pool = Pools.random(300, 6, 20, 11);
    PoolFiles.jsonl(pool, dir.resolve("pool.jsonl"));
    PoolFiles.csv(pool, dir.resolve("pool.csv"));
    PoolFiles.pairsJsonl(pool, dir.resolve("pairs.jsonl"));
    spark = SparkSession.builder().master("local[1]").appName("it").config("spark.ui.enabled", "false").getOrCreate();
    spark.read().json(dir.resolve("pool.jsonl").toString()).coalesce(2).write()
        .parquet(dir.resolve("pool.parquet").toString());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Stream<Arguments> formatsAndAlgorithms() {
    List<Arguments> a = new ArrayList<>();
    String[] outputs = {"parquet", "jsonl", "csv"};
    int k = 0;
    for (String in : new String[] {"pool.jsonl", "pool.csv", "pool.parquet"}) {
      for (String alg : new String[] {"adpo-plus", "dopt", "apo", "uniform"}) {
        a.add(Arguments.of(in, alg, outputs[k++ % 3]));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("formatsAndAlgorithms")
  @Tag(DefaultLineOnly.TAG) // on Spark 4.0, sameSelectionWhateverTheInputFormat reads every format
  void selectsFromEveryFormat(String input, String algorithm, String outputFormat) throws Exception {
    Path out = dir.resolve("out-" + input + "-" + algorithm);
    // One case runs the candidate-subset mode (the other two dopt cases cover the exact path).
    boolean subsets = input.equals("pool.parquet") && algorithm.equals("dopt");
    List<String> args = new ArrayList<>(List.of("select", "--input", input, "--output", out.toString(),
        "--algorithm", algorithm, "--budget", "25", "--partitions", "3", "--output-format", outputFormat));
    if (subsets) {
      args.addAll(List.of("--candidates", "40", "--seed", "7"));
    }
    CliRunner.Result r = CliRunner.run(dir, args.toArray(new String[0]));
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("selected 25 of 300 pairs with " + algorithm), r.stdout());
    String design = Map.of("adpo-plus", "Fisher-weighted", "dopt", "weight-column-weighted", "apo", "unweighted",
        "uniform", "unweighted").get(algorithm);
    assertTrue(r.stdout().contains(" of the " + design + " design; "), r.stdout());
    assertFalse(r.stdout().matches("(?s).*\\b1 (rounds|Spark jobs)\\b.*"), r.stdout());

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(algorithm, report.get("algorithm").asText());
    assertEquals(300, report.get("pool").get("rows").asLong());
    assertEquals(6, report.get("pool").get("dimension").asInt());
    assertEquals(25, report.get("selection").get("picks").asInt());
    assertTrue(report.get("spark").get("jobs").asInt() >= 2);
    assertEquals(algorithm.equals("adpo-plus"), report.get("fit").isObject());
    if (algorithm.equals("adpo-plus")) {
      assertTrue(report.get("fit").get("converged").asBoolean());
    }
    for (String phase : new String[] {"validate", "select", "write", "total"}) {
      assertTrue(report.get("timings_s").has(phase), phase);
    }

    Dataset<Row> sel = read(out.resolve("selection"), outputFormat);
    List<Row> rows = sel.orderBy("rank").collectAsList();
    assertEquals(25, rows.size());
    Set<Long> poolIds = new HashSet<>();
    for (long id : pool.ids) {
      poolIds.add(id);
    }
    List<Object> ids = new ArrayList<>();
    double previousGain = Double.POSITIVE_INFINITY;
    for (int t = 0; t < rows.size(); t++) {
      Row row = rows.get(t);
      assertEquals(t + 1, ((Number) row.getAs("rank")).longValue());
      long id = ((Number) row.getAs("id")).longValue();
      assertTrue(poolIds.contains(id));
      ids.add(id);
      assertTrue(((String) row.getAs("comment")).startsWith("pair "), "pass-through column kept");
      double gain = ((Number) row.getAs("gain")).doubleValue();
      if (!algorithm.equals("uniform") && !subsets) {
        assertTrue(gain <= previousGain + 1e-12, "greedy gains do not increase (exact modes)");
      }
      previousGain = gain;
    }
    assertEquals(25, new HashSet<>(ids).size(), "no pair picked twice");
    assertEquals(subsets, report.get("selection").has("candidates_per_pick"));
    if (subsets) {
      // Pick for pick the reference greedy over step t's 40 seeded candidates, on sqrt(weight) phi.
      assertEquals(40, report.get("selection").get("candidates_per_pick").asInt());
      double[][] v = pool.phiAsStored();
      for (int i = 0; i < v.length; i++) {
        for (int j = 0; j < v[i].length; j++) {
          v[i][j] *= Math.sqrt(pool.weight[i]);
        }
      }
      double gamma = report.get("settings").get("gamma").asDouble();
      int[] ref = org.adpo.testing.IndependentReference.greedy(v, pool.ids, gamma, 25,
          CandidateSubsetsTest.seededDraw(7, pool.ids, 40)).picks();
      for (int t = 0; t < 25; t++) {
        assertEquals(pool.ids[ref[t]], ids.get(t), "pick " + (t + 1));
      }
    }
    assertNoTemporaryLeft();
  }

  @Test
  void sameSelectionWhateverTheInputFormat() throws Exception {
    List<Object> first = null;
    for (String input : new String[] {"pool.jsonl", "pool.csv", "pool.parquet"}) {
      Path out = dir.resolve("same-" + input);
      CliRunner.Result r = CliRunner.run(dir, "select", "--input", input, "--output", out.toString(),
          "--algorithm", "adpo-plus", "--budget", "30", "--output-format", "jsonl");
      assertEquals(0, r.exitCode(), r.all());
      List<Object> ids = new ArrayList<>();
      for (Row row : read(out.resolve("selection"), "jsonl").orderBy("rank").collectAsList()) {
        ids.add(((Number) row.getAs("id")).longValue());
      }
      if (first == null) {
        first = ids;
      } else {
        assertEquals(first, ids, input);
      }
    }
  }

  @Test
  void stringIdsAndFeaturePairs() throws Exception {
    Path out = dir.resolve("out-pairs");
    CliRunner.Result r = CliRunner.run(dir, "select", "--input", "pairs.jsonl", "--output", out.toString(),
        "--algorithm", "apo", "--budget", "10", "--column", "id=pair", "--output-format", "jsonl");
    assertEquals(0, r.exitCode(), r.all());
    List<Row> rows = read(out.resolve("selection"), "jsonl").orderBy("rank").collectAsList();
    assertEquals(10, rows.size());
    for (Row row : rows) {
      assertTrue(((String) row.getAs("pair")).startsWith("p-"));
    }
  }

  @Test
  void helpDocumentsEveryOption() throws Exception {
    CliRunner.Result top = CliRunner.run(dir, "--help");
    assertEquals(0, top.exitCode(), top.all());
    assertTrue(top.stdout().contains("select"));
    CliRunner.Result sel = CliRunner.run(dir, "select", "--help");
    assertEquals(0, sel.exitCode());
    for (String option : new String[] {"--input", "--output", "--algorithm", "--budget", "--beta", "--gamma",
        "--lambda", "--alpha", "--seed", "--candidates", "--partitions", "--master", "--config",
        "--output-format", "--format", "--overwrite", "--top-k", "--column"}) {
      assertTrue(sel.stdout().contains(option), option);
    }
  }

  static Dataset<Row> read(Path p, String format) {
    switch (format) {
      case "parquet":
        return spark.read().parquet(p.toString());
      case "jsonl":
        return spark.read().json(p.toString());
      default:
        // The CSV output's dialect, RFC 4180 (quotes doubled), as the pool reader reads it.
        return spark.read().option("header", "true").option("inferSchema", "true").option("escape", "\"")
            .option("multiLine", "true").csv(p.toString());
    }
  }

  static void assertNoTemporaryLeft() throws Exception {
    assertNoTemporaryLeftIn(dir);
  }

  static void assertNoTemporaryLeftIn(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "temporary output left behind");
    }
  }
}
